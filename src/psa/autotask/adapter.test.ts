import Fastify from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type AutotaskFake,
  type AutotaskFakeOptions,
  startAutotaskFake,
} from '../../../fakes/autotask/server.ts'
import {
  buildLargeWorld,
  buildTestWorld,
  TEST_CREDENTIALS,
  TEST_TODAY,
} from '../../../fakes/autotask/test-world.ts'
import { listenOnLoopback, type RunningFake } from '../../../fakes/server.ts'
import type { World } from '../../../fakes/world/types.ts'
import type { PsaAdapter } from '../types.ts'
import { createAutotaskAdapter } from './adapter.ts'
import { resolveAutotaskZoneUrl } from './zone.ts'

const ENV = { MSP_RECON_ALLOWED_HOSTS: '127.0.0.1' }
const ACME_WORKSTATIONS = { agreementId: 100, lineId: 1000 }
const JUNE_1 = new Date('2025-06-01T00:00:00Z')

const servers: RunningFake[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function startFake(options: Partial<AutotaskFakeOptions> = {}): Promise<AutotaskFake> {
  const fake = await startAutotaskFake({
    world: buildTestWorld(),
    ...TEST_CREDENTIALS,
    today: () => TEST_TODAY,
    ...options,
  })
  servers.push(fake)
  return fake
}

function adapterFor(zoneUrl: string, credentials: Partial<typeof TEST_CREDENTIALS> = {}) {
  return createAutotaskAdapter(
    { zoneUrl: resolveAutotaskZoneUrl(zoneUrl, ENV), ...TEST_CREDENTIALS, ...credentials },
    { env: ENV, baseDelayMs: 1, today: () => TEST_TODAY },
  )
}

async function connect(
  options: Partial<AutotaskFakeOptions> = {},
): Promise<{ fake: AutotaskFake; adapter: PsaAdapter }> {
  const fake = await startFake(options)
  return { fake, adapter: adapterFor(fake.zoneUrl) }
}

describe('zone lookup', () => {
  it('runs once before the queries', async () => {
    const { fake, adapter } = await connect()
    await adapter.listCompanies()
    await adapter.listProducts()
    const user = encodeURIComponent(TEST_CREDENTIALS.username)
    expect(fake.faults.requests).toEqual([
      `GET /atservicesrest/v1.0/zoneInformation?user=${user}`,
      'POST /atservicesrest/v1.0/Companies/query',
      'POST /atservicesrest/v1.0/Services/query',
    ])
    expect(adapter.requestCount).toBe(3)
  })

  it('rejects a response naming another host', async () => {
    const fake = await startFake({ zoneAnswerUrl: 'https://api.attacker.example/atservicesrest/' })
    const adapter = adapterFor(fake.zoneUrl)
    await expect(adapter.listCompanies()).rejects.toMatchObject({ code: 'host_not_allowed' })
    expect(fake.faults.requests).toHaveLength(1)
    expect(adapter.requestCount).toBe(1)
  })

  it('reports an unknown API user', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.zoneUrl, { username: 'nobody@msp.example' })
    await expect(adapter.verifyCredentials()).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringContaining('found no zone for the API user "nobody@msp.example"'),
    })
  })
})

describe('credentials', () => {
  it('verify with one cheap query', async () => {
    const { adapter } = await connect()
    await adapter.verifyCredentials()
    expect(adapter.requestCount).toBe(2)
  })

  it('fail with a clear message', async () => {
    const fake = await startFake()
    const secret = 'wrong-secret-9d1e'
    const adapter = adapterFor(fake.zoneUrl, { secret })
    const error = await adapter.verifyCredentials().catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'auth_failed',
      message:
        'Autotask rejected the API user credentials (HTTP 401). Check the username, secret ' +
        'and integration code.',
    })
    expect(JSON.stringify(error)).not.toContain(secret)
    expect((error as Error).message).not.toContain(secret)
  })
})

describe('listCompanies', () => {
  it('lists active customers only', async () => {
    const { adapter } = await connect()
    expect(await adapter.listCompanies()).toEqual([
      { id: 1, name: 'Acme Dental' },
      { id: 2, name: 'Bolt Logistics' },
    ])
  })

  it('reads pages past 500', async () => {
    const { fake, adapter } = await connect({ world: buildLargeWorld(1201) })
    const companies = await adapter.listCompanies()
    expect(companies).toHaveLength(1201)
    expect(new Set(companies.map((company) => company.id)).size).toBe(1201)
    expect(adapter.requestCount).toBe(4)
    expect(fake.faults.count('POST /ATServicesRest/V1.0/Companies/query/next?paging=')).toBe(2)
  })

  it('retries after a 429', async () => {
    const { fake, adapter } = await connect()
    fake.faults.add({
      path: '/Companies/query',
      kind: 'rate-limit',
      times: 1,
      retryAfterSeconds: 0,
    })
    expect(await adapter.listCompanies()).toHaveLength(2)
    expect(adapter.requestCount).toBe(3)
  })
})

describe('listProducts', () => {
  it('lists active services', async () => {
    const { adapter } = await connect({ inactiveServiceIds: [12] })
    expect(await adapter.listProducts()).toEqual([
      { id: 10, name: 'Workstations', identifier: null, unitPrice: 30 },
      { id: 11, name: 'Servers', identifier: null, unitPrice: 90 },
    ])
  })
})

describe('listLines', () => {
  it('lists current-period units', async () => {
    const { adapter } = await connect()
    const lines = await adapter.listLines()
    expect(lines).toEqual([
      {
        id: 1000,
        agreementId: 100,
        agreementName: 'Acme Managed Services',
        companyId: 1,
        productId: 10,
        quantity: 25,
        lessIncluded: 0,
        unitPrice: 30,
        updatedAt: null,
      },
      expect.objectContaining({ id: 1001, agreementId: 100, productId: 11, quantity: 3 }),
      expect.objectContaining({ id: 1010, agreementId: 101, companyId: 2, quantity: 40 }),
    ])
    expect(adapter.requestCount).toBe(5)
  })

  it('shows changes scheduled for next month', async () => {
    const { fake, adapter } = await connect()
    await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 28)
    expect(fake.unitsOf(1000, TEST_TODAY)).toBe(25)
    expect(fake.unitsOf(1000, JUNE_1)).toBe(28)
    const lines = await adapter.listLines()
    expect(lines.find((line) => line.id === 1000)?.quantity).toBe(28)
    expect(await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 28)).toMatchObject({
      outcome: 'unchanged',
    })
    expect(fake.adjustments).toHaveLength(1)
  })

  it('rejects a date after next month starts', async () => {
    const { fake, adapter } = await connect()
    const error = await adapter
      .updateQuantity(ACME_WORKSTATIONS, 25, 28, { effectiveDate: '2025-06-02' })
      .catch((caught: unknown) => caught)
    expect((error as Error).message).toContain('use 2025-06-01 or earlier')
    expect(fake.adjustments).toHaveLength(0)
  })

  it('batches ids with exact request counts', async () => {
    const { fake, adapter } = await connect({ world: buildLargeWorld(501) })
    const lines = await adapter.listLines()
    expect(lines).toHaveLength(501)
    expect(lines[500]).toMatchObject({ id: 20_501, agreementId: 10_501, quantity: 1 })
    // zone 1 + companies 2 pages + 2 batches each of contracts, services and units
    expect(adapter.requestCount).toBe(9)
    expect(fake.faults.count('/Contracts/query')).toBe(2)
    expect(fake.faults.count('/ContractServiceUnits/query')).toBe(2)
  })
})

describe('getLine', () => {
  it('rereads the current units', async () => {
    const { fake, adapter } = await connect()
    fake.setUnits(1000, 27)
    expect(await adapter.getLine(ACME_WORKSTATIONS)).toMatchObject({ id: 1000, quantity: 27 })
  })

  it('returns null for gone lines', async () => {
    const { adapter } = await connect()
    expect(await adapter.getLine({ agreementId: 100, lineId: 999_999 })).toBeNull()
    expect(await adapter.getLine({ agreementId: 101, lineId: 1000 })).toBeNull()
    expect(await adapter.getLine({ agreementId: 102, lineId: 1020 })).toBeNull()
    expect(await adapter.getLine({ agreementId: 100, lineId: 1002 })).toBeNull()
  })
})

describe('updateQuantity', () => {
  it('posts the delta and verifies', async () => {
    const { fake, adapter } = await connect()
    const write = await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 21)
    expect(write).toEqual({ outcome: 'written', before: 25, after: 21 })
    expect(fake.adjustments).toEqual([
      {
        id: 1,
        contractID: 100,
        contractServiceID: 1000,
        serviceID: 10,
        unitChange: -4,
        effectiveDate: '2025-06-01',
      },
    ])
    expect(fake.unitsOf(1000, JUNE_1)).toBe(21)
    expect(fake.unitsOf(1000, new Date('2025-05-31T00:00:00Z'))).toBe(25)
  })

  it('uses a chosen effective date', async () => {
    const { fake, adapter } = await connect()
    const write = await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30, {
      effectiveDate: '2025-05-20',
    })
    expect(write.outcome).toBe('written')
    expect(fake.adjustments).toMatchObject([{ unitChange: 5, effectiveDate: '2025-05-20' }])
    expect(fake.unitsOf(1000, new Date('2025-05-19T00:00:00Z'))).toBe(25)
    expect(fake.unitsOf(1000, new Date('2025-05-20T00:00:00Z'))).toBe(30)
  })

  it('sends nothing when already equal', async () => {
    const { fake, adapter } = await connect()
    const write = await adapter.updateQuantity(ACME_WORKSTATIONS, 20, 25)
    expect(write).toEqual({ outcome: 'unchanged', before: 25, after: 25 })
    expect(fake.adjustments).toHaveLength(0)
  })

  it('refuses units changed since sync', async () => {
    const { fake, adapter } = await connect()
    fake.setUnits(1000, 27)
    const write = await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30)
    expect(write).toMatchObject({ outcome: 'refused', before: 27, after: 27 })
    expect(write.reason).toContain('Units changed in Autotask since sync')
    expect(fake.adjustments).toHaveLength(0)
  })

  it('compares the effective period', async () => {
    const { fake, adapter } = await connect()
    await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 28)
    const again = await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30)
    expect(again).toMatchObject({ outcome: 'refused', before: 28 })
    expect(fake.adjustments).toHaveLength(1)
  })

  it('survives a lost response without double-applying', async () => {
    const { fake, adapter } = await connect()
    fake.loseNextAdjustmentResponse()
    const first = await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30)
    expect(first).toEqual({ outcome: 'written', before: 25, after: 30 })

    const retry = await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30)
    expect(retry).toEqual({ outcome: 'unchanged', before: 30, after: 30 })
    expect(fake.adjustments).toHaveLength(1)
    expect(fake.unitsOf(1000, JUNE_1)).toBe(30)
  })

  it('treats a 502 after applying as written', async () => {
    const { fake, adapter } = await connect()
    fake.loseNextAdjustmentResponse(502)
    const first = await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30)
    expect(first.outcome).toBe('written')
    await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30)
    expect(fake.adjustments).toHaveLength(1)
    expect(fake.unitsOf(1000, JUNE_1)).toBe(30)
  })

  it('throws when the adjustment failed', async () => {
    const { fake, adapter } = await connect()
    fake.faults.add({ path: 'ContractServiceAdjustments', kind: 'status', status: 503, times: 1 })
    await expect(adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30)).rejects.toMatchObject({
      code: 'upstream_failed',
      message: expect.stringContaining('its units are still 25'),
    })
    expect(fake.faults.count('POST /atservicesrest/v1.0/ContractServiceAdjustments')).toBe(1)
    expect(fake.adjustments).toHaveLength(0)

    const retry = await adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30)
    expect(retry.outcome).toBe('written')
    expect(fake.adjustments).toHaveLength(1)
  })

  it('throws not_found for a gone line', async () => {
    const { adapter } = await connect()
    await expect(
      adapter.updateQuantity({ agreementId: 102, lineId: 1020 }, 7, 8),
    ).rejects.toMatchObject({ code: 'not_found' })
  })

  it('rejects invalid input', async () => {
    const { fake, adapter } = await connect()
    await expect(adapter.updateQuantity(ACME_WORKSTATIONS, 25, 2.5)).rejects.toMatchObject({
      code: 'bad_request',
    })
    await expect(
      adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30, { effectiveDate: '2025-02-30' }),
    ).rejects.toMatchObject({ code: 'bad_request' })
    expect(fake.faults.requests).toHaveLength(0)
  })

  it('refuses a date without a period', async () => {
    const { adapter } = await connect()
    await expect(
      adapter.updateQuantity(ACME_WORKSTATIONS, 25, 30, { effectiveDate: '2020-01-01' }),
    ).rejects.toMatchObject({ code: 'conflict' })
  })
})

describe('next page URLs', () => {
  /** Starts a server whose query responses always link to `nextPageUrl(origin)`. */
  async function startLoopingServer(nextPageUrl: (origin: string) => string) {
    const app = Fastify()
    let origin = ''
    app.get('/atservicesrest/v1.0/zoneInformation', async () => ({
      zoneName: 'loop',
      url: `${origin}/atservicesrest/`,
    }))
    app.post('/atservicesrest/v1.0/Companies/*', async () => ({
      items: [{ id: 1, companyName: 'Acme Dental' }],
      pageDetails: {
        count: 1,
        requestCount: 500,
        prevPageUrl: null,
        nextPageUrl: nextPageUrl(origin),
      },
    }))
    const server = await listenOnLoopback(app)
    origin = server.url
    servers.push(server)
    return server
  }

  it('stops when a URL repeats', async () => {
    const server = await startLoopingServer(
      (origin) => `${origin}/atservicesrest/v1.0/Companies/query/next?paging=same`,
    )
    const adapter = adapterFor(`${server.url}/atservicesrest/`)
    await expect(adapter.listCompanies()).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('that it had sent before'),
    })
    expect(adapter.requestCount).toBe(3)
  })

  it('stay on the zone host', async () => {
    const server = await startLoopingServer(
      () => 'https://api.attacker.example/atservicesrest/v1.0/x',
    )
    const adapter = adapterFor(`${server.url}/atservicesrest/`)
    await expect(adapter.listCompanies()).rejects.toMatchObject({ code: 'invalid_response' })
    expect(adapter.requestCount).toBe(2)
  })
})

function worldWithoutLines(): World {
  return { ...buildTestWorld(), contracts: [] }
}

describe('empty tenants', () => {
  it('list no lines without contracts', async () => {
    const { adapter } = await connect({ world: worldWithoutLines() })
    expect(await adapter.listLines()).toEqual([])
    expect(adapter.requestCount).toBe(3)
  })
})
