import { afterEach, describe, expect, it } from 'vitest'
import { type HaloFake, type HaloFakeOptions, startHaloFake } from '../../../fakes/halo/server.ts'
import type { World, WorldCompany, WorldContract } from '../../../fakes/world/types.ts'
import { AppError } from '../../errors.ts'
import type { PsaAdapter } from '../types.ts'
import { createHaloAdapter, resolveHaloBaseUrl } from './index.ts'

const CLIENT_ID = 'halo-test-client'
const CLIENT_SECRET = 'halo-test-secret-3f9a'
const ENV = { MSP_RECON_ALLOWED_HOSTS: '127.0.0.1' }
const UPDATED_AT = '2024-03-01T08:30:00.000Z'

function line(id: number, productId: number, quantity: number, cancelled = false) {
  return {
    id,
    productId,
    quantity,
    lessIncluded: 0,
    unitPrice: productId === 501 ? 4 : 9.5,
    cancelledDate: cancelled ? UPDATED_AT : null,
    updatedAt: UPDATED_AT,
  }
}

function world(extraCompanies: WorldCompany[] = []): World {
  const contracts: WorldContract[] = [
    {
      id: 10,
      companyId: 1,
      name: 'Acme managed services',
      active: true,
      lines: [line(1001, 501, 5), line(1002, 502, 2), line(1003, 501, 7, true)],
    },
    { id: 11, companyId: 2, name: 'Old contract', active: false, lines: [line(1101, 501, 3)] },
    { id: 12, companyId: 1, name: 'Acme servers', active: true, lines: [line(1201, 502, 1)] },
  ]
  return {
    seed: 1,
    organizations: [],
    roles: [],
    devices: [],
    companies: [
      { id: 1, name: 'Acme', active: true, customer: true },
      { id: 2, name: 'Gone Ltd', active: false, customer: true },
      { id: 3, name: 'Parts Supplier', active: true, customer: false },
      ...extraCompanies,
    ],
    products: [
      {
        id: 501,
        identifier: 'NINJA-WKS',
        name: 'Workstations',
        service: 'workstations',
        unitPrice: 4,
      },
      { id: 502, identifier: 'NINJA-SRV', name: 'Servers', service: 'servers', unitPrice: 9.5 },
    ],
    contracts,
  }
}

function manyCompanies(count: number): WorldCompany[] {
  return Array.from({ length: count }, (_, index) => ({
    id: 1000 + index,
    name: `Client ${index}`,
    active: true,
    customer: true,
  }))
}

const running: HaloFake[] = []

async function start(options: Partial<HaloFakeOptions> = {}): Promise<HaloFake> {
  const fake = await startHaloFake({
    world: world(),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...options,
  })
  running.push(fake)
  return fake
}

function adapterFor(fake: HaloFake, secret = CLIENT_SECRET): PsaAdapter {
  return createHaloAdapter(
    {
      baseUrl: resolveHaloBaseUrl(`${fake.url}/api`, ENV),
      clientId: CLIENT_ID,
      clientSecret: secret,
    },
    { baseDelayMs: 1, maxRetries: 3, env: ENV },
  )
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()))
})

describe('sign-in', () => {
  it('discovers auth server, then calls API', async () => {
    const fake = await start()
    const adapter = adapterFor(fake)
    await adapter.verifyCredentials()
    expect(fake.faults.requests.map((request) => request.split('?')[0])).toEqual([
      'GET /api/authinfo',
      'POST /auth/token',
      'GET /api/Client',
    ])
    expect(adapter.requestCount).toBe(3)
  })

  it('sends the tenant from authinfo', async () => {
    const fake = await start({ tenantId: 'acme' })
    await adapterFor(fake).listCompanies()
    expect(fake.faults.count('POST /auth/token?tenant=acme')).toBe(1)
  })

  it('reuses the token across calls', async () => {
    const fake = await start()
    const adapter = adapterFor(fake)
    await adapter.listCompanies()
    await adapter.listProducts()
    expect(fake.faults.count('POST /auth/token')).toBe(1)
    expect(fake.faults.count('GET /api/authinfo')).toBe(1)
  })

  it('signs in again after expireTokens', async () => {
    const fake = await start()
    const adapter = adapterFor(fake)
    await adapter.listCompanies()
    fake.expireTokens()
    const companies = await adapter.listCompanies()
    expect(companies).toEqual([{ id: 1, name: 'Acme' }])
    expect(fake.faults.count('POST /auth/token')).toBe(2)
    expect(fake.faults.count('GET /api/Client')).toBe(3)
  })

  it('refreshes a token near expiry', async () => {
    const fake = await start({ tokenTtlSeconds: 30 })
    const adapter = adapterFor(fake)
    await adapter.listCompanies()
    await adapter.listCompanies()
    // A 30 s token is inside the 60 s refresh margin, so each call signs in first.
    expect(fake.faults.count('POST /auth/token')).toBe(2)
    expect(fake.faults.count('GET /api/Client')).toBe(2)
  })

  it('reports rejected credentials', async () => {
    const fake = await start()
    const error = await rejection(adapterFor(fake, 'wrong-secret').verifyCredentials())
    expect(error.code).toBe('auth_failed')
    expect(error.message).toBe(
      'HaloPSA rejected the client credentials (HTTP 401). Check the client ID and secret.',
    )
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('wrong-secret')
  })

  it('fails when a fresh token is rejected', async () => {
    const fake = await start()
    fake.faults.add({ path: '/api/Client', kind: 'status', status: 401, times: 2 })
    const error = await rejection(adapterFor(fake).listCompanies())
    expect(error.code).toBe('auth_failed')
    expect(fake.faults.count('POST /auth/token')).toBe(2)
  })

  it('reports a missing permission', async () => {
    const fake = await start()
    fake.faults.add({ path: '/api/Item', kind: 'status', status: 403 })
    const error = await rejection(adapterFor(fake).listProducts())
    expect(error.code).toBe('auth_failed')
    expect(error.message).toContain('HTTP 403')
  })

  it('rejects an auth server off the allow-list', async () => {
    const fake = await start({ authUrl: 'https://login.example.com/auth' })
    const error = await rejection(adapterFor(fake).listCompanies())
    expect(error.code).toBe('host_not_allowed')
    expect(fake.faults.requests).toEqual(['GET /api/authinfo'])
  })
})

describe('paging', () => {
  it('reads 250 clients in 3 pages', async () => {
    const fake = await start({ world: world(manyCompanies(249)) })
    const companies = await adapterFor(fake).listCompanies()
    expect(companies).toHaveLength(250)
    expect(new Set(companies.map((company) => company.id)).size).toBe(250)
    expect(fake.faults.count('GET /api/Client')).toBe(3)
  })

  it('reads an empty page after exact fit', async () => {
    const fake = await start({ world: world(manyCompanies(199)) })
    const companies = await adapterFor(fake).listCompanies()
    expect(companies).toHaveLength(200)
    const pages = fake.faults.requests.filter((request) => request.startsWith('GET /api/Client'))
    expect(pages).toHaveLength(3)
    expect(pages[2]).toContain('page_no=3')
  })

  it('keeps filters on every page', async () => {
    const fake = await start({ world: world(manyCompanies(150)) })
    await adapterFor(fake).listCompanies()
    const pages = fake.faults.requests.filter((request) => request.startsWith('GET /api/Client'))
    expect(pages).toHaveLength(2)
    for (const page of pages) {
      expect(page).toContain('includeinactive=false')
      expect(page).toContain('pageinate=true')
      expect(page).toContain('page_size=100')
    }
  })

  it('fails closed on a repeated page', async () => {
    const fake = await start({ world: world(manyCompanies(150)) })
    fake.listQuirk = 'repeat-previous-page'
    const error = await rejection(adapterFor(fake).listCompanies())
    expect(error.code).toBe('upstream_failed')
    expect(error.message).toContain('appeared twice')
  })

  it('fails closed on a changing record_count', async () => {
    const fake = await start({ world: world(manyCompanies(150)) })
    fake.listQuirk = 'grow-record-count'
    const error = await rejection(adapterFor(fake).listCompanies())
    expect(error.code).toBe('upstream_failed')
    expect(error.message).toContain('record_count went from 151 to 152')
  })

  it('retries after 429', async () => {
    const fake = await start()
    fake.faults.add({ path: '/api/Client', kind: 'rate-limit', retryAfterSeconds: 0, times: 1 })
    const companies = await adapterFor(fake).listCompanies()
    expect(companies).toEqual([{ id: 1, name: 'Acme' }])
    expect(fake.faults.count('GET /api/Client')).toBe(2)
  })

  it('rejects a malformed list response', async () => {
    const fake = await start()
    fake.faults.add({ path: '/api/Item', kind: 'malformed-json' })
    const error = await rejection(adapterFor(fake).listProducts())
    expect(error.code).toBe('invalid_response')
  })
})

describe('lists', () => {
  it('lists active customer clients only', async () => {
    const fake = await start()
    expect(await adapterFor(fake).listCompanies()).toEqual([{ id: 1, name: 'Acme' }])
  })

  it('maps items to products', async () => {
    const fake = await start()
    expect(await adapterFor(fake).listProducts()).toEqual([
      { id: 501, name: 'Workstations', identifier: 'NINJA-WKS', unitPrice: 4 },
      { id: 502, name: 'Servers', identifier: 'NINJA-SRV', unitPrice: 9.5 },
    ])
  })

  it('lists active lines of active invoices', async () => {
    const fake = await start()
    const lines = await adapterFor(fake).listLines()
    const common = { companyId: 1, lessIncluded: 0, updatedAt: UPDATED_AT }
    expect(lines).toEqual([
      {
        ...common,
        id: 1001,
        agreementId: 10,
        agreementName: 'Acme managed services',
        productId: 501,
        quantity: 5,
        unitPrice: 4,
      },
      {
        ...common,
        id: 1002,
        agreementId: 10,
        agreementName: 'Acme managed services',
        productId: 502,
        quantity: 2,
        unitPrice: 9.5,
      },
      {
        ...common,
        id: 1201,
        agreementId: 12,
        agreementName: 'Acme servers',
        productId: 502,
        quantity: 1,
        unitPrice: 9.5,
      },
    ])
    const listing = fake.faults.requests.find((request) => request.startsWith('GET /api/Recur'))
    expect(listing).toContain('includelines=true')
  })

  it('handles negative invoice ids', async () => {
    const fake = await start({ negativeInvoiceIds: true })
    const adapter = adapterFor(fake)
    const lines = await adapter.listLines()
    expect(lines.map((entry) => entry.agreementId)).toEqual([-10, -10, -12])
    const result = await adapter.updateQuantity({ agreementId: -10, lineId: 1001 }, 5, 6)
    expect(result.outcome).toBe('written')
    expect(fake.lineOf(-10, 1001)).toMatchObject({ qty_order: 6 })
  })
})

describe('getLine', () => {
  it('reads one line fresh', async () => {
    const fake = await start()
    fake.setLineQuantity(10, 1001, 8)
    const found = await adapterFor(fake).getLine({ agreementId: 10, lineId: 1001 })
    expect(found).toMatchObject({ id: 1001, agreementId: 10, quantity: 8, productId: 501 })
  })

  it('returns null for an unknown invoice', async () => {
    const fake = await start()
    expect(await adapterFor(fake).getLine({ agreementId: 999, lineId: 1001 })).toBeNull()
  })

  it('returns null for a cancelled line', async () => {
    const fake = await start()
    expect(await adapterFor(fake).getLine({ agreementId: 10, lineId: 1003 })).toBeNull()
  })

  it('returns null for an inactive invoice', async () => {
    const fake = await start()
    expect(await adapterFor(fake).getLine({ agreementId: 11, lineId: 1101 })).toBeNull()
  })
})

describe('updateQuantity', () => {
  const ref = { agreementId: 10, lineId: 1001 }

  it('writes only the changed line', async () => {
    const fake = await start()
    const otherBefore = fake.lineOf(10, 1002)
    const result = await adapterFor(fake).updateQuantity(ref, 5, 9)
    expect(result).toEqual({ outcome: 'written', before: 5, after: 9 })
    expect(fake.upserts).toEqual([[{ id: 10, lines: [{ id: 1001, qty_order: 9 }] }]])
    expect(fake.lineOf(10, 1001)).toMatchObject({ qty_order: 9 })
    expect(fake.lineOf(10, 1002)).toEqual(otherBefore)
  })

  it('sends nothing when already equal', async () => {
    const fake = await start()
    const result = await adapterFor(fake).updateQuantity(ref, 3, 5)
    expect(result).toEqual({ outcome: 'unchanged', before: 5, after: 5 })
    expect(fake.upserts).toEqual([])
  })

  it('refuses a quantity changed in Halo', async () => {
    const fake = await start()
    fake.setLineQuantity(10, 1001, 11)
    const result = await adapterFor(fake).updateQuantity(ref, 5, 9)
    expect(result.outcome).toBe('refused')
    expect(result.before).toBe(11)
    expect(result.after).toBe(11)
    expect(result.reason).toContain('Changed in PSA since sync')
    expect(fake.upserts).toEqual([])
    expect(fake.lineOf(10, 1001)).toMatchObject({ qty_order: 11 })
  })

  it('retries the upsert after 502', async () => {
    const fake = await start()
    // The first match is the re-read GET of the invoice; the second is the upsert.
    fake.faults.add({
      path: '/api/RecurringInvoice',
      after: 1,
      times: 1,
      kind: 'status',
      status: 502,
    })
    const result = await adapterFor(fake).updateQuantity(ref, 5, 9)
    expect(result.outcome).toBe('written')
    expect(fake.faults.count('POST /api/RecurringInvoice')).toBe(2)
    expect(fake.upserts).toHaveLength(1)
    expect(fake.lineOf(10, 1001)).toMatchObject({ qty_order: 9 })
  })

  it('repeating a written update is unchanged', async () => {
    const fake = await start()
    const adapter = adapterFor(fake)
    await adapter.updateQuantity(ref, 5, 9)
    const again = await adapter.updateQuantity(ref, 5, 9)
    expect(again).toEqual({ outcome: 'unchanged', before: 9, after: 9 })
    expect(fake.upserts).toHaveLength(1)
  })

  it('fails when the write did not stick', async () => {
    const fake = await start()
    // The fault returns 200 to the upsert before the fake applies it.
    fake.faults.add({
      path: '/api/RecurringInvoice',
      after: 1,
      times: 1,
      kind: 'status',
      status: 200,
    })
    const error = await rejection(adapterFor(fake).updateQuantity(ref, 5, 9))
    expect(error.code).toBe('upstream_failed')
    expect(error.message).toContain('fresh read shows 5')
  })

  it('throws not_found for a missing line', async () => {
    const fake = await start()
    const error = await rejection(
      adapterFor(fake).updateQuantity({ agreementId: 10, lineId: 4242 }, 1, 2),
    )
    expect(error.code).toBe('not_found')
    expect(fake.upserts).toEqual([])
  })

  it('rejects a negative quantity', async () => {
    const fake = await start()
    const error = await rejection(adapterFor(fake).updateQuantity(ref, 5, -1))
    expect(error.code).toBe('bad_request')
    expect(fake.faults.requests).toEqual([])
  })
})
