import { afterEach, describe, expect, it } from 'vitest'
import { type AutotaskFake, type AutotaskFakeOptions, startAutotaskFake } from './server.ts'
import { buildTestWorld, TEST_CREDENTIALS, TEST_TODAY } from './test-world.ts'

const AUTH = {
  ApiIntegrationCode: TEST_CREDENTIALS.integrationCode,
  UserName: TEST_CREDENTIALS.username,
  Secret: TEST_CREDENTIALS.secret,
  'content-type': 'application/json',
}

const fakes: AutotaskFake[] = []

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})

async function start(options: Partial<AutotaskFakeOptions> = {}): Promise<AutotaskFake> {
  const fake = await startAutotaskFake({
    world: buildTestWorld(),
    ...TEST_CREDENTIALS,
    today: () => TEST_TODAY,
    ...options,
  })
  fakes.push(fake)
  return fake
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read untyped JSON responses field by field.
type Json = any

async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.headers ?? AUTH,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

async function queryIds(fake: AutotaskFake, entity: string, filter: unknown): Promise<number[]> {
  const { status, body } = await call(`${fake.zoneUrl}v1.0/${entity}/query`, { body: { filter } })
  expect(status).toBe(200)
  return body.items.map((item: { id: number }) => item.id)
}

describe('zone lookup', () => {
  it('points back at the fake', async () => {
    const fake = await start()
    const user = encodeURIComponent(TEST_CREDENTIALS.username.toUpperCase())
    const { status, body } = await call(
      `${fake.url}/ATServicesRest/V1.0/ZoneInformation?user=${user}`,
      { headers: {} },
    )
    expect(status).toBe(200)
    expect(body.url).toBe(fake.zoneUrl)
    expect(body.zoneName).toEqual(expect.any(String))
  })

  it('rejects an unknown user', async () => {
    const fake = await start()
    const { status, body } = await call(`${fake.zoneUrl}v1.0/zoneInformation?user=x@y.example`)
    expect(status).toBe(500)
    expect(body.errors).toEqual(['Zone information could not be determined'])
  })
})

describe('credential headers', () => {
  it('accept any header name casing', async () => {
    const fake = await start()
    const headers = {
      APIINTEGRATIONCODE: TEST_CREDENTIALS.integrationCode,
      username: TEST_CREDENTIALS.username.toUpperCase(),
      SECRET: TEST_CREDENTIALS.secret,
    }
    const { status } = await call(`${fake.zoneUrl}v1.0/Companies/1`, { headers })
    expect(status).toBe(200)
  })

  it('return 401 for a wrong secret', async () => {
    const fake = await start()
    const headers = { ...AUTH, Secret: 'wrong' }
    const { status, body } = await call(`${fake.zoneUrl}v1.0/Companies/1`, { headers })
    expect(status).toBe(401)
    expect(body.errors).toHaveLength(1)
  })
})

describe('query filters', () => {
  it('require a filter', async () => {
    const fake = await start()
    const { status, body } = await call(`${fake.zoneUrl}v1.0/Companies/query`, { body: {} })
    expect(status).toBe(500)
    expect(body.errors[0]).toContain('filter')
  })

  it('reject an unknown field', async () => {
    const fake = await start()
    const filter = [{ op: 'eq', field: 'nope', value: 1 }]
    const { status } = await call(`${fake.zoneUrl}v1.0/Companies/query`, { body: { filter } })
    expect(status).toBe(500)
  })

  it('evaluate every operator', async () => {
    const fake = await start()
    const ids = (filter: unknown) => queryIds(fake, 'Companies', filter)
    expect(await ids([{ op: 'eq', field: 'companyname', value: 'ACME DENTAL' }])).toEqual([1])
    expect(await ids([{ op: 'noteq', field: 'id', value: 1 }])).toEqual([2, 3, 4])
    expect(await ids([{ op: 'gt', field: 'id', value: 2 }])).toEqual([3, 4])
    expect(await ids([{ op: 'gte', field: 'id', value: 2 }])).toEqual([2, 3, 4])
    expect(await ids([{ op: 'lt', field: 'id', value: 2 }])).toEqual([1])
    expect(await ids([{ op: 'lte', field: 'id', value: 2 }])).toEqual([1, 2])
    expect(await ids([{ op: 'in', field: 'id', value: [1, 3] }])).toEqual([1, 3])
    expect(await ids([{ op: 'notIn', field: 'id', value: [1, 3] }])).toEqual([2, 4])
    expect(await ids([{ op: 'beginsWith', field: 'companyName', value: 'bolt' }])).toEqual([2])
    expect(await ids([{ op: 'endsWith', field: 'companyName', value: 'ltd' }])).toEqual([4])
    expect(await ids([{ op: 'contains', field: 'companyName', value: 'co' }])).toEqual([3])
    expect(await ids([{ op: 'eq', field: 'isActive', value: false }])).toEqual([3])
    expect(await ids([{ op: 'eq', field: 'companyType', value: 1 }])).toEqual([1, 2, 3])
  })

  it('combine and/or groups', async () => {
    const fake = await start()
    const filter = [
      {
        op: 'or',
        items: [
          { op: 'eq', field: 'id', value: 4 },
          {
            op: 'and',
            items: [
              { op: 'eq', field: 'isActive', value: true },
              { op: 'eq', field: 'companyType', value: 1 },
            ],
          },
        ],
      },
    ]
    expect(await queryIds(fake, 'Companies', filter)).toEqual([1, 2, 4])
  })

  it('compare dates as days', async () => {
    const fake = await start()
    const filter = [
      { op: 'eq', field: 'contractServiceID', value: 1000 },
      { op: 'lte', field: 'startDate', value: '2025-05-01' },
      { op: 'gte', field: 'endDate', value: '2025-05-01' },
    ]
    const { body } = await call(`${fake.zoneUrl}v1.0/ContractServiceUnits/query`, {
      body: { filter },
    })
    expect(body.items).toHaveLength(1)
    expect(body.items[0].startDate).toBe('2025-05-01T00:00:00')
    expect(body.items[0].endDate).toBe('2025-05-31T00:00:00')
    expect(body.items[0].units).toBe(25)
  })

  it('counts matching records', async () => {
    const fake = await start()
    const filter = [{ op: 'gte', field: 'id', value: 0 }]
    const { body } = await call(`${fake.zoneUrl}v1.0/Contracts/query/count`, { body: { filter } })
    expect(body).toEqual({ queryCount: 5 })
  })
})

describe('paging', () => {
  const all = [{ op: 'gte', field: 'id', value: 0 }]

  it('posts next pages with the filter', async () => {
    const fake = await start({ pageSize: 2 })
    const first = await call(`${fake.zoneUrl}v1.0/Companies/query`, { body: { filter: all } })
    expect(first.body.items.map((item: { id: number }) => item.id)).toEqual([1, 2])
    expect(first.body.pageDetails).toMatchObject({ count: 2, requestCount: 2, prevPageUrl: null })
    const nextUrl: string = first.body.pageDetails.nextPageUrl
    expect(nextUrl.startsWith(fake.url)).toBe(true)

    const second = await call(nextUrl, { body: { filter: all } })
    expect(second.body.items.map((item: { id: number }) => item.id)).toEqual([3, 4])
    expect(second.body.pageDetails.nextPageUrl).toBeNull()
    expect(second.body.pageDetails.prevPageUrl).toEqual(expect.any(String))

    const previous = await call(second.body.pageDetails.prevPageUrl, { body: { filter: all } })
    expect(previous.body.items.map((item: { id: number }) => item.id)).toEqual([1, 2])
  })

  it('returns 405 for GET on next pages', async () => {
    const fake = await start({ pageSize: 2 })
    const first = await call(`${fake.zoneUrl}v1.0/Companies/query`, { body: { filter: all } })
    const { status } = await call(first.body.pageDetails.nextPageUrl)
    expect(status).toBe(405)
  })

  it('serves the GET search form', async () => {
    const fake = await start({ pageSize: 3 })
    const search = encodeURIComponent(JSON.stringify({ filter: all }))
    const first = await call(`${fake.zoneUrl}v1.0/companies/query?search=${search}`)
    expect(first.body.items).toHaveLength(3)
    const second = await call(first.body.pageDetails.nextPageUrl)
    expect(second.body.items.map((item: { id: number }) => item.id)).toEqual([4])
  })

  it('honours MaxRecords and IncludeFields', async () => {
    const fake = await start()
    const { body } = await call(`${fake.zoneUrl}v1.0/Companies/query`, {
      body: { filter: all, MaxRecords: 1, IncludeFields: ['companyName'] },
    })
    expect(body.items).toEqual([{ id: 1, companyName: 'Acme Dental' }])
    expect(body.pageDetails.nextPageUrl).toEqual(expect.any(String))
  })

  it('rejects MaxRecords above 500', async () => {
    const fake = await start()
    const { status } = await call(`${fake.zoneUrl}v1.0/Companies/query`, {
      body: { filter: all, MaxRecords: 501 },
    })
    expect(status).toBe(400)
  })
})

describe('records', () => {
  it('returns one item by id', async () => {
    const fake = await start()
    const { body } = await call(`${fake.zoneUrl}V1.0/CONTRACTSERVICES/1000`)
    expect(body.item).toMatchObject({ id: 1000, contractID: 100, serviceID: 10, unitPrice: 30 })
    const missing = await call(`${fake.zoneUrl}v1.0/ContractServices/999999`)
    expect(missing.body).toEqual({ item: null })
  })

  it('renders contracts and their status', async () => {
    const fake = await start()
    const { body } = await call(`${fake.zoneUrl}v1.0/Contracts/102`)
    expect(body.item).toMatchObject({ companyID: 2, status: 0, contractType: 7 })
  })

  it('ends a cancelled line before cancellation', async () => {
    const fake = await start()
    expect(fake.unitsOf(1002, new Date('2025-03-31T00:00:00Z'))).toBe(5)
    expect(fake.unitsOf(1002, new Date('2025-04-01T00:00:00Z'))).toBeUndefined()
    expect(fake.unitsOf(1002)).toBeUndefined()
  })
})

describe('adjustments', () => {
  const adjustment = {
    contractID: 100,
    contractServiceID: 1000,
    serviceID: 10,
    unitChange: 5,
    effectiveDate: '2025-05-20',
  }

  it('split the period at the effective date', async () => {
    const fake = await start()
    const { status, body } = await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments`, {
      body: adjustment,
    })
    expect(status).toBe(200)
    expect(body).toEqual({ itemId: 1 })
    expect(fake.unitsOf(1000, new Date('2025-05-19T00:00:00Z'))).toBe(25)
    expect(fake.unitsOf(1000, new Date('2025-05-20T00:00:00Z'))).toBe(30)
    expect(fake.unitsOf(1000, new Date('2026-01-10T00:00:00Z'))).toBe(30)

    const filter = [
      { op: 'eq', field: 'contractServiceID', value: 1000 },
      { op: 'gte', field: 'startDate', value: '2025-05-01' },
      { op: 'lte', field: 'startDate', value: '2025-06-01' },
    ]
    const units = await call(`${fake.zoneUrl}v1.0/ContractServiceUnits/query`, {
      body: { filter },
    })
    const periods = units.body.items.map((item: Record<string, unknown>) => [
      item.startDate,
      item.endDate,
      item.units,
    ])
    expect(periods).toEqual([
      ['2025-05-01T00:00:00', '2025-05-19T00:00:00', 25],
      ['2025-05-20T00:00:00', '2025-05-31T00:00:00', 30],
      ['2025-06-01T00:00:00', '2025-06-30T00:00:00', 30],
    ])
  })

  it('accept the contract child form', async () => {
    const fake = await start()
    const { contractID: _, ...body } = adjustment
    const { status } = await call(`${fake.zoneUrl}v1.0/Contracts/100/ServiceAdjustments`, {
      body,
    })
    expect(status).toBe(200)
    expect(fake.adjustments).toEqual([{ id: 1, ...adjustment }])
  })

  it('add a missing contract service', async () => {
    const fake = await start()
    const body = { contractID: 101, serviceID: 11, unitChange: 4, effectiveDate: '2025-06-01' }
    const created = await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments`, { body })
    expect(created.status).toBe(200)
    const filter = [
      { op: 'eq', field: 'contractID', value: 101 },
      { op: 'eq', field: 'serviceID', value: 11 },
    ]
    expect(await queryIds(fake, 'ContractServices', filter)).toHaveLength(1)
  })

  it('reject going below zero', async () => {
    const fake = await start()
    const { status } = await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments`, {
      body: { ...adjustment, unitChange: -26 },
    })
    expect(status).toBe(400)
    expect(fake.adjustments).toHaveLength(0)
    expect(fake.unitsOf(1000, new Date('2025-06-01T00:00:00Z'))).toBe(25)
  })

  it('reject an inactive contract', async () => {
    const fake = await start()
    const body = {
      contractID: 102,
      contractServiceID: 1020,
      unitChange: 1,
      effectiveDate: '2025-06-01',
    }
    const { status } = await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments`, { body })
    expect(status).toBe(400)
  })

  it('cannot be read back', async () => {
    const fake = await start()
    await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments`, { body: adjustment })
    const item = await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments/1`)
    expect(item.status).toBe(405)
    const filter = [{ op: 'gte', field: 'id', value: 0 }]
    const listed = await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments/query`, {
      body: { filter },
    })
    expect(listed.status).toBe(405)
  })

  it('apply before a dropped connection', async () => {
    const fake = await start()
    fake.loseNextAdjustmentResponse()
    await expect(
      call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments`, { body: adjustment }),
    ).rejects.toThrow()
    expect(fake.adjustments).toHaveLength(1)
    expect(fake.unitsOf(1000, new Date('2025-05-20T00:00:00Z'))).toBe(30)

    const after = await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments`, {
      body: { ...adjustment, unitChange: 1 },
    })
    expect(after.status).toBe(200)
  })

  it('apply before a 502 response', async () => {
    const fake = await start()
    fake.loseNextAdjustmentResponse(502)
    const { status } = await call(`${fake.zoneUrl}v1.0/ContractServiceAdjustments`, {
      body: adjustment,
    })
    expect(status).toBe(502)
    expect(fake.adjustments).toHaveLength(1)
  })

  it('setUnits changes every period', async () => {
    const fake = await start()
    fake.setUnits(1000, 31)
    expect(fake.unitsOf(1000)).toBe(31)
    expect(fake.unitsOf(1000, new Date('2025-09-01T00:00:00Z'))).toBe(31)
  })
})
