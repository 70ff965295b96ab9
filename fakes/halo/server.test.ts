import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { World } from '../world/types.ts'
import { type HaloFake, startHaloFake } from './server.ts'

const CLIENT_ID = 'fake-test-client'
const CLIENT_SECRET = 'fake-test-secret'

function world(): World {
  const updatedAt = '2024-03-01T08:30:00.000Z'
  return {
    seed: 1,
    organizations: [],
    roles: [],
    devices: [],
    companies: [
      { id: 1, name: 'Acme', active: true, customer: true },
      { id: 2, name: 'Gone Ltd', active: false, customer: true },
      { id: 3, name: 'Parts Supplier', active: true, customer: false },
    ],
    products: [
      {
        id: 501,
        identifier: 'NINJA-WKS',
        name: 'Workstations',
        service: 'workstations',
        unitPrice: 4,
      },
    ],
    contracts: [
      {
        id: 10,
        companyId: 1,
        name: 'Acme managed services',
        active: true,
        lines: [
          {
            id: 1001,
            productId: 501,
            quantity: 5,
            lessIncluded: 0,
            unitPrice: 4,
            cancelledDate: null,
            updatedAt,
          },
          {
            id: 1002,
            productId: 501,
            quantity: 2,
            lessIncluded: 0,
            unitPrice: 4,
            cancelledDate: updatedAt,
            updatedAt,
          },
        ],
      },
      { id: 11, companyId: 2, name: 'Old contract', active: false, lines: [] },
      { id: 12, companyId: 3, name: 'Supplier contract', active: true, lines: [] },
    ],
  }
}

let fake: HaloFake

beforeEach(async () => {
  fake = await startHaloFake({ world: world(), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })
})

afterEach(async () => {
  await fake.close()
})

async function token(secret = CLIENT_SECRET): Promise<Response> {
  return fetch(`${fake.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: secret,
      scope: 'all',
    }),
  })
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const { access_token } = (await (await token()).json()) as { access_token: string }
  return fetch(`${fake.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
  })
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>
}

describe('auth', () => {
  it('authinfo names the auth server', async () => {
    const body = await json(await fetch(`${fake.url}/api/authinfo`))
    expect(body.auth_url).toBe(`${fake.url}/auth`)
  })

  it('issues a bearer token', async () => {
    const body = await json(await token())
    expect(body.token_type).toBe('Bearer')
    expect(body.expires_in).toBe(3600)
    expect(typeof body.access_token).toBe('string')
  })

  it('rejects a wrong secret', async () => {
    const response = await token('wrong')
    expect(response.status).toBe(401)
    expect(await json(response)).toEqual({ error: 'invalid_client' })
  })

  it('requires the tenant it names', async () => {
    const tenantFake = await startHaloFake({
      world: world(),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tenantId: 'acme',
    })
    try {
      const info = await json(await fetch(`${tenantFake.url}/api/authinfo`))
      expect(info.tenant_id).toBe('acme')
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      })
      const post = (query: string) =>
        fetch(`${tenantFake.url}/auth/token${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        })
      expect((await post('')).status).toBe(400)
      expect((await post('?tenant=acme')).status).toBe(200)
    } finally {
      await tenantFake.close()
    }
  })

  it('rejects calls without a token', async () => {
    const response = await fetch(`${fake.url}/api/Client`)
    expect(response.status).toBe(401)
  })

  it('rejects tokens after expireTokens', async () => {
    const { access_token } = (await json(await token())) as { access_token: string }
    const call = () =>
      fetch(`${fake.url}/api/Client`, { headers: { authorization: `Bearer ${access_token}` } })
    expect((await call()).status).toBe(200)
    fake.expireTokens()
    expect((await call()).status).toBe(401)
  })
})

describe('lists', () => {
  it('lists active customer clients', async () => {
    const body = await json(await api('/api/Client'))
    expect(body).toEqual({ record_count: 1, clients: [{ id: 1, name: 'Acme', inactive: false }] })
  })

  it('lists inactive clients on request', async () => {
    const body = await json(await api('/api/Client?includeinactive=true'))
    expect(body.record_count).toBe(2)
  })

  it('renders products as items', async () => {
    const body = await json(await api('/api/Item'))
    expect(body.items).toEqual([{ id: 501, name: 'Workstations', code: 'NINJA-WKS', baseprice: 4 }])
  })

  it('pages with record_count', async () => {
    const first = await json(
      await api('/api/Client?includeinactive=true&pageinate=true&page_size=1&page_no=1'),
    )
    const third = await json(
      await api('/api/Client?includeinactive=true&pageinate=true&page_size=1&page_no=3'),
    )
    expect(first).toMatchObject({ page_no: 1, page_size: 1, record_count: 2 })
    expect(first.clients).toEqual([{ id: 1, name: 'Acme', inactive: false }])
    expect(third.clients).toEqual([])
  })

  it('repeats a page under the quirk', async () => {
    fake.listQuirk = 'repeat-previous-page'
    const path = '/api/Client?includeinactive=true&pageinate=true&page_size=1'
    const second = await json(await api(`${path}&page_no=2`))
    expect(second.clients).toEqual([{ id: 1, name: 'Acme', inactive: false }])
  })

  it('omits lines unless asked', async () => {
    const body = await json(await api('/api/RecurringInvoice'))
    const invoices = body.invoices as Record<string, unknown>[]
    expect(invoices.map((invoice) => invoice.id)).toEqual([10])
    expect(invoices[0]).not.toHaveProperty('lines')
  })

  it('renders invoices with lines', async () => {
    const body = await json(
      await api('/api/RecurringInvoice?includelines=true&includeinactive=true'),
    )
    expect(body.record_count).toBe(2)
    const [acme, old] = body.invoices as Record<string, unknown>[]
    expect(acme).toMatchObject({
      id: 10,
      client_id: 1,
      reference: 'Acme managed services',
      disabled: false,
      last_modified: '2024-03-01T08:30:00.000',
    })
    expect(acme?.lines).toEqual([
      expect.objectContaining({
        id: 1001,
        ihid: 10,
        _itemid: 501,
        qty_order: 5,
        isinactive: false,
      }),
      expect.objectContaining({ id: 1002, ihid: 10, qty_order: 2, isinactive: true }),
    ])
    expect(old).toMatchObject({ id: 11, disabled: true })
  })

  it('filters invoices by client', async () => {
    const body = await json(await api('/api/RecurringInvoice?client_id=2&includeinactive=true'))
    expect((body.invoices as { id: number }[]).map((invoice) => invoice.id)).toEqual([11])
  })

  it('returns 404 for unknown invoice', async () => {
    expect((await api('/api/RecurringInvoice/999')).status).toBe(404)
  })

  it('uses negative invoice ids on request', async () => {
    const negative = await startHaloFake({
      world: world(),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      negativeInvoiceIds: true,
    })
    try {
      expect(negative.lineOf(-10, 1001)).toMatchObject({ ihid: -10, qty_order: 5 })
    } finally {
      await negative.close()
    }
  })
})

describe('upsert', () => {
  function post(body: unknown): Promise<Response> {
    return api('/api/RecurringInvoice', { method: 'POST', body: JSON.stringify(body) })
  }

  it('updates only the lines sent', async () => {
    const response = await post([{ id: 10, lines: [{ id: 1001, qty_order: 9 }] }])
    expect(response.status).toBe(201)
    expect(fake.lineOf(10, 1001)).toMatchObject({ qty_order: 9, unit_price: 4 })
    expect(fake.lineOf(10, 1002)).toMatchObject({ qty_order: 2, isinactive: true })
    expect(fake.upserts).toEqual([[{ id: 10, lines: [{ id: 1001, qty_order: 9 }] }]])
  })

  it('adds a line without id', async () => {
    const response = await post([{ id: 10, lines: [{ _itemid: 501, qty_order: 3 }] }])
    const saved = await json(response)
    const lines = saved.lines as { id: number; qty_order: number }[]
    expect(lines).toHaveLength(3)
    expect(lines[2]).toMatchObject({ _itemid: 501, qty_order: 3, unit_price: 4 })
  })

  it('creates an invoice without id', async () => {
    const saved = await json(await post([{ client_id: 1, reference: 'New', lines: [] }]))
    expect(saved).toMatchObject({ id: 13, client_id: 1, reference: 'New' })
  })

  it('rejects a body that is not an array', async () => {
    const response = await post({ id: 10 })
    expect(response.status).toBe(400)
    expect(fake.upserts).toEqual([])
  })

  it('rejects a line of another invoice', async () => {
    const response = await post([{ id: 10, lines: [{ id: 4242, qty_order: 1 }] }])
    expect(response.status).toBe(400)
    expect(fake.lineOf(10, 1001)).toMatchObject({ qty_order: 5 })
  })

  it('rejects upsert of unknown invoice', async () => {
    expect((await post([{ id: 77, lines: [] }])).status).toBe(404)
  })

  it('setLineQuantity changes the rendered line', async () => {
    fake.setLineQuantity(10, 1001, 12)
    const body = await json(await api('/api/RecurringInvoice/10?includelines=true'))
    expect((body.lines as { qty_order: number }[])[0]?.qty_order).toBe(12)
  })
})
