import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { type ConnectWiseFake, startConnectWiseFake } from '../../../fakes/connectwise/server.ts'
import {
  companiesWorld,
  smallWorld,
  TEST_CREDENTIALS,
} from '../../../fakes/connectwise/test-world.ts'
import { listenOnLoopback, type RunningFake } from '../../../fakes/server.ts'
import type { World } from '../../../fakes/world/types.ts'
import { AppError } from '../../errors.ts'
import { createLogger } from '../../log.ts'
import type { PsaAdapter } from '../types.ts'
import { type ConnectWiseAdapterOptions, createConnectWiseAdapter } from './adapter.ts'
import { resolveConnectWiseBaseUrl } from './base-url.ts'

const LOOPBACK_ENV = { MSP_RECON_ALLOWED_HOSTS: '127.0.0.1' }
const running: RunningFake[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()))
})

async function startFake(world: World = smallWorld()): Promise<ConnectWiseFake> {
  const fake = await startConnectWiseFake({ world, ...TEST_CREDENTIALS })
  running.push(fake)
  return fake
}

function adapterFor(
  apiUrl: string,
  overrides: Partial<typeof TEST_CREDENTIALS> = {},
  options: ConnectWiseAdapterOptions = {},
): PsaAdapter {
  const baseUrl = resolveConnectWiseBaseUrl({ apiUrl }, LOOPBACK_ENV)
  return createConnectWiseAdapter(
    { baseUrl, ...TEST_CREDENTIALS, ...overrides },
    { baseDelayMs: 1, ...options },
  )
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { logger: createLogger({ level: 'debug', destination }), lines }
}

/** Starts a stand-in ConnectWise PSA with the routes `setup` adds and returns its API URL. */
async function startStandIn(setup: (app: FastifyInstance) => void): Promise<string> {
  const app = Fastify({ logger: false })
  setup(app)
  const server = await listenOnLoopback(app)
  running.push(server)
  return `${server.url}/v4_6_release/apis/3.0`
}

describe('listing', () => {
  it('lists active customer companies', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    const companies = await adapter.listCompanies()

    expect(companies).toEqual([
      { id: 1, name: 'Acme Dental' },
      { id: 2, name: 'Globex Logistics' },
    ])
    expect(fake.faults.requests[0]).toContain('conditions=deletedFlag%3Dfalse')
    expect(adapter.requestCount).toBe(1)
  })

  it('lists catalog products', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    const products = await adapter.listProducts()

    expect(products).toEqual([
      { id: 10, name: 'Workstation RMM', identifier: 'NINJA-WKS', unitPrice: 4.5 },
      { id: 11, name: 'Server RMM', identifier: 'NINJA-SRV', unitPrice: 12 },
      { id: 12, name: 'Microsoft 365 Business Premium', identifier: 'M365-BP', unitPrice: 22 },
    ])
    expect(fake.faults.requests[0]).toContain('conditions=inactiveFlag%3Dfalse')
  })

  it('lists only active lines', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    const lines = await adapter.listLines()

    expect(lines.map((line) => line.id)).toEqual([1000, 1002, 1010])
    expect(lines[0]).toEqual({
      id: 1000,
      agreementId: 100,
      agreementName: 'Acme Managed Services',
      companyId: 1,
      productId: 10,
      quantity: 40,
      lessIncluded: 5,
      unitPrice: 4.5,
      updatedAt: '2025-03-01T10:00:00Z',
    })
    const agreementsRequest = decodeURIComponent(
      (fake.faults.requests[0] ?? '').replaceAll('+', ' '),
    )
    expect(agreementsRequest).toContain(
      'conditions=agreementStatus="Active" and cancelledFlag=false',
    )
    expect(fake.faults.count('/finance/agreements/102/additions')).toBe(0)
    expect(adapter.requestCount).toBe(3)
  })

  it('skips inactive records despite conditions', async () => {
    const apiUrl = await startStandIn((app) => {
      const prefix = '/v4_6_release/apis/3.0'
      app.get(`${prefix}/company/companies`, async () => [
        { id: 1, name: 'Kept', deletedFlag: false, types: [{ name: 'Client' }] },
        { id: 2, name: 'Deleted', deletedFlag: true },
        { id: 3, name: 'Vendor only', types: [{ name: 'Vendor' }] },
        { id: 4, name: 'Client and vendor', types: [{ name: 'Vendor' }, { name: 'Client' }] },
      ])
      app.get(`${prefix}/procurement/catalog`, async () => [
        { id: 1, description: 'Retired', inactiveFlag: true },
      ])
      app.get(`${prefix}/finance/agreements`, async () => [
        { id: 1, name: 'Expired', company: { id: 1 }, agreementStatus: 'Expired' },
        { id: 2, name: 'Cancelled', company: { id: 1 }, cancelledFlag: true },
      ])
    })
    const adapter = adapterFor(apiUrl)

    const companies = await adapter.listCompanies()

    expect(companies.map((company) => company.id)).toEqual([1, 4])
    expect(await adapter.listProducts()).toEqual([])
    expect(await adapter.listLines()).toEqual([])
    expect(adapter.requestCount).toBe(3)
  })

  it('reads additions with bounded concurrency', async () => {
    let inFlight = 0
    let maxInFlight = 0
    const agreements = Array.from({ length: 12 }, (_, index) => ({
      id: index + 1,
      name: `Agreement ${index + 1}`,
      company: { id: 1 },
      agreementStatus: 'Active',
      cancelledFlag: false,
    }))
    const apiUrl = await startStandIn((app) => {
      app.get('/v4_6_release/apis/3.0/finance/agreements', async () => agreements)
      app.get('/v4_6_release/apis/3.0/finance/agreements/:id/additions', async () => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await sleep(20)
        inFlight--
        return [{ id: 1, product: { id: 1 }, quantity: 1 }]
      })
    })

    const lines = await adapterFor(apiUrl, {}, { concurrency: 3 }).listLines()

    expect(lines).toHaveLength(12)
    expect(maxInFlight).toBe(3)
  })
})

describe('paging', () => {
  it('pages through 2,100 companies', async () => {
    const fake = await startFake(companiesWorld(2100))
    const adapter = adapterFor(fake.apiUrl)

    const companies = await adapter.listCompanies()

    expect(companies).toHaveLength(2100)
    expect(new Set(companies.map((company) => company.id)).size).toBe(2100)
    expect(adapter.requestCount).toBe(3)
    const pages = fake.faults.requests.filter((line) => line.includes('/company/companies'))
    expect(pages).toHaveLength(3)
    for (const [index, request] of pages.entries()) {
      expect(request).toContain(`page=${index + 1}`)
      expect(request).toContain('pageSize=1000')
      expect(request).toContain('conditions=deletedFlag%3Dfalse')
    }
  })

  it('reads an empty page after a full one', async () => {
    const fake = await startFake(companiesWorld(2000))
    const adapter = adapterFor(fake.apiUrl)

    const companies = await adapter.listCompanies()

    expect(companies).toHaveLength(2000)
    expect(adapter.requestCount).toBe(3)
  })

  it('rejects a repeated page', async () => {
    const sameThousand = Array.from({ length: 1000 }, (_, index) => ({
      id: index + 1,
      name: `Company ${index + 1}`,
    }))
    const apiUrl = await startStandIn((app) => {
      app.get('/v4_6_release/apis/3.0/company/companies', async () => sameThousand)
    })
    const adapter = adapterFor(apiUrl)

    const error = await failureOf(adapter.listCompanies())

    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain('listed id 1 of GET /company/companies again on page 2')
    expect(adapter.requestCount).toBe(2)
  })
})

describe('credentials', () => {
  it('verifies valid credentials', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    await adapter.verifyCredentials()

    expect(adapter.requestCount).toBe(1)
    expect(fake.faults.requests).toEqual(['GET /v4_6_release/apis/3.0/system/info'])
  })

  it('reports rejected API keys', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl, { privateKey: 'wrong-private-key' })

    const error = await failureOf(adapter.verifyCredentials())

    expect(error.code).toBe('auth_failed')
    expect(error.message).toBe(
      'ConnectWise PSA rejected the API keys (HTTP 401). Check the company ID, ' +
        'public/private key and client ID.',
    )
    expect(JSON.stringify(error.details)).not.toContain('wrong-private-key')
    expect(adapter.requestCount).toBe(1)
  })

  it('reports a wrong client ID', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl, { clientId: '99999999-0000-4000-8000-000000000000' })

    const error = await failureOf(adapter.listCompanies())

    expect(error.code).toBe('auth_failed')
  })
})

describe('getLine', () => {
  it('reads one active line', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    const line = await adapter.getLine({ agreementId: 101, lineId: 1010 })

    expect(line).toMatchObject({ id: 1010, agreementId: 101, companyId: 2, quantity: 12 })
  })

  it('returns null for missing lines', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    expect(await adapter.getLine({ agreementId: 100, lineId: 9999 })).toBeNull()
    expect(await adapter.getLine({ agreementId: 9999, lineId: 1000 })).toBeNull()
  })

  it('rejects invalid line ids', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    const error = await failureOf(adapter.getLine({ agreementId: 100, lineId: Number.NaN }))

    expect(error.code).toBe('bad_request')
    expect(adapter.requestCount).toBe(0)
  })

  it('returns null for inactive lines', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    expect(await adapter.getLine({ agreementId: 100, lineId: 1001 })).toBeNull()
    expect(await adapter.getLine({ agreementId: 102, lineId: 1020 })).toBeNull()
  })
})

describe('updateQuantity', () => {
  const ref = { agreementId: 100, lineId: 1000 }

  it('writes a new quantity', async () => {
    const fake = await startFake()
    const { logger, lines } = capturedLogger()
    const adapter = adapterFor(fake.apiUrl, {}, { logger })

    const result = await adapter.updateQuantity(ref, 40, 45)

    expect(result).toEqual({ outcome: 'written', before: 40, after: 45 })
    expect(fake.getAddition(100, 1000)).toMatchObject({ quantity: 45, billedQuantity: 40 })
    expect(fake.patchCount).toBe(1)
    const written = lines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === 'wrote addition quantity')
    expect(written).toMatchObject({
      level: 30,
      agreementId: 100,
      additionId: 1000,
      before: 40,
      after: 45,
    })
    expect(lines.join('')).not.toContain(TEST_CREDENTIALS.privateKey)
  })

  it('skips an unchanged quantity', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    const result = await adapter.updateQuantity(ref, 38, 40)

    expect(result).toEqual({ outcome: 'unchanged', before: 40, after: 40 })
    expect(fake.patchCount).toBe(0)
    expect(adapter.requestCount).toBe(1)
  })

  it('refuses a quantity edited in ConnectWise PSA', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)
    fake.setAdditionQuantity(100, 1000, 41)

    const result = await adapter.updateQuantity(ref, 40, 45)

    expect(result).toEqual({
      outcome: 'refused',
      before: 41,
      after: 41,
      reason:
        'Quantity changed in ConnectWise PSA since sync (expected 40, found 41); ' +
        'run sync and review.',
    })
    expect(fake.patchCount).toBe(0)
    expect(fake.getAddition(100, 1000)).toMatchObject({ quantity: 41 })
  })

  it('reports a missing addition', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    const error = await failureOf(adapter.updateQuantity({ agreementId: 100, lineId: 4242 }, 1, 2))

    expect(error.code).toBe('not_found')
    expect(error.message).toBe(
      'Addition 4242 of agreement 100 no longer exists in ConnectWise PSA; run sync.',
    )
  })

  it('reports a cancelled addition', async () => {
    const fake = await startFake()
    const adapter = adapterFor(fake.apiUrl)

    const error = await failureOf(adapter.updateQuantity({ agreementId: 100, lineId: 1001 }, 3, 4))

    expect(error.code).toBe('not_found')
    expect(error.message).toContain('was cancelled in ConnectWise PSA')
    expect(fake.patchCount).toBe(0)
  })

  it('rejects an unconfirmed write', async () => {
    const apiUrl = await startStandIn((app) => {
      const addition = { id: 1000, product: { id: 10 }, quantity: 40 }
      app.get('/v4_6_release/apis/3.0/finance/agreements/100/additions/1000', async () => addition)
      app.patch(
        '/v4_6_release/apis/3.0/finance/agreements/100/additions/1000',
        async () => addition,
      )
    })

    const error = await failureOf(adapterFor(apiUrl).updateQuantity(ref, 40, 45))

    expect(error.code).toBe('upstream_failed')
    expect(error.message).toContain('returned quantity 40 instead of 45')
  })
})

describe('transient and invalid answers', () => {
  it('retries after 429 with Retry-After', async () => {
    const fake = await startFake()
    fake.faults.add({
      path: '/company/companies',
      kind: 'rate-limit',
      retryAfterSeconds: 1,
      times: 1,
    })
    const adapter = adapterFor(fake.apiUrl)
    const started = Date.now()

    const companies = await adapter.listCompanies()

    expect(companies).toHaveLength(2)
    expect(adapter.requestCount).toBe(2)
    expect(Date.now() - started).toBeGreaterThanOrEqual(990)
  })

  it('rejects malformed JSON', async () => {
    const fake = await startFake()
    fake.faults.add({ path: '/procurement/catalog', kind: 'malformed-json' })
    const adapter = adapterFor(fake.apiUrl, {}, { maxRetries: 1 })

    const error = await failureOf(adapter.listProducts())

    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain('malformed JSON')
  })

  it('names the invalid field', async () => {
    const apiUrl = await startStandIn((app) => {
      app.get('/v4_6_release/apis/3.0/company/companies', async () => [
        { id: 1, name: 'Acme Dental' },
        { id: 2, name: null },
      ])
    })

    const error = await failureOf(adapterFor(apiUrl).listCompanies())

    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain(
      'invalid company for GET /company/companies page 1: item 1, field name',
    )
  })

  it('reports an invalid conditions answer', async () => {
    const apiUrl = await startStandIn((app) => {
      app.get('/v4_6_release/apis/3.0/company/companies', async (_request, reply) =>
        reply.code(400).send({ code: 'InvalidObject', message: 'deletedFlag is not a field' }),
      )
    })

    const error = await failureOf(adapterFor(apiUrl).listCompanies())

    expect(error.code).toBe('upstream_failed')
    expect(error.message).toContain('deletedFlag is not a field')
  })
})
