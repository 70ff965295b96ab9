/**
 * Drives the built web UI in headless Chromium against the real server and the vendor fakes:
 * setup and sign-in, connecting NinjaOne and ConnectWise PSA, mapping by drag and drop,
 * syncing, approving a line (checked in the PSA fake) and disconnecting.
 */
import { existsSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ConnectWiseFake } from '../../fakes/connectwise/server.ts'
import type { AccountsView, ReconciliationView, ServicesView } from '../../web/src/api/types.ts'
import { buildWebApp, CHROMIUM_PATH, type Environment, startEnvironment } from './environment.ts'
import { chooseOption, dragWithMouse, readApi, screenshot } from './helpers.ts'

const chromiumPresent = existsSync(CHROMIUM_PATH)
if (!chromiumPresent) {
  console.warn(`Skipping the browser tests: no Chromium at ${CHROMIUM_PATH}. Install it to run.`)
}

const ADMIN = { email: 'admin@example.com', password: 'a long enough password' }
const WAIT = { timeout: 15_000 }

/** Finds the text input labelled exactly `label`. */
function field(page: Page, label: string) {
  return page.getByRole('textbox', { name: label, exact: true })
}

/** Finds the Mantine select labelled exactly `label`. */
function picker(page: Page, label: string) {
  return page.getByRole('combobox', { name: label, exact: true })
}

function serviceSlug(service: string): string {
  return service.toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

/** Builds a reconciliation of `count` lines that replaces the real one in the scroll test. */
function syntheticReconciliation(count: number): ReconciliationView {
  const statuses = ['match', 'under-billed', 'over-billed', 'new-revenue'] as const
  const items = Array.from({ length: count }, (_, index) => {
    const vendorCount = index % 50
    const psaQuantity = (index * 7) % 50
    return {
      id: `${index}:devices`,
      organizationId: index,
      organizationName: `Organization ${index}`,
      companyId: index,
      companyName: `Company ${index}`,
      service: 'Total Devices' as const,
      productId: 1,
      agreementId: index,
      additionId: index,
      vendorCount,
      psaQuantity,
      lessIncluded: 0,
      delta: vendorCount - psaQuantity,
      unitPrice: 10,
      monthlyImpact: (vendorCount - psaQuantity) * 10,
      status: statuses[index % statuses.length]!,
      lastUpdated: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
      candidateLineIds: [],
      dismissed: false,
    }
  })
  const byStatus = { match: 0, 'under-billed': 0, 'over-billed': 0, ambiguous: 0, 'new-revenue': 0 }
  for (const item of items) byStatus[item.status] += 1
  return { runId: 1, totals: { underBilled: 0, newRevenue: 0, overBilled: 0, byStatus }, items }
}

/** Scrolls in wheel-sized steps, then jumps to the middle and the end, a frame at a time. */
async function scrollThrough(element: Element) {
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))
  for (let step = 0; step < 60; step += 1) {
    element.scrollBy(0, 120)
    await nextFrame()
  }
  element.scrollTo(0, element.scrollHeight / 2)
  await nextFrame()
  element.scrollTo(0, element.scrollHeight)
  await nextFrame()
}

describe.skipIf(!chromiumPresent)('web UI in Chromium', () => {
  let env: Environment
  let page: Page
  let earlierStepFailed = false
  const pageErrors: string[] = []

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
    env = await startEnvironment(webDist)
    page = await env.context.newPage()
    page.setDefaultTimeout(10_000)
    page.on('pageerror', (error) => pageErrors.push(error.message))
  }, 60_000)

  afterAll(async () => {
    await env?.close()
    vi.unstubAllEnvs()
  })

  it('creates the first user', async () => {
    await page.goto('/')
    await page.waitForURL('**/setup')
    await screenshot(page, '01-setup')

    await field(page, 'Email').fill(ADMIN.email)
    await field(page, 'Password').fill(ADMIN.password)
    await field(page, 'Repeat the password').fill(ADMIN.password)
    await page.getByRole('button', { name: 'Create account', exact: true }).click()

    await page.waitForURL('**/integrations')
    await page.getByTestId('vendor-card-ninjaone').waitFor()
  })

  it('signs out and back in', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL('**/login')
    await field(page, 'Email').fill(ADMIN.email)
    await field(page, 'Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText('Wrong email or password.').waitFor()
    await screenshot(page, '02-sign-in-error')

    await field(page, 'Password').fill(ADMIN.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL('**/integrations')
    await page.getByTestId('vendor-card-connectwise').waitFor()
    await screenshot(page, '03-integrations-empty')
  })

  it('shows NinjaOne rejection inline', async () => {
    await page
      .getByTestId('vendor-card-ninjaone')
      .getByRole('link', { name: 'Connect', exact: true })
      .click()
    await page.waitForURL('**/integrations/ninjaone/connect')
    await page.getByRole('radio', { name: 'Billing only', exact: true }).click()
    await page.getByRole('button', { name: 'Next', exact: true }).click()

    await chooseOption(page, picker(page, 'Region'), 'EMEA')
    expect(await field(page, 'API URL').inputValue()).toBe('https://eu.ninjarmm.com')
    await field(page, 'API URL').fill(env.fakes.ninja.url)
    await field(page, 'Client ID').fill(env.fakes.ninja.clientId)
    await field(page, 'Client Secret').fill('wrong-secret')
    await screenshot(page, '04-ninjaone-credentials')
    await page.getByRole('button', { name: 'Authenticate', exact: true }).click()

    const error = page.getByTestId('connect-error')
    await error.waitFor(WAIT)
    expect(await error.textContent()).toContain('rejected')
    expect(await error.textContent()).not.toContain('wrong-secret')
    await screenshot(page, '05-ninjaone-rejected')
  })

  it('connects NinjaOne through first sync', async () => {
    await field(page, 'Client Secret').fill(env.fakes.ninja.clientSecret)
    await page.getByRole('button', { name: 'Authenticate', exact: true }).click()

    await page.getByText('NinjaOne status').waitFor(WAIT)
    await page.getByTestId('first-sync-ready').waitFor(WAIT)
    await screenshot(page, '06-ninjaone-first-sync')
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByRole('link', { name: 'Connect a PSA', exact: true }).click()
    await page.waitForURL('**/integrations')
  })

  it('connects ConnectWise PSA', async () => {
    const { settings, secrets } = env.fakes.psa
    await page
      .getByTestId('vendor-card-connectwise')
      .getByRole('link', { name: 'Connect', exact: true })
      .click()
    await page.getByRole('radio', { name: 'Billing only', exact: true }).click()
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await field(page, 'Site or API URL').fill(settings.apiUrl!)
    await field(page, 'Company ID').fill(settings.companyId!)
    await field(page, 'Public key').fill(settings.publicKey!)
    await field(page, 'Private key').fill(secrets.privateKey!)
    await field(page, 'Client ID').fill(settings.clientId!)
    await page.getByRole('button', { name: 'Authenticate', exact: true }).click()

    await page.getByTestId('first-sync-ready').waitFor(WAIT)
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByRole('link', { name: 'Map accounts', exact: true }).click()
    await page.waitForURL('**/accounts')
  })

  it('maps an account by drag', async () => {
    await page.locator('[data-testid^="org-card-"]').first().waitFor(WAIT)
    const before = await readApi<AccountsView>(page, '/api/accounts')
    expect(before.organizations.some((org) => org.matchedBy === 'exact')).toBe(true)
    const org = before.organizations.find((candidate) => candidate.companyId === null)
    const company =
      org?.suggestions[0]?.companyId ??
      before.companies.find((candidate) => candidate.mappedOrganizationId === null)?.id
    if (!org || company === undefined) throw new Error('the world has no unmatched account')
    await screenshot(page, '07-accounts-before')

    const card = page.getByTestId(`org-card-${org.organizationId}`)
    await dragWithMouse(page, card, page.getByTestId(`company-card-${company}`))

    await expect.poll(() => card.getAttribute('data-company-id'), WAIT).toBe(String(company))
    const after = await readApi<AccountsView>(page, '/api/accounts')
    const mapped = after.organizations.find((row) => row.organizationId === org.organizationId)
    expect(mapped?.companyId).toBe(company)
    expect(mapped?.matchedBy).toBe('manual')
  })

  it('maps an account by keyboard', async () => {
    const view = await readApi<AccountsView>(page, '/api/accounts')
    const org = view.organizations.find((candidate) => candidate.companyId === null)
    if (!org) throw new Error('the world has no second unmatched account')
    const handle = page.getByTestId(`org-handle-${org.organizationId}`)
    await handle.scrollIntoViewIfNeeded()
    await handle.focus()
    await page.keyboard.press('Space')
    await page.waitForTimeout(100)
    await page.keyboard.press('ArrowRight')
    await page.waitForTimeout(300)
    await page.keyboard.press('Space')

    const card = page.getByTestId(`org-card-${org.organizationId}`)
    await expect.poll(() => card.getAttribute('data-state'), WAIT).toBe('mapped')
    await screenshot(page, '08-accounts-mapped')
  })

  it('maps services by drag and select', async () => {
    await page.getByRole('link', { name: 'Next: services', exact: true }).click()
    await page.waitForURL('**/services')
    await page.locator('[data-testid^="product-card-"]').first().waitFor(WAIT)
    await screenshot(page, '09-services-before')
    const billing = env.fakes.world.products.filter((product) => product.service !== null)
    const [dragged, ...selected] = billing
    if (!dragged) throw new Error('the world catalog has no billing product')

    await dragWithMouse(
      page,
      page.getByTestId(`product-card-${dragged.id}`),
      page.getByTestId(`service-card-${serviceSlug(dragged.service!)}`),
    )
    await page.getByTestId(`product-card-${dragged.id}`).waitFor({ state: 'detached', ...WAIT })
    for (const product of selected) {
      const select = picker(page, `Map ${product.name} to a NinjaOne service`)
      await chooseOption(page, select, product.service!)
      await page.getByTestId(`product-card-${product.id}`).waitFor({ state: 'detached', ...WAIT })
    }

    const view = await readApi<ServicesView>(page, '/api/services')
    const mapped = view.services.flatMap((row) =>
      row.products.map((product) => `${row.service}:${product.productId}`),
    )
    expect(mapped.sort()).toEqual(billing.map((p) => `${p.service}:${p.id}`).sort())
    await screenshot(page, '10-services-mapped')
  })

  it('finishes review with a sync', async () => {
    await page.getByRole('link', { name: 'Next: review', exact: true }).click()
    await page.waitForURL('**/review')
    await page.getByTestId('review-accounts').waitFor(WAIT)
    await screenshot(page, '11-review')
    await page.getByRole('button', { name: 'Finish', exact: true }).click()

    const outcome = page.getByTestId('sync-outcome')
    await outcome.waitFor(WAIT)
    expect(await outcome.textContent()).toContain('Sync finished')
    await screenshot(page, '12-review-synced')
    await page.getByRole('link', { name: 'Open Reconcile', exact: true }).click()
    await page.waitForURL('**/reconcile')
  })

  it('sorts reconcile by last updated', async () => {
    await page.locator('[data-testid^="row-"]').first().waitFor(WAIT)
    const view = await readApi<ReconciliationView>(page, '/api/reconciliation')
    const expected = view.items
      .filter((item) => !item.dismissed)
      .map((item, index) => ({ item, index }))
      .sort((a, b) =>
        a.item.lastUpdated === b.item.lastUpdated
          ? a.index - b.index
          : a.item.lastUpdated < b.item.lastUpdated
            ? 1
            : -1,
      )
      .slice(0, 5)
      .map(({ item }) => `row-${item.id}`)
    const renderedIds = await page
      .locator('[data-testid^="row-"]')
      .evaluateAll((rows) => rows.slice(0, 5).map((row) => row.getAttribute('data-testid')))

    expect(renderedIds).toEqual(expected)
    // Only the rows in view are rendered.
    expect(await page.locator('[data-testid^="row-"]').count()).toBeLessThan(view.items.length)
    expect(
      await page.getByRole('columnheader', { name: /Last updated/ }).getAttribute('aria-sort'),
    ).toBe('descending')
    await screenshot(page, '13-reconcile')
  })

  it('approve writes the PSA quantity', async () => {
    const view = await readApi<ReconciliationView>(page, '/api/reconciliation')
    const [target, changed] = view.items.filter(
      (item) =>
        (item.status === 'under-billed' || item.status === 'over-billed') &&
        item.vendorCount > 0 &&
        !item.dismissed,
    )
    if (!target || !changed) throw new Error('the world has fewer than two lines to approve')
    const psa = env.fakes.psa.fake as ConnectWiseFake
    // Someone edits the second line in the PSA after the sync, so its write must be refused.
    psa.setAdditionQuantity(changed.agreementId!, changed.additionId!, changed.psaQuantity! + 7)

    const outcomes: string[] = []
    for (const item of [target, changed]) {
      await field(page, 'Search').fill(item.organizationName)
      await page.getByTestId(`approve-${item.id}`).click()
      const badge = page.getByTestId(`outcome-${item.id}`)
      await badge.waitFor(WAIT)
      outcomes.push((await badge.getAttribute('data-outcome')) ?? 'none')
    }

    expect(outcomes).toEqual(['written', 'refused'])
    const addition = psa.getAddition(target.agreementId!, target.additionId!) as {
      quantity: number
    }
    expect(addition.quantity).toBe(target.vendorCount)
    await screenshot(page, '14-reconcile-approved')
  })

  it('dismisses a selected line', async () => {
    const view = await readApi<ReconciliationView>(page, '/api/reconciliation')
    const item = view.items.find((candidate) => candidate.status === 'new-revenue')
    if (!item) throw new Error('the world has no new-revenue line to dismiss')
    await field(page, 'Search').fill(item.organizationName)
    await page
      .getByRole('checkbox', { name: `Select ${item.organizationName}, ${item.service}` })
      .check()
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click()
    await page.getByTestId(`row-${item.id}`).waitFor({ state: 'detached', ...WAIT })

    await page.getByRole('switch', { name: 'Show dismissed' }).click()
    await page.getByTestId(`row-${item.id}`).getByText('dismissed').waitFor(WAIT)
    await page.getByRole('switch', { name: 'Show dismissed' }).click()
    await field(page, 'Search').fill('')
  })

  it('lists approvals in the audit log', async () => {
    await page.getByRole('link', { name: 'Audit', exact: true }).click()
    await page.getByTestId('audit-table').waitFor(WAIT)
    expect(await page.getByTestId('audit-table').textContent()).toContain(ADMIN.email)
    await screenshot(page, '15-audit')
  })

  it('fits a 1024 pixel window', async () => {
    await page.setViewportSize({ width: 1024, height: 768 })
    for (const path of ['integrations', 'accounts', 'services', 'review', 'reconcile', 'audit']) {
      await page.goto(`/${path}`)
      await page.locator('h1').waitFor()
      await page.waitForLoadState('networkidle')
      await screenshot(page, `1024-${path}`)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect({ path, overflow }).toEqual({ path, overflow: 0 })
    }
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  it('virtualizes 20,000 reconcile lines', async () => {
    const lines = syntheticReconciliation(20_000)
    await page.route('**/api/reconciliation', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(lines) }),
    )
    await page.goto('/reconcile')
    await page.locator('[data-testid^="row-"]').first().waitFor(WAIT)
    expect(await page.getByTestId('line-count').textContent()).toBe('20,000 of 20,000 lines')
    expect(await page.locator('[data-testid^="row-"]').count()).toBeLessThan(60)

    await page.getByTestId('reconcile-scroll').evaluate(scrollThrough)
    // The oldest line, sorted last, is rendered once the table is scrolled to its end.
    await page.getByTestId('row-0:devices').waitFor(WAIT)
    await screenshot(page, '18-reconcile-20000')
    // Only the rows in view exist in the page, at the end of the table as at its start.
    expect(await page.locator('[data-testid^="row-"]').count()).toBeLessThan(60)
    await page.unroute('**/api/reconciliation')
  })

  it('syncs from the integrations page', async () => {
    await page.getByRole('link', { name: 'Integrations', exact: true }).click()
    const runsBefore = await readApi<unknown[]>(page, '/api/sync/runs')
    await page.getByRole('button', { name: 'Sync now', exact: true }).click()

    await expect
      .poll(async () => (await readApi<unknown[]>(page, '/api/sync/runs')).length, WAIT)
      .toBe(runsBefore.length + 1)
    await expect
      .poll(() => page.getByTestId('last-sync').textContent(), WAIT)
      .toContain('Last sync succeeded')
  })

  it('warns on reconcile after a failed sync', async () => {
    env.fakes.ninja.faults.add({ path: '/v2/devices', kind: 'status', status: 500 })
    const runsBefore = await readApi<unknown[]>(page, '/api/sync/runs')
    await page.getByRole('button', { name: 'Sync now', exact: true }).click()
    await expect
      .poll(async () => (await readApi<unknown[]>(page, '/api/sync/runs')).length, WAIT)
      .toBe(runsBefore.length + 1)
    await expect.poll(() => page.getByTestId('last-sync').textContent(), WAIT).toContain('failed')
    env.fakes.ninja.faults.clear()

    await page.getByRole('link', { name: 'Reconcile', exact: true }).click()
    await page.getByTestId('stale-sync-alert').waitFor(WAIT)
    expect(await page.getByTestId('stale-sync-alert').textContent()).toContain(
      'approvals are refused until a sync succeeds',
    )
    await screenshot(page, '19-reconcile-stale-sync')

    await page.getByRole('link', { name: 'Integrations', exact: true }).click()
    await page.getByRole('button', { name: 'Sync now', exact: true }).click()
    await expect
      .poll(() => page.getByTestId('last-sync').textContent(), WAIT)
      .toContain('Last sync succeeded')
  })

  it('disconnects the PSA after confirming', async () => {
    const card = page.getByTestId('vendor-card-connectwise')
    await card.getByRole('button', { name: 'Configure', exact: true }).click()
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click()
    await screenshot(page, '16-disconnect-confirm')
    await page.getByRole('button', { name: 'Confirm', exact: true }).click()
    await page.getByRole('dialog').waitFor({ state: 'hidden' })

    await expect
      .poll(() => card.getByTestId('integration-status').textContent(), WAIT)
      .toBe('disconnected')
    await screenshot(page, '17-integrations-after-disconnect')

    await page.getByText('Connected', { exact: true }).click()
    await page.getByTestId('vendor-card-connectwise').waitFor({ state: 'detached' })
    expect(await page.locator('[data-testid^="vendor-card-"]').count()).toBe(1)
    expect(pageErrors).toEqual([])
  })
})
