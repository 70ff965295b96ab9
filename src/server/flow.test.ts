import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ConnectWiseFake } from '../../fakes/connectwise/server.ts'
import { type DemoFakes, startDemoFakes } from '../../fakes/demo-world.ts'
import { ADMIN, startTestServer, type TestServer } from './testing.ts'

/** A browser talking to a listening server with fetch: cookie jar of one cookie, CSRF token. */
class Browser {
  readonly bodies: string[] = []
  cookie = ''
  csrfToken = ''

  constructor(readonly baseUrl: string) {}

  async send(method: string, path: string, payload?: unknown) {
    const headers: Record<string, string> = { 'x-csrf-token': this.csrfToken }
    if (this.cookie) headers.cookie = this.cookie
    if (payload !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: payload === undefined ? undefined : JSON.stringify(payload),
    })
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('msp_'))
    if (setCookie) this.cookie = setCookie.split(';')[0]!
    const text = await response.text()
    this.bodies.push(text)
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON of many shapes.
    const body: any = text === '' ? undefined : JSON.parse(text)
    return { status: response.status, body, headers: response.headers }
  }
}

let fakes: DemoFakes
let server: TestServer
let browser: Browser

beforeAll(async () => {
  vi.stubEnv('MSP_RECON_ALLOWED_HOSTS', '127.0.0.1')
  fakes = await startDemoFakes({ psa: 'connectwise', seed: 7, devices: 300, organizations: 12 })
  server = await startTestServer()
  await server.app.listen({ host: '127.0.0.1', port: 0 })
  const address = server.app.server.address()
  if (address === null || typeof address === 'string') throw new Error('server has no port')
  browser = new Browser(`http://127.0.0.1:${address.port}`)
})

afterAll(async () => {
  await server?.close()
  await fakes?.close()
  vi.unstubAllEnvs()
})

async function waitForSyncs(): Promise<void> {
  for (let poll = 0; poll < 400; poll++) {
    const current = await browser.send('GET', '/api/sync/current')
    if (!current.body.running) return
    await sleep(25)
  }
  throw new Error('sync still running after 10 s')
}

function ninjaConnection() {
  return { apiUrl: fakes.ninja.url, clientId: fakes.ninja.clientId }
}

function connectWiseConnection() {
  const { settings, secrets } = fakes.psa
  return {
    apiUrl: settings.apiUrl,
    companyId: settings.companyId,
    publicKey: settings.publicKey,
    clientId: settings.clientId,
    privateKey: secrets.privateKey,
  }
}

describe('full flow over HTTP', () => {
  it('signs up on a listening server', async () => {
    const session = await browser.send('GET', '/api/auth/session')
    expect(session.body.setupRequired).toBe(true)
    const setup = await browser.send('POST', '/api/auth/setup', ADMIN)
    expect(setup.status).toBe(200)
    expect(browser.cookie).toMatch(/^msp_session=/)
    browser.csrfToken = setup.body.csrfToken
    const signedIn = await browser.send('GET', '/api/auth/session')
    expect(signedIn.body.user.email).toBe(ADMIN.email)
  })

  it('rejects a wrong NinjaOne secret', async () => {
    const wrongSecret = 'wrong-secret-value-4711'
    const response = await browser.send('POST', '/api/integrations/ninjaone/connect', {
      ...ninjaConnection(),
      clientSecret: wrongSecret,
    })
    expect(response.status).toBe(422)
    expect(response.body.error.code).toBe('auth_failed')
    expect(response.body.error.message).toBe(
      'NinjaOne rejected the client credentials (HTTP 401). Check the client ID and secret ' +
        `for ${new URL(fakes.ninja.url).host}.`,
    )
    expect(JSON.stringify(response.body)).not.toContain(wrongSecret)
    expect(server.logLines.join('\n')).not.toContain(wrongSecret)
    const stored = await server.handle.store.db.selectFrom('integrations').selectAll().execute()
    expect(stored).toEqual([])
  })

  it('connects NinjaOne and syncs at once', async () => {
    const response = await browser.send('POST', '/api/integrations/ninjaone/connect', {
      ...ninjaConnection(),
      clientSecret: fakes.ninja.clientSecret,
    })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      kind: 'ninjaone',
      status: 'pending',
      hasCredentials: true,
      settings: { apiUrl: fakes.ninja.url, clientId: fakes.ninja.clientId },
    })
    await waitForSyncs()
    const runs = await browser.send('GET', '/api/sync/runs')
    expect(runs.body).toHaveLength(1)
    expect(runs.body[0]).toMatchObject({ status: 'succeeded', deviceCount: 300 })
  })

  it('connects ConnectWise and syncs again', async () => {
    const response = await browser.send(
      'POST',
      '/api/integrations/connectwise/connect',
      connectWiseConnection(),
    )
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ kind: 'connectwise', status: 'pending' })
    expect(response.body.settings.privateKey).toBeUndefined()
    await waitForSyncs()
    const runs = await browser.send('GET', '/api/sync/runs')
    expect(runs.body).toHaveLength(2)
    expect(runs.body[0].status).toBe('succeeded')
    expect(runs.body[0].lineCount).toBeGreaterThan(0)
    const status = await browser.send('GET', '/api/status')
    const connectwise = status.body.integrations.find(
      (entry: { vendor: string }) => entry.vendor === 'connectwise',
    )
    expect(connectwise.status).toBe('mapping')
  })

  it('pre-maps exact account names', async () => {
    const accounts = await browser.send('GET', '/api/accounts')
    expect(accounts.status).toBe(200)
    expect(accounts.body.organizations).toHaveLength(12)
    const exact = accounts.body.organizations.filter(
      (row: { matchedBy: string | null }) => row.matchedBy === 'exact',
    )
    expect(exact.length).toBeGreaterThan(0)
    for (const row of exact) {
      const company = accounts.body.companies.find(
        (entry: { id: number }) => entry.id === row.companyId,
      )
      expect(company.mappedOrganizationId).toBe(row.organizationId)
    }
    const audit = await browser.send('GET', '/api/audit?limit=50')
    expect(audit.body.map((entry: { action: string }) => entry.action)).toContain(
      'map.accounts.auto',
    )
  })

  it('maps an account by hand', async () => {
    const accounts = await browser.send('GET', '/api/accounts')
    const unmapped = accounts.body.organizations.find(
      (row: { companyId: number | null; suggestions: unknown[] }) =>
        row.companyId === null && row.suggestions.length > 0,
    )
    expect(unmapped).toBeDefined()
    const companyId = unmapped.suggestions[0].companyId
    const mapped = await browser.send('PUT', `/api/accounts/${unmapped.organizationId}`, {
      companyId,
    })
    expect(mapped.status).toBe(200)
    expect(mapped.body).toMatchObject({ organizationId: unmapped.organizationId, companyId })

    const mappedRow = accounts.body.organizations.find(
      (row: { companyId: number | null }) => row.companyId !== null,
    )
    const conflict = await browser.send('PUT', `/api/accounts/${unmapped.organizationId}`, {
      companyId: mappedRow.companyId,
    })
    expect(conflict.status).toBe(409)
    expect(conflict.body.error.code).toBe('conflict')
  })

  it('maps every catalog product to its service', async () => {
    const before = await browser.send('GET', '/api/services')
    expect(before.body.services).toHaveLength(8)
    const synced = new Set(
      before.body.unmappedProducts.map((product: { id: number }) => product.id),
    )
    let mapped = 0
    for (const product of fakes.world.products) {
      if (product.service === null || !synced.has(product.id)) continue
      const response = await browser.send('PUT', '/api/services/mappings', {
        service: product.service,
        productId: product.id,
      })
      expect(response.status).toBe(200)
      mapped++
    }
    expect(mapped).toBeGreaterThan(0)
    const after = await browser.send('GET', '/api/services')
    const mappedProducts = after.body.services.flatMap(
      (row: { products: unknown[] }) => row.products,
    )
    expect(mappedProducts).toHaveLength(mapped)
  })

  it('rejects a second concurrent sync', async () => {
    fakes.ninja.faults.latencyMs = 40
    try {
      const started = await browser.send('POST', '/api/sync')
      expect(started.status).toBe(202)
      expect(started.body.runId).toBeGreaterThan(2)
      const second = await browser.send('POST', '/api/sync')
      expect(second.status).toBe(409)
      expect(second.body.error.code).toBe('conflict')
      const current = await browser.send('GET', '/api/sync/current')
      expect(current.body).toMatchObject({ running: true, runId: started.body.runId })
      await waitForSyncs()
      const finished = await browser.send('GET', '/api/sync/current')
      expect(finished.body).toMatchObject({ running: false, runId: started.body.runId })
      expect(finished.body.phase).toBe('saving')
    } finally {
      fakes.ninja.faults.latencyMs = 0
    }
  })

  it('approves one line and writes it', async () => {
    const reconciliation = await browser.send('GET', '/api/reconciliation')
    expect(reconciliation.status).toBe(200)
    expect(reconciliation.body.items.length).toBeGreaterThan(0)
    expect(reconciliation.body.totals.byStatus).toHaveProperty('under-billed')
    const item = reconciliation.body.items.find(
      (candidate: { status: string; vendorCount: number }) =>
        (candidate.status === 'under-billed' || candidate.status === 'over-billed') &&
        candidate.vendorCount > 0,
    )
    expect(item).toBeDefined()

    const response = await browser.send('POST', '/api/reconciliation/approve', { ids: [item.id] })
    expect(response.status).toBe(200)
    expect(response.body.results).toEqual([
      {
        id: item.id,
        outcome: 'written',
        reason: null,
        before: item.psaQuantity,
        after: item.vendorCount,
      },
    ])
    const fake = fakes.psa.fake as ConnectWiseFake
    const addition = fake.getAddition(item.agreementId, item.additionId) as { quantity: number }
    expect(addition.quantity).toBe(item.vendorCount)

    const audit = await browser.send('GET', '/api/audit')
    const written = audit.body.find(
      (entry: { action: string }) => entry.action === 'approve.written',
    )
    expect(written).toMatchObject({ actor: ADMIN.email, subject: item.id })
  })

  it('dismisses a line', async () => {
    const reconciliation = await browser.send('GET', '/api/reconciliation')
    const item = reconciliation.body.items.find(
      (candidate: { status: string; dismissed: boolean }) =>
        candidate.status !== 'match' && !candidate.dismissed,
    )
    const response = await browser.send('POST', '/api/reconciliation/dismiss', { ids: [item.id] })
    expect(response.status).toBe(204)
    const after = await browser.send('GET', '/api/reconciliation')
    const dismissed = after.body.items.find((candidate: { id: string }) => candidate.id === item.id)
    expect(dismissed.dismissed).toBe(true)
  })

  it('disconnects and deletes credentials and mappings', async () => {
    for (const kind of ['connectwise', 'ninjaone']) {
      const response = await browser.send('DELETE', `/api/integrations/${kind}`, { confirm: true })
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ disconnected: true })
    }
    const { db } = server.handle.store
    expect(await db.selectFrom('credentials').selectAll().execute()).toEqual([])
    expect(await db.selectFrom('integrations').selectAll().execute()).toEqual([])
    expect(await db.selectFrom('account_mappings').selectAll().execute()).toEqual([])
    expect(await db.selectFrom('service_mappings').selectAll().execute()).toEqual([])
    const integrations = await browser.send('GET', '/api/integrations')
    for (const integration of integrations.body) {
      expect(integration).toMatchObject({ status: 'disconnected', hasCredentials: false })
    }
  })

  it('never sends or logs a secret', () => {
    const secrets = [
      fakes.ninja.clientSecret,
      fakes.psa.secrets.privateKey!,
      ADMIN.password,
      browser.cookie.split('=')[1]!,
    ]
    const bodies = browser.bodies.join('\n')
    const logs = server.logLines.join('\n')
    expect(browser.bodies.length).toBeGreaterThan(30)
    expect(logs).toContain('"msg":"sync succeeded"')
    expect(logs).toContain('"msg":"approval"')
    expect(logs).toContain('"msg":"request completed"')
    for (const secret of secrets) {
      expect(bodies).not.toContain(secret)
      expect(logs).not.toContain(secret)
    }
  })
})
