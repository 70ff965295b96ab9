import { afterEach, describe, expect, it } from 'vitest'
import { generateWorld } from '../world/generate.ts'
import type { World, WorldDevice } from '../world/types.ts'
import { type NinjaFake, type NinjaFakeOptions, startNinjaFake } from './server.ts'

const CLIENT_ID = 'test-client'
const CLIENT_SECRET = 'test-secret-value'

/**
 * Device `index` has id 100 + 3 × index and belongs to organization 10, 20 or 35 in turn.
 * Every fifth device is a server, and device 4 uses the custom role with no class of its own.
 */
function buildDevice(index: number): WorldDevice {
  const server = index % 5 === 0
  const classless = index === 4
  let nodeClass: string | null = server ? 'WINDOWS_SERVER' : 'WINDOWS_WORKSTATION'
  let nodeRoleId = server ? 1 : 2
  if (classless) {
    nodeClass = null
    nodeRoleId = 900
  }
  return {
    id: 100 + index * 3,
    organizationId: [10, 20, 35][index % 3] as number,
    nodeClass,
    nodeRoleId,
    displayName: `DEVICE-${index}`,
    approvalStatus: index % 6 === 0 ? 'PENDING' : 'APPROVED',
    offline: index % 4 === 0,
    created: 1_700_000_000.5 + index,
    lastContact: 1_710_000_000.25 + index,
  }
}

/** Three organizations, three roles (one custom) and 25 devices with gapped ids. */
function buildWorld(): World {
  const devices = Array.from({ length: 25 }, (_, index) => buildDevice(index))
  return {
    seed: 1,
    organizations: [
      { id: 10, name: 'Harbor Point Logistics' },
      { id: 20, name: 'Bluewater Dental Group LLC' },
      { id: 35, name: 'Acme, Inc.' },
    ],
    roles: [
      { id: 1, name: 'Windows Server', nodeClass: 'WINDOWS_SERVER', custom: false, parentId: null },
      {
        id: 2,
        name: 'Windows Desktop',
        nodeClass: 'WINDOWS_WORKSTATION',
        custom: false,
        parentId: null,
      },
      {
        id: 900,
        name: 'Kiosk Workstation',
        nodeClass: 'WINDOWS_WORKSTATION',
        custom: true,
        parentId: 2,
      },
    ],
    devices,
    companies: [],
    products: [],
    contracts: [],
  }
}

const running: NinjaFake[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()))
})

async function start(overrides: Partial<NinjaFakeOptions> = {}): Promise<NinjaFake> {
  const fake = await startNinjaFake({
    world: buildWorld(),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...overrides,
  })
  running.push(fake)
  return fake
}

function tokenForm(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  }
}

const VALID_FORM = {
  grant_type: 'client_credentials',
  client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET,
  scope: 'monitoring management',
}

async function fetchToken(fake: NinjaFake): Promise<string> {
  const response = await fetch(`${fake.url}/ws/oauth/token`, tokenForm(VALID_FORM))
  expect(response.status).toBe(200)
  const body = (await response.json()) as { access_token: string }
  return body.access_token
}

interface ApiResult {
  status: number
  contentType: string | null
  body: unknown
}

async function get(fake: NinjaFake, path: string, token?: string): Promise<ApiResult> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  const response = await fetch(`${fake.url}${path}`, { headers })
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.json(),
  }
}

async function getIds(fake: NinjaFake, path: string, token: string): Promise<number[]> {
  const result = await get(fake, path, token)
  expect(result.status).toBe(200)
  return (result.body as Array<{ id: number }>).map((record) => record.id)
}

describe('NinjaOne fake token endpoint', () => {
  it('issues tokens on both paths', async () => {
    const fake = await start()
    for (const path of ['/ws/oauth/token', '/oauth/token']) {
      const response = await fetch(`${fake.url}${path}`, tokenForm(VALID_FORM))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      const body = (await response.json()) as Record<string, unknown>
      expect(body.token_type).toBe('Bearer')
      expect(body.expires_in).toBe(3600)
      expect(body.scope).toBe('monitoring management')
      expect(typeof body.access_token).toBe('string')
    }
    expect(fake.tokensIssued).toBe(2)
  })

  it('accepts basic auth credentials', async () => {
    const fake = await start({ tokenTtlSeconds: 120 })
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')
    const response = await fetch(`${fake.url}/oauth/token`, {
      ...tokenForm({ grant_type: 'client_credentials', scope: 'monitoring' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`,
      },
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as Record<string, unknown>
    expect(body.expires_in).toBe(120)
  })

  it('rejects a wrong client secret', async () => {
    const fake = await start()
    const response = await fetch(
      `${fake.url}/ws/oauth/token`,
      tokenForm({ ...VALID_FORM, client_secret: 'wrong-secret' }),
    )
    expect(response.status).toBe(401)
    const text = await response.text()
    expect(JSON.parse(text).error).toBe('invalid_client')
    expect(text).not.toContain(CLIENT_SECRET)
    expect(text).not.toContain('wrong-secret')
    expect(fake.tokensIssued).toBe(0)
  })

  it('rejects an unknown client id', async () => {
    const fake = await start()
    const response = await fetch(
      `${fake.url}/ws/oauth/token`,
      tokenForm({ ...VALID_FORM, client_id: 'someone-else' }),
    )
    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client')
  })

  it('rejects missing or other grants', async () => {
    const fake = await start()
    const { grant_type: _omitted, ...withoutGrant } = VALID_FORM
    for (const form of [withoutGrant, { ...VALID_FORM, grant_type: 'password' }]) {
      const response = await fetch(`${fake.url}/ws/oauth/token`, tokenForm(form))
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: string }).error).toBe('unsupported_grant_type')
    }
  })

  it('requires the monitoring scope', async () => {
    const fake = await start()
    const { scope: _omitted, ...withoutScope } = VALID_FORM
    for (const form of [withoutScope, { ...VALID_FORM, scope: 'management control' }]) {
      const response = await fetch(`${fake.url}/ws/oauth/token`, tokenForm(form))
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: string }).error).toBe('invalid_scope')
    }
  })
})

describe('NinjaOne fake bearer checks', () => {
  it('rejects requests without token', async () => {
    const fake = await start()
    const result = await get(fake, '/v2/organizations')
    expect(result.status).toBe(401)
    expect(result.body).toMatchObject({ resultCode: 'FAILURE' })
    expect((result.body as { errorMessage: string }).errorMessage).toMatch(/token/)
  })

  it('rejects an unknown token', async () => {
    const fake = await start()
    expect((await get(fake, '/v2/devices', 'not-a-token')).status).toBe(401)
  })

  it('rejects revoked tokens', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    expect((await get(fake, '/v2/roles', token)).status).toBe(200)
    fake.revokeTokens()
    const result = await get(fake, '/v2/roles', token)
    expect(result.status).toBe(401)
    expect(result.body).toMatchObject({ resultCode: 'FAILURE' })
    const fresh = await fetchToken(fake)
    expect((await get(fake, '/v2/roles', fresh)).status).toBe(200)
  })

  it('rejects expired tokens', async () => {
    const fake = await start({ tokenTtlSeconds: 0 })
    const token = await fetchToken(fake)
    expect((await get(fake, '/v2/devices', token)).status).toBe(401)
  })
})

describe('NinjaOne fake organizations', () => {
  it('lists organizations by id', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const result = await get(fake, '/v2/organizations', token)
    expect(result.status).toBe(200)
    expect(result.contentType).toMatch(/^application\/json/)
    const organizations = result.body as Array<Record<string, unknown>>
    expect(organizations.map((organization) => organization.id)).toEqual([10, 20, 35])
    expect(organizations[0]).toMatchObject({
      id: 10,
      name: 'Harbor Point Logistics',
      description: '',
      tags: [],
      fields: {},
    })
    expect(['AUTOMATIC', 'MANUAL']).toContain(organizations[0]?.nodeApprovalMode)
  })

  it('pages organizations with after', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    expect(await getIds(fake, '/v2/organizations?pageSize=2', token)).toEqual([10, 20])
    expect(await getIds(fake, '/v2/organizations?pageSize=2&after=20', token)).toEqual([35])
    expect(await getIds(fake, '/v2/organizations?pageSize=2&after=35', token)).toEqual([])
  })

  it('details organizations with locations', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const result = await get(fake, '/v2/organizations-detailed?after=10', token)
    const detailed = result.body as Array<{ id: number; locations: unknown[]; policies: unknown[] }>
    expect(detailed.map((organization) => organization.id)).toEqual([20, 35])
    expect(detailed[0]?.locations.length).toBeGreaterThan(0)
    expect(detailed[0]?.policies.length).toBe(3)
  })

  it('returns one organization or 404', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const found = await get(fake, '/v2/organization/20', token)
    expect(found.status).toBe(200)
    expect(found.body).toMatchObject({ id: 20, name: 'Bluewater Dental Group LLC' })
    const missing = await get(fake, '/v2/organization/21', token)
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ resultCode: 'NOT_FOUND' })
    expect((await get(fake, '/v2/organization/abc', token)).status).toBe(400)
  })
})

describe('NinjaOne fake devices', () => {
  it('pages devices to the end', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const seen: number[] = []
    let after = 0
    for (let pages = 0; pages < 10; pages++) {
      const ids = await getIds(fake, `/v2/devices?pageSize=10&after=${after}`, token)
      seen.push(...ids)
      if (ids.length < 10) break
      after = ids.at(-1) as number
    }
    expect(seen).toEqual(fake.world.devices.map((device) => device.id))
    expect(fake.faults.count('/v2/devices')).toBe(3)
  })

  it('caps page size silently', async () => {
    const fake = await start({ maxPageSize: 4 })
    const token = await fetchToken(fake)
    const ids = await getIds(fake, '/v2/devices?pageSize=1000', token)
    expect(ids).toEqual([100, 103, 106, 109])
  })

  it('uses the default page size', async () => {
    const fake = await start({ defaultPageSize: 7 })
    const token = await fetchToken(fake)
    expect(await getIds(fake, '/v2/devices', token)).toHaveLength(7)
    expect(await getIds(fake, '/v2/organizations', token)).toHaveLength(3)
  })

  it('rejects invalid paging values', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    for (const query of [
      'pageSize=abc',
      'pageSize=0',
      'after=x',
      'pageSize=1.5',
      'after=1&after=2',
    ]) {
      const result = await get(fake, `/v2/devices?${query}`, token)
      expect(result.status, query).toBe(400)
      expect(result.body, query).toMatchObject({ resultCode: 'FAILURE' })
    }
  })

  it('renders real device fields', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const result = await get(fake, '/v2/devices?pageSize=1&after=112', token)
    const [device] = result.body as Array<Record<string, unknown>>
    expect(device).toMatchObject({
      id: 115,
      organizationId: 35,
      nodeClass: 'WINDOWS_SERVER',
      nodeRoleId: 1,
      approvalStatus: 'APPROVED',
      offline: false,
      displayName: 'DEVICE-5',
      created: 1_700_000_005.5,
      lastContact: 1_710_000_005.25,
      tags: [],
      fields: {},
    })
    expect(device?.uid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    for (const field of ['locationId', 'rolePolicyId', 'policyId', 'systemName', 'dnsName']) {
      expect(device, field).toHaveProperty(field)
    }
    const references = device?.references as Record<string, { id: number; name: string }>
    expect(references.organization?.name).toBe('Acme, Inc.')
    expect(references.role?.id).toBe(1)
    expect(references.location?.id).toBe(device?.locationId)
  })

  it('omits nodeClass when the world has none', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const result = await get(fake, '/v2/devices?pageSize=1&after=109', token)
    const [device] = result.body as Array<Record<string, unknown>>
    expect(device?.id).toBe(112)
    expect(device).not.toHaveProperty('nodeClass')
    expect(device?.nodeRoleId).toBe(900)
  })

  it('details devices with addresses', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const result = await get(fake, '/v2/devices-detailed?pageSize=2', token)
    const devices = result.body as Array<Record<string, unknown>>
    expect(devices.map((device) => device.id)).toEqual([100, 103])
    expect(devices[0]?.ipAddresses).toHaveLength(1)
    expect(devices[0]?.macAddresses).toHaveLength(1)
    const single = await get(fake, '/v2/device/103', token)
    expect(single.body).toMatchObject({ id: 103, organizationId: 20 })
    expect((await get(fake, '/v2/device/104', token)).status).toBe(404)
  })

  it('lists one organization devices', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const ids = await getIds(fake, '/v2/organization/20/devices?pageSize=3&after=103', token)
    expect(ids).toEqual([112, 121, 130])
    expect((await get(fake, '/v2/organization/99/devices', token)).status).toBe(404)
  })

  it('serves world changes between requests', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const [first] = fake.world.devices
    fake.world.devices.push({ ...(first as WorldDevice), id: 5000, displayName: 'ADDED' })
    fake.world.devices.splice(0, 1)
    const ids = await getIds(fake, '/v2/devices?pageSize=1000', token)
    expect(ids).toContain(5000)
    expect(ids).not.toContain(100)
    fake.world = { ...fake.world, devices: [] }
    expect(await getIds(fake, '/v2/devices', token)).toEqual([])
  })

  it('sorts devices left out of order', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    fake.world.devices.reverse()
    const ids = await getIds(fake, '/v2/devices?pageSize=3&after=103', token)
    expect(ids).toEqual([106, 109, 112])
  })
})

describe('NinjaOne fake device filter', () => {
  const cases: Array<[string, (device: WorldDevice) => boolean]> = [
    ['org = 20', (device) => device.organizationId === 20],
    ['org eq 20', (device) => device.organizationId === 20],
    ['org in (10,35)', (device) => device.organizationId !== 20],
    ['org != 10', (device) => device.organizationId !== 10],
    ['class = WINDOWS_SERVER', (device) => device.nodeRoleId === 1],
    ['class in (WINDOWS_WORKSTATION)', (device) => device.nodeRoleId !== 1],
    ['status = PENDING', (device) => device.approvalStatus === 'PENDING'],
    [
      'org = 10 AND status eq APPROVED AND online',
      (device) =>
        device.organizationId === 10 && device.approvalStatus === 'APPROVED' && !device.offline,
    ],
  ]

  it('filters devices by df', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    for (const [filter, expected] of cases) {
      const query = `/v2/devices?pageSize=100&df=${encodeURIComponent(filter)}`
      const ids = await getIds(fake, query, token)
      const expectedIds = fake.world.devices.filter(expected).map((device) => device.id)
      expect(ids, filter).toEqual(expectedIds)
      expect(ids.length, filter).toBeGreaterThan(0)
    }
  })

  it('rejects an unparseable df', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    for (const filter of ['org = abc', 'color = red', 'status = LOST', 'org in (1,2']) {
      const result = await get(fake, `/v2/devices?df=${encodeURIComponent(filter)}`, token)
      expect(result.status, filter).toBe(400)
      expect(result.body, filter).toMatchObject({ resultCode: 'FAILURE' })
    }
  })
})

describe('NinjaOne fake roles and routing', () => {
  it('lists roles with parents', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    const result = await get(fake, '/v2/roles?pageSize=1', token)
    const roles = result.body as Array<Record<string, unknown>>
    expect(roles.map((role) => role.id)).toEqual([1, 2, 900])
    expect(roles[0]).toMatchObject({
      name: 'Windows Server',
      custom: false,
      chassisType: 'UNKNOWN',
    })
    expect(roles[0]).not.toHaveProperty('nodeRoleParentId')
    expect(roles[2]).toMatchObject({
      name: 'Kiosk Workstation',
      nodeClass: 'WINDOWS_WORKSTATION',
      custom: true,
      nodeRoleParentId: 2,
    })
    expect(typeof roles[2]?.created).toBe('number')
  })

  it('serves the api/v2 prefix', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    expect(await getIds(fake, '/api/v2/organizations', token)).toEqual([10, 20, 35])
    expect(await getIds(fake, '/api/v2/devices?pageSize=2', token)).toEqual([100, 103])
    expect((await get(fake, '/api/v2/devices')).status).toBe(401)
  })

  it('answers unknown routes with 404', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    for (const path of ['/v2/nothing', '/api/v3/devices', '/']) {
      const result = await get(fake, path, token)
      expect(result.status, path).toBe(404)
      expect(result.contentType, path).toMatch(/^application\/json/)
      expect(result.body, path).toMatchObject({ resultCode: 'NOT_FOUND' })
    }
  })
})

describe('NinjaOne fake faults', () => {
  it('fails the second device page', async () => {
    const fake = await start()
    const token = await fetchToken(fake)
    fake.faults.add({ path: '/v2/devices', after: 1, times: 1, kind: 'status', status: 500 })
    expect((await get(fake, '/v2/devices?pageSize=10', token)).status).toBe(200)
    expect((await get(fake, '/v2/devices?pageSize=10&after=127', token)).status).toBe(500)
    expect(await getIds(fake, '/v2/devices?pageSize=10&after=127', token)).toHaveLength(10)
  })

  it('applies faults before auth', async () => {
    const fake = await start()
    fake.faults.add({ path: '/v2/roles', kind: 'rate-limit', retryAfterSeconds: 2, times: 1 })
    const response = await fetch(`${fake.url}/v2/roles`)
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
  })
})

describe('NinjaOne fake with a generated world', () => {
  it('serves every generated device', async () => {
    const world = generateWorld({ seed: 42, devices: 2500, organizations: 40 })
    const fake = await start({ world })
    const token = await fetchToken(fake)
    const seen: number[] = []
    let after = 0
    for (;;) {
      const ids = await getIds(fake, `/v2/devices?pageSize=1000&after=${after}`, token)
      seen.push(...ids)
      if (ids.length < 1000) break
      after = ids.at(-1) as number
    }
    expect(seen).toEqual(world.devices.map((device) => device.id))
    const organizations = await getIds(fake, '/v2/organizations?pageSize=1000', token)
    expect(organizations).toHaveLength(40)
  })
})
