import { afterEach, describe, expect, it } from 'vitest'
import type { World } from '../world/types.ts'
import { type ConnectWiseFake, startConnectWiseFake } from './server.ts'
import { companiesWorld, smallWorld, TEST_CREDENTIALS } from './test-world.ts'

const running: ConnectWiseFake[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()))
})

async function startFake(world: World = smallWorld()): Promise<ConnectWiseFake> {
  const fake = await startConnectWiseFake({ world, ...TEST_CREDENTIALS })
  running.push(fake)
  return fake
}

const { companyId, publicKey, privateKey, clientId } = TEST_CREDENTIALS
const BASIC_TOKEN = Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64')
const AUTH_HEADERS = {
  authorization: `Basic ${BASIC_TOKEN}`,
  clientId,
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read fields of parsed JSON ad hoc.
type JsonBody = any

async function call(
  fake: ConnectWiseFake,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: JsonBody }> {
  const headers: Record<string, string> = { ...AUTH_HEADERS, ...init.headers }
  if (init.body !== undefined) headers['content-type'] ??= 'application/json'
  const response = await fetch(`${fake.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

function withConditions(path: string, conditions: string): string {
  return `${path}?${new URLSearchParams({ conditions })}`
}

describe('authentication', () => {
  it('rejects missing credentials', async () => {
    const fake = await startFake()

    const response = await fetch(`${fake.apiUrl}/system/info`, { headers: { clientId } })

    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ code: 'Unauthorized' })
  })

  it('rejects a wrong private key', async () => {
    const fake = await startFake()
    const wrong = Buffer.from(`${companyId}+${publicKey}:nope`).toString('base64')

    const response = await call(fake, '/system/info', {
      headers: { authorization: `Basic ${wrong}` },
    })

    expect(response.status).toBe(401)
  })

  it('rejects a missing client ID', async () => {
    const fake = await startFake()

    const response = await fetch(`${fake.apiUrl}/system/info`, {
      headers: { authorization: AUTH_HEADERS.authorization },
    })

    expect(response.status).toBe(401)
    expect((await response.json()).message).toContain('clientId')
  })

  it('answers system info', async () => {
    const fake = await startFake()

    const response = await call(fake, '/system/info')

    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ isCloud: true })
  })
})

describe('records', () => {
  it('renders companies', async () => {
    const fake = await startFake()

    const { body } = await call(fake, '/company/companies/4')

    expect(body).toMatchObject({
      id: 4,
      identifier: 'HooliProspect',
      name: 'Hooli Prospect',
      status: { name: 'Active' },
      deletedFlag: false,
      types: [{ name: 'Prospect' }],
    })
  })

  it('renders agreements', async () => {
    const fake = await startFake()

    const { body } = await call(fake, '/finance/agreements/102')

    expect(body).toMatchObject({
      id: 102,
      name: 'Acme Legacy',
      company: { id: 1, identifier: 'AcmeDental', name: 'Acme Dental' },
      agreementStatus: 'Cancelled',
      cancelledFlag: true,
      billingCycle: { name: 'Monthly' },
    })
  })

  it('renders additions', async () => {
    const fake = await startFake()

    const { body } = await call(fake, '/finance/agreements/100/additions/1000')

    expect(body).toMatchObject({
      id: 1000,
      agreementId: 100,
      product: { id: 10, identifier: 'NINJA-WKS' },
      quantity: 40,
      lessIncluded: 5,
      billedQuantity: 35,
      unitPrice: 4.5,
      extPrice: 157.5,
      billCustomer: 'Billable',
      cancelledDate: null,
      _info: { lastUpdated: '2025-03-01T10:00:00Z' },
    })
  })

  it('answers 404 for unknown records', async () => {
    const fake = await startFake()

    const addition = await call(fake, '/finance/agreements/100/additions/9')
    const agreement = await call(fake, '/finance/agreements/9/additions')
    const route = await call(fake, '/finance/nothing')

    expect(addition.status).toBe(404)
    expect(addition.body).toEqual({
      code: 'NotFound',
      message: 'Addition with id 9 was not found.',
    })
    expect(agreement.status).toBe(404)
    expect(route.body.code).toBe('NotFound')
  })

  it('counts filtered records', async () => {
    const fake = await startFake()

    const all = await call(fake, '/company/companies/count')
    const active = await call(fake, withConditions('/company/companies/count', 'deletedFlag=false'))
    const additions = await call(fake, '/finance/agreements/100/additions/count')

    expect(all.body).toEqual({ count: 5 })
    expect(active.body).toEqual({ count: 4 })
    expect(additions.body).toEqual({ count: 3 })
  })
})

describe('paging', () => {
  it('defaults to 25 records', async () => {
    const fake = await startFake(companiesWorld(60))

    const { body, headers } = await call(fake, '/company/companies')

    expect(body).toHaveLength(25)
    expect(body[0].id).toBe(1)
    const link = headers.get('link') ?? ''
    expect(link).toContain('page=2>; rel="next"')
    expect(link).toContain('page=3>; rel="last"')
    expect(link).not.toContain('rel="prev"')
  })

  it('links the last page', async () => {
    const fake = await startFake(companiesWorld(60))

    const { body, headers } = await call(fake, '/company/companies?pageSize=25&page=3')

    expect(body.map((company: { id: number }) => company.id)).toEqual(
      Array.from({ length: 10 }, (_, index) => 51 + index),
    )
    const link = headers.get('link') ?? ''
    expect(link).toContain('page=2>; rel="prev"')
    expect(link).toContain('page=1>; rel="first"')
    expect(link).not.toContain('rel="next"')
  })

  it('keeps conditions in links', async () => {
    const fake = await startFake(companiesWorld(60))

    const { headers } = await call(
      fake,
      `${withConditions('/company/companies', 'id>10')}&pageSize=20`,
    )

    expect(headers.get('link')).toContain(`conditions=id%3E10&pageSize=20&page=2>; rel="next"`)
  })

  it('rejects oversized pages', async () => {
    const fake = await startFake()

    const { status, body } = await call(fake, '/company/companies?pageSize=1001')

    expect(status).toBe(400)
    expect(body).toEqual({
      code: 'InvalidObject',
      message: 'pageSize 1001 is over the maximum of 1000.',
    })
  })

  it('rejects invalid page numbers', async () => {
    const fake = await startFake()

    const { status } = await call(fake, '/company/companies?page=0')

    expect(status).toBe(400)
  })

  it('orders by a field', async () => {
    const fake = await startFake()

    const { body } = await call(fake, '/company/companies?orderBy=name%20desc')

    expect(body[0].name).toBe('Umbrella Supplies')
  })
})

describe('conditions', () => {
  async function idsFor(path: string, conditions: string): Promise<number[]> {
    const fake = await startFake()
    const { status, body } = await call(fake, withConditions(path, conditions))
    expect(status, JSON.stringify(body)).toBe(200)
    return body.map((record: { id: number }) => record.id)
  }

  it('filters by nested fields', async () => {
    expect(await idsFor('/finance/agreements', 'company/id=1')).toEqual([100, 102])
    expect(await idsFor('/company/companies', 'types/name="Client" and deletedFlag=false')).toEqual(
      [1, 2],
    )
  })

  it('filters by agreement status', async () => {
    const conditions = 'agreementStatus="Active" and cancelledFlag=false'

    expect(await idsFor('/finance/agreements', conditions)).toEqual([100, 101])
  })

  it('filters with like, in and or', async () => {
    expect(await idsFor('/company/companies', 'name like "%dental"')).toEqual([1])
    expect(await idsFor('/company/companies', 'id in (2, 4) or name contains "brella"')).toEqual([
      2, 4, 5,
    ])
  })

  it('filters dates and nulls', async () => {
    const additions = '/finance/agreements/100/additions'

    expect(await idsFor(additions, 'cancelledDate=null')).toEqual([1000])
    expect(await idsFor(additions, 'cancelledDate>[2025-01-01T00:00:00Z]')).toEqual([1002])
    expect(
      await idsFor(additions, 'cancelledDate=null or cancelledDate>[2025-01-01T00:00:00Z]'),
    ).toEqual([1000, 1002])
  })

  it('rejects unknown fields', async () => {
    const fake = await startFake()

    const { status, body } = await call(fake, withConditions('/company/companies', 'colour="red"'))

    expect(status).toBe(400)
    expect(body.code).toBe('InvalidObject')
    expect(body.message).toContain('Unknown field colour')
  })

  it('rejects malformed conditions', async () => {
    const fake = await startFake()

    const { status, body } = await call(fake, withConditions('/company/companies', 'name = "Acme'))

    expect(status).toBe(400)
    expect(body.code).toBe('InvalidObject')
  })
})

describe('addition PATCH', () => {
  const path = '/finance/agreements/100/additions/1000'

  it('replaces the quantity', async () => {
    const fake = await startFake()

    const { status, body } = await call(fake, path, {
      method: 'PATCH',
      body: [{ op: 'replace', path: 'quantity', value: 50 }],
    })

    expect(status).toBe(200)
    expect(body).toMatchObject({ id: 1000, quantity: 50, billedQuantity: 45, extPrice: 202.5 })
    expect(body._info.lastUpdated).not.toBe('2025-03-01T10:00:00Z')
    expect(fake.getAddition(100, 1000)).toMatchObject({ quantity: 50 })
    expect(fake.patchCount).toBe(1)
  })

  it('accepts a slash path', async () => {
    const fake = await startFake()

    const { status } = await call(fake, path, {
      method: 'PATCH',
      body: [{ op: 'replace', path: '/quantity', value: 7 }],
      headers: { 'content-type': 'application/json-patch+json' },
    })

    expect(status).toBe(200)
    expect(fake.getAddition(100, 1000)).toMatchObject({ quantity: 7 })
  })

  it('rejects invalid patch documents', async () => {
    const fake = await startFake()
    const invalidBodies = [
      { op: 'replace', path: 'quantity', value: 5 },
      [],
      [{ op: 'bump', path: 'quantity', value: 5 }],
      [{ op: 'replace', path: 'unitPrice', value: 5 }],
      [{ op: 'replace', path: 'quantity', value: '5' }],
      [{ op: 'replace', path: 'quantity', value: -1 }],
    ]

    for (const body of invalidBodies) {
      const response = await call(fake, path, { method: 'PATCH', body })

      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.body.code).toBe('InvalidObject')
    }
    expect(fake.patchCount).toBe(0)
    expect(fake.getAddition(100, 1000)).toMatchObject({ quantity: 40 })
  })

  it('simulates edits made in ConnectWise PSA', async () => {
    const fake = await startFake()

    fake.setAdditionQuantity(100, 1000, 44)

    expect((await call(fake, path)).body.quantity).toBe(44)
    expect(() => fake.setAdditionQuantity(100, 9, 1)).toThrow('no addition 9')
  })
})

describe('faults', () => {
  it('applies faults before auth', async () => {
    const fake = await startFake()
    fake.faults.add({ path: '/system/info', kind: 'rate-limit', retryAfterSeconds: 3, times: 1 })

    const limited = await fetch(`${fake.apiUrl}/system/info`)
    const next = await call(fake, '/system/info')

    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    expect(next.status).toBe(200)
  })
})
