import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type NinjaFake,
  type NinjaFakeOptions,
  startNinjaFake,
} from '../../../fakes/ninjaone/server.ts'
import { listenOnLoopback, type RunningFake } from '../../../fakes/server.ts'
import type { World, WorldDevice } from '../../../fakes/world/types.ts'
import { AppError } from '../../errors.ts'
import { createLogger } from '../../log.ts'
import { type NinjaClientOptions, NinjaOneClient } from './client.ts'
import { resolveNinjaBaseUrl } from './regions.ts'

const CLIENT_ID = 'recon-test-client'
const CLIENT_SECRET = 'S3cr3t-Never-Show-Me'
const FAST_RETRIES: NinjaClientOptions = { baseDelayMs: 1, maxRetries: 2 }
const loopbackEnv = { MSP_RECON_ALLOWED_HOSTS: '127.0.0.1' }

const running: RunningFake[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

function buildDevices(count: number): WorldDevice[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    organizationId: (index % 3) + 1,
    nodeClass: index % 2 === 0 ? 'WINDOWS_WORKSTATION' : 'WINDOWS_SERVER',
    nodeRoleId: index % 2 === 0 ? 10 : 20,
    displayName: `DEVICE-${index + 1}`,
    approvalStatus: index % 4 === 3 ? 'PENDING' : 'APPROVED',
    offline: index % 5 === 0,
    created: 1_700_000_000,
    lastContact: 1_760_000_000 + index,
  }))
}

function buildWorld(deviceCount = 5): World {
  return {
    seed: 1,
    organizations: [
      { id: 1, name: 'Acme Dental' },
      { id: 2, name: 'Globex Logistics' },
      { id: 3, name: 'Initech Legal' },
    ],
    roles: [
      {
        id: 10,
        name: 'Windows Desktop',
        nodeClass: 'WINDOWS_WORKSTATION',
        custom: false,
        parentId: null,
      },
      { id: 11, name: 'Kiosk', nodeClass: 'WINDOWS_WORKSTATION', custom: true, parentId: 10 },
      {
        id: 20,
        name: 'Windows Server',
        nodeClass: 'WINDOWS_SERVER',
        custom: false,
        parentId: null,
      },
    ],
    devices: buildDevices(deviceCount),
    companies: [],
    products: [],
    contracts: [],
  }
}

async function startFake(
  deviceCount = 5,
  options: Partial<NinjaFakeOptions> = {},
): Promise<NinjaFake> {
  const fake = await startNinjaFake({
    world: buildWorld(deviceCount),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...options,
  })
  running.push(fake)
  return fake
}

function clientFor(
  server: RunningFake,
  options: NinjaClientOptions = {},
  clientSecret = CLIENT_SECRET,
): NinjaOneClient {
  const baseUrl = resolveNinjaBaseUrl({ apiUrl: server.url }, loopbackEnv)
  return new NinjaOneClient(
    { baseUrl, clientId: CLIENT_ID, clientSecret },
    { ...FAST_RETRIES, ...options },
  )
}

async function collectPages<T>(pages: AsyncGenerator<T[]>): Promise<T[][]> {
  const collected: T[][] = []
  for await (const page of pages) collected.push(page)
  return collected
}

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError, but the call succeeded')
}

function deviceRequests(fake: NinjaFake): string[] {
  return fake.faults.requests.filter((line) => line.startsWith('GET /v2/devices'))
}

function queryOf(requestLine: string): URLSearchParams {
  return new URL(requestLine.split(' ')[1] ?? '', 'http://127.0.0.1').searchParams
}

function collectingLogger() {
  const lines: string[] = []
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line) => lines.push(line) },
  })
  return { logger, lines }
}

describe('NinjaOneClient authentication', () => {
  it('rejects a wrong client secret', async () => {
    const fake = await startFake()
    const { logger, lines } = collectingLogger()
    const client = clientFor(fake, { logger }, 'wrong-secret-value')

    const error = await rejectionOf(client.listRoles())

    expect(error.code).toBe('auth_failed')
    expect(error.message).toBe(
      'NinjaOne rejected the client credentials (HTTP 401). ' +
        `Check the client ID and secret for 127.0.0.1:${fake.port}.`,
    )
    expect(JSON.stringify(error.details)).not.toContain('wrong-secret-value')
    expect(lines.join('\n')).not.toContain('wrong-secret-value')
    expect(fake.faults.count('/v2/roles')).toBe(0)
  })

  it('never logs the secret or token', async () => {
    const fake = await startFake(1500)
    const { logger, lines } = collectingLogger()
    const client = clientFor(fake, { logger })

    await client.listRoles()
    await collectPages(client.devicePages())

    const log = lines.join('\n')
    expect(lines.length).toBeGreaterThan(3)
    expect(log).not.toContain(CLIENT_SECRET)
    expect(log).not.toMatch(/bearer|access_token/i)
  })

  it('authenticates lazily and reuses token', async () => {
    const fake = await startFake(5)
    const client = clientFor(fake)
    expect(fake.tokensIssued).toBe(0)

    const roles = await client.listRoles()
    const organizations = (await collectPages(client.organizationPages())).flat()
    const devices = (await collectPages(client.devicePages())).flat()
    await client.authenticate()

    expect(fake.tokensIssued).toBe(1)
    expect(fake.faults.requests[0]).toBe('POST /ws/oauth/token')
    expect(roles).toHaveLength(3)
    expect(roles.find((role) => role.id === 11)?.parentId).toBe(10)
    expect(organizations.map((organization) => organization.name)).toEqual([
      'Acme Dental',
      'Globex Logistics',
      'Initech Legal',
    ])
    expect(devices).toHaveLength(5)
    expect(devices[0]).toMatchObject({ id: 1, organizationId: 1, displayName: 'DEVICE-1' })
    expect(client.requestCount).toBe(4)
  })

  it('signs in again after revocation', async () => {
    const fake = await startFake()
    const client = clientFor(fake)
    await client.listRoles()

    fake.revokeTokens()
    const roles = await client.listRoles()

    expect(roles).toHaveLength(3)
    expect(fake.tokensIssued).toBe(2)
    expect(fake.faults.requests).toEqual([
      'POST /ws/oauth/token',
      'GET /v2/roles',
      'GET /v2/roles',
      'POST /ws/oauth/token',
      'GET /v2/roles',
    ])
  })

  it('fails after a second 401', async () => {
    const fake = await startFake()
    fake.faults.add({ path: '/v2/roles', kind: 'status', status: 401 })
    const client = clientFor(fake)

    const error = await rejectionOf(client.listRoles())

    expect(error.code).toBe('auth_failed')
    expect(error.message).toMatch(/^NinjaOne rejected the access token for GET \/v2\/roles/)
    expect(fake.tokensIssued).toBe(2)
    expect(fake.faults.count('GET /v2/roles')).toBe(2)
  })

  it('names the scope on 403', async () => {
    const fake = await startFake()
    fake.faults.add({ path: '/v2/devices', kind: 'status', status: 403 })
    const client = clientFor(fake)

    const error = await rejectionOf(collectPages(client.devicePages()))

    expect(error.code).toBe('auth_failed')
    expect(error.message).toContain('HTTP 403')
    expect(error.message).toContain('"monitoring" scope')
    expect(fake.tokensIssued).toBe(1)
  })

  it('refreshes a token before expiry', async () => {
    const fake = await startFake(5, { tokenTtlSeconds: 1 })
    const client = clientFor(fake)
    await client.listRoles()

    // With a 1 s lifetime the refresh margin is 0.1 s, so the token is replaced at 0.9 s.
    await new Promise((resolve) => setTimeout(resolve, 950))
    await client.listRoles()

    expect(fake.tokensIssued).toBe(2)
    expect(fake.faults.count('GET /v2/roles')).toBe(2)
  })

  it('retries a rate-limited token request', async () => {
    const fake = await startFake()
    fake.faults.add({ path: '/oauth/token', kind: 'rate-limit', retryAfterSeconds: 0, times: 1 })
    const client = clientFor(fake)

    await client.authenticate()

    expect(fake.faults.count('POST /ws/oauth/token')).toBe(2)
    expect(fake.tokensIssued).toBe(1)
  })
})

describe('NinjaOneClient paging', () => {
  it('pages 2500 devices as 1000/1000/500', async () => {
    const fake = await startFake(2500)
    const client = clientFor(fake)

    const pages = await collectPages(client.devicePages())

    expect(pages.map((page) => page.length)).toEqual([1000, 1000, 500])
    expect(new Set(pages.flat().map((device) => device.id)).size).toBe(2500)
    const queries = deviceRequests(fake).map(queryOf)
    expect(queries).toHaveLength(3)
    expect(queries.map((query) => query.get('pageSize'))).toEqual(['1000', '1000', '1000'])
    expect(queries.map((query) => query.get('after'))).toEqual([null, '1000', '2000'])
    expect(client.requestCount).toBe(4)
  })

  it('ends 2000 devices with empty page', async () => {
    const fake = await startFake(2000)
    const client = clientFor(fake)

    const pages = await collectPages(client.devicePages())

    expect(pages.map((page) => page.length)).toEqual([1000, 1000])
    const queries = deviceRequests(fake).map(queryOf)
    expect(queries.map((query) => query.get('after'))).toEqual([null, '1000', '2000'])
    expect(client.requestCount).toBe(4)
  })

  it('keeps the filter on every page', async () => {
    const fake = await startFake(2500)
    const client = clientFor(fake)

    const pages = await collectPages(client.devicePages({ filter: 'status eq APPROVED' }))

    const devices = pages.flat()
    expect(devices).toHaveLength(1875)
    expect(devices.every((device) => device.approvalStatus === 'APPROVED')).toBe(true)
    const queries = deviceRequests(fake).map(queryOf)
    expect(queries).toHaveLength(2)
    expect(queries.map((query) => query.get('df'))).toEqual([
      'status eq APPROVED',
      'status eq APPROVED',
    ])
  })

  it('pages organizations with the same rule', async () => {
    const fake = await startFake()
    const client = clientFor(fake)

    const pages = await collectPages(client.organizationPages())

    expect(pages.map((page) => page.length)).toEqual([3])
    const query = queryOf(fake.faults.requests.find((line) => line.includes('/v2/organizations'))!)
    expect(query.get('pageSize')).toBe('1000')
    expect(query.has('after')).toBe(false)
  })

  // Pins the accepted risk documented on the paging code: a silent cap looks like the end.
  it('silent cap ends listing early', async () => {
    const fake = await startFake(2500, { maxPageSize: 500 })
    const client = clientFor(fake)

    const pages = await collectPages(client.devicePages())

    expect(pages.map((page) => page.length)).toEqual([500])
    expect(deviceRequests(fake)).toHaveLength(1)
  })
})

describe('NinjaOneClient with a broken cursor', () => {
  async function startStubApi(devicePage: (after: number | undefined) => unknown) {
    const app: FastifyInstance = Fastify({ logger: false })
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, body),
    )
    app.post('/ws/oauth/token', async () => ({
      access_token: 'stub-token',
      token_type: 'Bearer',
      expires_in: 3600,
    }))
    app.get('/v2/devices', async (request) => {
      const { after } = request.query as { after?: string }
      return devicePage(after === undefined ? undefined : Number(after))
    })
    const server = await listenOnLoopback(app)
    running.push(server)
    return server
  }

  function stubDevices(ids: number[]) {
    return ids.map((id) => ({ id, organizationId: 1, nodeClass: 'MAC', displayName: `M-${id}` }))
  }

  it('rejects a cursor that does not advance', async () => {
    const samePage = stubDevices(Array.from({ length: 1000 }, (_, index) => index + 1))
    const server = await startStubApi(() => samePage)
    const client = clientFor(server)

    const error = await rejectionOf(collectPages(client.devicePages()))

    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain('NinjaOne paging did not advance past id 1000 at /v2/devices')
    expect(error.message).toContain('cannot prove it saw every device')
    expect(client.requestCount).toBe(3)
  })

  it('rejects ids at or below after', async () => {
    const server = await startStubApi((after) => {
      if (after === undefined) return stubDevices(Array.from({ length: 1000 }, (_, i) => i + 1))
      return stubDevices([1000, 1001])
    })
    const client = clientFor(server)

    const error = await rejectionOf(collectPages(client.devicePages()))

    expect(error.code).toBe('invalid_response')
    expect(error.details).toMatchObject({ after: 1000, id: 1000 })
  })

  it('rejects duplicate ids', async () => {
    const server = await startStubApi(() => stubDevices([1, 2, 2, 3]))
    const client = clientFor(server)

    const error = await rejectionOf(collectPages(client.devicePages()))

    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain('device id 2 twice at /v2/devices')
  })

  it('rejects an invalid device field', async () => {
    const server = await startStubApi(() => [
      ...stubDevices([1, 2, 3]),
      { id: 4, organizationId: 'one', nodeClass: 'MAC' },
    ])
    const client = clientFor(server)

    const error = await rejectionOf(collectPages(client.devicePages()))

    expect(error.code).toBe('invalid_response')
    expect(error.message).toBe(
      'NinjaOne returned an invalid device at /v2/devices: ' +
        '[3].organizationId expected number, received string.',
    )
  })
})

describe('NinjaOneClient failures', () => {
  it('rejects malformed JSON', async () => {
    const fake = await startFake()
    fake.faults.add({ path: '/v2/devices', kind: 'malformed-json' })
    const client = clientFor(fake)

    const error = await rejectionOf(collectPages(client.devicePages()))

    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain('malformed JSON')
    expect(deviceRequests(fake)).toHaveLength(3)
  })

  it('waits out 429 then succeeds', async () => {
    const fake = await startFake()
    fake.faults.add({ path: '/v2/roles', kind: 'rate-limit', retryAfterSeconds: 1, times: 1 })
    const client = clientFor(fake)
    const startedAt = Date.now()

    const roles = await client.listRoles()

    expect(roles).toHaveLength(3)
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000)
    expect(fake.faults.count('GET /v2/roles')).toBe(2)
  })

  it('throws on persistent 500 mid-paging', async () => {
    const fake = await startFake(2500)
    fake.faults.add({ path: '/v2/devices', kind: 'status', status: 500, after: 1 })
    const client = clientFor(fake)
    const received: number[] = []

    const error = await rejectionOf(
      (async () => {
        for await (const page of client.devicePages()) received.push(page.length)
      })(),
    )

    expect(error.code).toBe('upstream_failed')
    expect(error.message).toContain('500')
    expect(received).toEqual([1000])
    expect(deviceRequests(fake)).toHaveLength(4)
  })

  it('accepts an API URL ending in /api', async () => {
    const fake = await startFake()
    const baseUrl = resolveNinjaBaseUrl({ apiUrl: `${fake.url}/api/` }, loopbackEnv)
    const client = new NinjaOneClient(
      { baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      FAST_RETRIES,
    )

    const roles = await client.listRoles()

    expect(roles).toHaveLength(3)
    expect(fake.faults.requests).toEqual(['POST /ws/oauth/token', 'GET /v2/roles'])
  })

  it('rejects empty credentials', () => {
    const baseUrl = new URL('http://127.0.0.1:9')
    expect(
      () => new NinjaOneClient({ baseUrl, clientId: CLIENT_ID, clientSecret: '' }),
    ).toThrowError(/Missing NinjaOne client secret/)
    expect(
      () => new NinjaOneClient({ baseUrl, clientId: ' ', clientSecret: CLIENT_SECRET }),
    ).toThrowError(/Missing NinjaOne client ID/)
  })
})
