/**
 * Drives the connect wizards of Autotask and HaloPSA in headless Chromium against the real
 * server and the vendor fakes. Each PSA is connected, synced, and one line is approved and
 * checked in the PSA fake. The Autotask run also picks the effective date of the change and
 * then replaces Autotask with HaloPSA.
 */
import { existsSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AutotaskFake } from '../../fakes/autotask/server.ts'
import { type PsaFakeConnection, startPsaFake } from '../../fakes/demo-world.ts'
import { normalizeName } from '../../src/core/matching.ts'
import type { PsaKind } from '../../src/psa/types.ts'
import type {
  AccountsView,
  Integration,
  ReconciliationItem,
  ReconciliationView,
  ServicesView,
} from '../../web/src/api/types.ts'
import { buildWebApp, CHROMIUM_PATH, type Environment, startEnvironment } from './environment.ts'
import { readApi, screenshot, writeApi } from './helpers.ts'

const chromiumPresent = existsSync(CHROMIUM_PATH)
if (!chromiumPresent) {
  console.warn(`Skipping the browser tests: no Chromium at ${CHROMIUM_PATH}. Install it to run.`)
}

const ADMIN = { email: 'admin@example.com', password: 'a long enough password' }
const WAIT = { timeout: 15_000 }

/** One PSA under test: its wizard card, the labels of its form and what it switches to. */
interface PsaCase {
  kind: Exclude<PsaKind, 'connectwise'>
  name: string
  /** Form label → value, read from the fake's connection details. */
  formValues(connection: PsaFakeConnection): [label: string, value: string][]
  /** The PSA connected in place of this one at the end, if any. */
  replacedBy: PsaCase | null
}

const HALO: PsaCase = {
  kind: 'halo',
  name: 'HaloPSA',
  formValues: ({ settings, secrets }) => [
    ['API URL', settings.apiUrl!],
    ['Client ID', settings.clientId!],
    ['Client Secret', secrets.clientSecret!],
  ],
  replacedBy: null,
}

const AUTOTASK: PsaCase = {
  kind: 'autotask',
  name: 'Autotask',
  formValues: ({ settings, secrets }) => [
    ['API username', settings.username!],
    ['Integration code', settings.integrationCode!],
    ['Secret', secrets.secret!],
    ['Zone URL', settings.zoneUrl!],
  ],
  replacedBy: HALO,
}

/** Finds the text input labelled exactly `label`. */
function field(page: Page, label: string) {
  return page.getByRole('textbox', { name: label, exact: true })
}

function button(page: Page, name: string) {
  return page.getByRole('button', { name, exact: true })
}

/** Formats a local day as `YYYY-MM-DD`, the value format of a date input. */
function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** Opens a vendor's wizard from its card and gets past the "Use" step. */
async function openWizard(page: Page, kind: string) {
  await page.goto('/integrations')
  await page
    .getByTestId(`vendor-card-${kind}`)
    .getByRole('link', { name: 'Connect', exact: true })
    .click()
  await page.waitForURL(`**/integrations/${kind}/connect`)
  await page.getByRole('radio', { name: 'Billing only', exact: true }).click()
  await button(page, 'Next').click()
}

async function fillPsaForm(page: Page, psaCase: PsaCase, connection: PsaFakeConnection) {
  for (const [label, value] of psaCase.formValues(connection)) {
    await field(page, label).fill(value)
  }
}

/** Maps every catalog product that bills a service, matched by name to the world's catalog. */
async function mapServicesByApi(page: Page, env: Environment): Promise<number> {
  const view = await readApi<ServicesView>(page, '/api/services')
  const serviceOf = new Map(env.fakes.world.products.map((product) => [product.name, product]))
  let mapped = 0
  for (const product of view.unmappedProducts) {
    const service = serviceOf.get(product.name)?.service
    if (!service) continue
    await writeApi(page, 'PUT', '/api/services/mappings', { service, productId: product.id })
    mapped += 1
  }
  return mapped
}

function approvable(view: ReconciliationView): ReconciliationItem {
  const item = view.items.find(
    (candidate) =>
      candidate.status === 'under-billed' && candidate.vendorCount > 0 && !candidate.dismissed,
  )
  if (!item) throw new Error('the world has no under-billed line to approve')
  return item
}

describe.skipIf(!chromiumPresent).each([AUTOTASK, HALO])('$name wizard in Chromium', (psaCase) => {
  let env: Environment
  let page: Page
  let replacement: PsaFakeConnection | undefined
  let earlierStepFailed = false
  const pageErrors: string[] = []
  const shot = (name: string) => screenshot(page, `psa-${psaCase.kind}-${name}`)

  // Each test continues where the previous one left the browser, so one failure ends the run.
  beforeEach((context) => {
    if (earlierStepFailed) context.skip()
  })
  afterEach((context) => {
    if (context.task.result?.state === 'fail') earlierStepFailed = true
  })

  beforeAll(async () => {
    vi.stubEnv('MSP_RECON_ALLOWED_HOSTS', '127.0.0.1')
    const webDist = await buildWebApp()
    env = await startEnvironment(webDist, psaCase.kind)
    page = await env.context.newPage()
    page.setDefaultTimeout(10_000)
    page.on('pageerror', (error) => pageErrors.push(error.message))
  }, 60_000)

  afterAll(async () => {
    await replacement?.fake.close()
    await env?.close()
    vi.unstubAllEnvs()
  })

  it('signs in as the first user', async () => {
    await page.goto('/')
    await page.waitForURL('**/setup')
    await field(page, 'Email').fill(ADMIN.email)
    await field(page, 'Password').fill(ADMIN.password)
    await field(page, 'Repeat the password').fill(ADMIN.password)
    await button(page, 'Create account').click()
    await page.getByTestId(`vendor-card-${psaCase.kind}`).waitFor()
  })

  it('connects NinjaOne by wizard', async () => {
    await openWizard(page, 'ninjaone')
    await field(page, 'API URL').fill(env.fakes.ninja.url)
    await field(page, 'Client ID').fill(env.fakes.ninja.clientId)
    await field(page, 'Client Secret').fill(env.fakes.ninja.clientSecret)
    await button(page, 'Authenticate').click()
    await page.getByTestId('first-sync-ready').waitFor(WAIT)
  })

  it(`connects ${psaCase.name} by wizard`, async () => {
    await openWizard(page, psaCase.kind)
    await fillPsaForm(page, psaCase, env.fakes.psa)
    await shot('credentials')
    await button(page, 'Authenticate').click()

    await page.getByText(`${psaCase.name} status`).waitFor(WAIT)
    await page.getByTestId('first-sync-ready').waitFor(WAIT)
    await shot('first-sync')
    await button(page, 'Next').click()
    await page.getByRole('link', { name: 'Map accounts', exact: true }).click()
    await page.waitForURL('**/accounts')
    const accounts = await readApi<AccountsView>(page, '/api/accounts')
    expect(accounts.organizations.some((org) => org.matchedBy === 'exact')).toBe(true)
  })

  it('syncs after mapping services', async () => {
    expect(await mapServicesByApi(page, env)).toBeGreaterThan(0)
    const view = await readApi<ServicesView>(page, '/api/services')
    expect(view.services.some((row) => row.products.length > 0)).toBe(true)

    await page.goto('/review')
    await page.getByTestId('review-accounts').waitFor(WAIT)
    await button(page, 'Finish').click()
    const outcome = page.getByTestId('sync-outcome')
    await outcome.waitFor(WAIT)
    expect(await outcome.textContent()).toContain('Sync finished')
    await page.getByRole('link', { name: 'Open Reconcile', exact: true }).click()
    await page.waitForURL('**/reconcile')
    await page.locator('[data-testid^="row-"]').first().waitFor(WAIT)
  })

  it('approve writes the PSA quantity', async () => {
    const target = approvable(await readApi<ReconciliationView>(page, '/api/reconciliation'))
    const { control } = env.fakes.psa
    const line = [target.agreementId!, target.additionId!] as const
    expect(control.quantityOf(...line)).toBe(target.psaQuantity)
    const dateInput = page.getByTestId('effective-date')
    // The Autotask fake bills by UTC day, as the server's sync reads it.
    const today = new Date().toISOString().slice(0, 10)
    if (psaCase.kind === 'autotask') {
      await pickEffectiveDate(page, today)
    } else {
      expect(await dateInput.count()).toBe(0)
    }

    await field(page, 'Search').fill(target.organizationName)
    const request = page.waitForRequest('**/api/reconciliation/approve')
    await page.getByTestId(`approve-${target.id}`).click()
    const body = (await request).postDataJSON() as { ids: string[]; effectiveDate?: string }
    const badge = page.getByTestId(`outcome-${target.id}`)
    await badge.waitFor(WAIT)
    await shot('approved')

    expect(await badge.getAttribute('data-outcome')).toBe('written')
    expect(body.ids).toEqual([target.id])
    expect(body.effectiveDate).toBe(psaCase.kind === 'autotask' ? today : undefined)
    expect(control.quantityOf(...line)).toBe(target.vendorCount)
    expect(control.writes()).toBe(1)
    if (psaCase.kind === 'autotask') {
      const adjustments = (env.fakes.psa.fake as unknown as AutotaskFake).adjustments
      expect(adjustments).toEqual([expect.objectContaining({ effectiveDate: today })])
    }
  })

  it.runIf(psaCase.replacedBy !== null)('asks before replacing the PSA', async () => {
    const next = psaCase.replacedBy!
    replacement = await startPsaFake(next.kind, env.fakes.world)
    await openWizard(page, next.kind)
    await fillPsaForm(page, next, replacement)
    await button(page, 'Authenticate').click()

    const conflict = page.getByTestId('psa-conflict')
    await conflict.waitFor(WAIT)
    await shot('conflict')
    expect(await conflict.textContent()).toContain(`${psaCase.name} is already connected`)
    expect(await conflict.textContent()).toContain('clears every account and service mapping')
    const integrations = await readApi<Integration[]>(page, '/api/integrations')
    expect(statusOf(integrations, psaCase.kind)).not.toBe('disconnected')
    expect(statusOf(integrations, next.kind)).toBe('disconnected')
  })

  it.runIf(psaCase.replacedBy !== null)('replace connects the other PSA', async () => {
    const next = psaCase.replacedBy!
    const before = await readApi<AccountsView>(page, '/api/accounts')
    const unmapped = await remapTwoAccounts(page, before)

    await button(page, 'Replace').click()
    await page.getByTestId('first-sync-ready').waitFor(WAIT)
    const integrations = await readApi<Integration[]>(page, '/api/integrations')
    expect(statusOf(integrations, psaCase.kind)).toBe('disconnected')
    expect(statusOf(integrations, next.kind)).not.toBe('disconnected')

    await page.goto('/integrations')
    const oldStatus = page
      .getByTestId(`vendor-card-${psaCase.kind}`)
      .getByTestId('integration-status')
    await expect.poll(() => oldStatus.textContent(), WAIT).toBe('disconnected')
    await expect
      .poll(() => page.getByTestId('last-sync').textContent(), WAIT)
      .toMatch(/^Last sync succeeded/)
    await shot('replaced')

    // The new PSA's first sync maps equal names again only because no mapping was left.
    const after = await readApi<AccountsView>(page, '/api/accounts')
    expect(after.organizations.filter((org) => org.matchedBy === 'manual')).toEqual([])
    const relinked = after.organizations.find((org) => org.organizationId === unmapped)
    expect(relinked?.matchedBy).toBe('exact')
    for (const org of after.organizations.filter((row) => row.matchedBy === 'exact')) {
      expect(normalizeName(org.companyName!)).toBe(normalizeName(org.organizationName))
    }
    const services = await readApi<ServicesView>(page, '/api/services')
    expect(services.services.flatMap((row) => row.products)).toEqual([])
    expect(pageErrors).toEqual([])
  })
})

function statusOf(integrations: Integration[], kind: string): string {
  return integrations.find((integration) => integration.kind === kind)?.status ?? 'disconnected'
}

/** Checks the default effective date and its note, then picks `day` in the date input. */
async function pickEffectiveDate(page: Page, day: string) {
  const input = page.getByTestId('effective-date')
  const now = new Date()
  const nextMonth = localDay(new Date(now.getFullYear(), now.getMonth() + 1, 1))
  expect(await input.inputValue()).toBe(nextMonth)
  await expect
    .poll(() => page.getByText(/Approved units take effect in Autotask on/).textContent())
    .toMatch(/on \w+ 1, \d{4}\.$/)
  await screenshot(page, 'psa-autotask-effective-date-default')

  await input.fill(day)
  expect(await input.inputValue()).toBe(day)
  const dayOfMonth = Number(day.slice(8))
  await expect
    .poll(() => page.getByText(/Approved units take effect in Autotask on/).textContent())
    .toContain(` ${dayOfMonth}, ${day.slice(0, 4)}.`)
}

/**
 * Unmaps one exactly matched organization and maps an unmatched one by hand, so that a mapping
 * carried over to the next PSA would show. Returns the organization left unmapped.
 */
async function remapTwoAccounts(page: Page, view: AccountsView): Promise<number> {
  const exact = view.organizations.find((org) => org.matchedBy === 'exact')
  const unmatched = view.organizations.find((org) => org.companyId === null)
  const freeCompanies = new Set(
    view.companies.filter((company) => company.mappedOrganizationId === null).map((c) => c.id),
  )
  const company =
    unmatched?.suggestions.find((suggestion) => freeCompanies.has(suggestion.companyId))
      ?.companyId ?? [...freeCompanies][0]
  if (!exact || !unmatched || company === undefined) {
    throw new Error('the world needs an exact match, an unmatched organization and a free company')
  }
  await writeApi(page, 'DELETE', `/api/accounts/${exact.organizationId}`)
  await writeApi(page, 'PUT', `/api/accounts/${unmatched.organizationId}`, { companyId: company })
  const edited = await readApi<AccountsView>(page, '/api/accounts')
  const manual = edited.organizations.find((org) => org.organizationId === unmatched.organizationId)
  expect(manual?.matchedBy).toBe('manual')
  return exact.organizationId
}
