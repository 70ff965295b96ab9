/**
 * A fake NinjaOne public API v2 that serves a `World`: OAuth client credentials at
 * `/ws/oauth/token` and `/oauth/token`, bearer-token checks, and the organization, device and
 * role endpoints with `pageSize`/`after` paging and a `df` device filter. Every `/v2` route
 * is also served under `/api/v2`.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { FaultPlan, installFaults } from '../faults.ts'
import { listenOnLoopback, type RunningFake } from '../server.ts'
import type { World, WorldDevice } from '../world/types.ts'
import { DeviceFilterError, type DevicePredicate, parseDeviceFilter } from './device-filter.ts'
import {
  deviceLocationId,
  renderDevice,
  renderDeviceDetailed,
  renderOrganization,
  renderOrganizationDetailed,
  renderRole,
  WorldView,
} from './render.ts'

/** The world to serve, the accepted client credentials and optional limits and faults. */
export interface NinjaFakeOptions {
  world: World
  clientId: string
  clientSecret: string
  /** Injected failures. The fake creates an empty plan when absent. */
  faults?: FaultPlan
  /** Lifetime of issued access tokens in seconds. With 0, tokens are expired when issued. */
  tokenTtlSeconds?: number
  /** Larger `pageSize` values are capped to this without an error. */
  maxPageSize?: number
  /** Page size used when a request sends no `pageSize`. */
  defaultPageSize?: number
}

/** A running NinjaOne fake with hooks for tests. */
export interface NinjaFake extends RunningFake {
  faults: FaultPlan
  /** Access tokens issued so far. */
  tokensIssued: number
  /** Invalidates every issued token, so that each one now gets a 401. */
  revokeTokens(): void
  /** The served world. Tests may add or remove devices between requests, or replace it. */
  world: World
}

interface FakeState {
  world: World
  tokens: TokenStore
  options: Required<Omit<NinjaFakeOptions, 'faults' | 'world'>>
}

/** Starts the fake on 127.0.0.1. Port 0 picks a free port. */
export async function startNinjaFake(options: NinjaFakeOptions, port = 0): Promise<NinjaFake> {
  const faults = options.faults ?? new FaultPlan()
  const state: FakeState = {
    world: options.world,
    tokens: new TokenStore(),
    options: {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      maxPageSize: options.maxPageSize ?? 1000,
      defaultPageSize: options.defaultPageSize ?? 50,
    },
  }
  const app = buildApp(state, faults)
  const running = await listenOnLoopback(app, port)
  return {
    ...running,
    faults,
    get tokensIssued() {
      return state.tokens.issued
    },
    revokeTokens: () => state.tokens.revokeAll(),
    get world() {
      return state.world
    },
    set world(world: World) {
      state.world = world
    },
  }
}

function buildApp(state: FakeState, faults: FaultPlan): FastifyInstance {
  const app = Fastify({ logger: false })
  installFaults(app, faults)
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  )

  const issueToken = async (request: FastifyRequest, reply: FastifyReply) => {
    return handleTokenRequest(state, request, reply)
  }
  app.post('/ws/oauth/token', issueToken)
  app.post('/oauth/token', issueToken)

  const api = async (scope: FastifyInstance) => registerApi(scope, state)
  app.register(api, { prefix: '/v2' })
  app.register(api, { prefix: '/api/v2' })

  app.setNotFoundHandler((request, reply) => {
    return sendFailure(reply, 404, 'NOT_FOUND', `No endpoint ${request.method} ${request.url}.`)
  })
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    if (error instanceof BadRequest || error instanceof DeviceFilterError) {
      return sendFailure(reply, 400, 'FAILURE', error.message)
    }
    const status = error.statusCode ?? 500
    if (status >= 500) {
      console.error(`NinjaOne fake failed on ${request.method} ${request.url}: ${error.message}`)
    }
    return sendFailure(reply, status, 'FAILURE', error.message)
  })
  return app
}

/** Issued access tokens and their expiry times (epoch milliseconds). */
class TokenStore {
  readonly #expiries = new Map<string, number>()
  issued = 0

  issue(ttlSeconds: number): string {
    const token = randomBytes(24).toString('base64url')
    this.#expiries.set(token, Date.now() + ttlSeconds * 1000)
    this.issued++
    return token
  }

  isValid(token: string): boolean {
    const expiresAt = this.#expiries.get(token)
    return expiresAt !== undefined && Date.now() < expiresAt
  }

  revokeAll(): void {
    this.#expiries.clear()
  }
}

/**
 * Implements the OAuth 2.0 client-credentials grant. Credentials come from the form body, or
 * from HTTP Basic auth as RFC 6749 allows.
 *
 * NOTE: NinjaOne does not document the HTTP status it returns for a wrong client, so the fake
 * returns 401 with the standard OAuth `invalid_client` body.
 */
function handleTokenRequest(state: FakeState, request: FastifyRequest, reply: FastifyReply) {
  const form = (request.body ?? {}) as Record<string, unknown>
  reply.header('cache-control', 'no-store')
  if (form.grant_type !== 'client_credentials') {
    return reply.code(400).send({
      error: 'unsupported_grant_type',
      error_description: 'Only grant_type=client_credentials is supported.',
    })
  }

  const credentials = clientCredentials(request, form)
  const expected = state.options
  const clientMatches =
    credentials.clientId === expected.clientId &&
    secretsEqual(credentials.clientSecret, expected.clientSecret)
  if (!clientMatches) {
    return reply.code(401).send({
      error: 'invalid_client',
      error_description: 'Unknown client or wrong client secret.',
    })
  }

  const scopes = String(form.scope ?? '')
    .split(/\s+/)
    .filter((scope) => scope !== '')
  if (!scopes.includes('monitoring')) {
    return reply.code(400).send({
      error: 'invalid_scope',
      error_description: 'The scope must include monitoring.',
    })
  }

  const ttl = expected.tokenTtlSeconds
  return {
    access_token: state.tokens.issue(ttl),
    token_type: 'Bearer',
    expires_in: ttl,
    scope: scopes.join(' '),
  }
}

function clientCredentials(
  request: FastifyRequest,
  form: Record<string, unknown>,
): { clientId: string; clientSecret: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')
  if (basic && form.client_id === undefined) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8')
    const separator = decoded.indexOf(':')
    return {
      clientId: decodeURIComponent(decoded.slice(0, separator)),
      clientSecret: decodeURIComponent(decoded.slice(separator + 1)),
    }
  }
  return { clientId: String(form.client_id ?? ''), clientSecret: String(form.client_secret ?? '') }
}

function secretsEqual(provided: string, expected: string): boolean {
  const left = Buffer.from(provided)
  const right = Buffer.from(expected)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Sends a NinjaOne error body: `{resultCode, errorMessage, incidentId}`. */
function sendFailure(reply: FastifyReply, status: number, resultCode: string, message: string) {
  return reply.code(status).send({ resultCode, errorMessage: message, incidentId: randomUUID() })
}

/** An invalid request parameter, which the error handler sends as a 400 NinjaOne error body. */
class BadRequest extends Error {}

function registerApi(scope: FastifyInstance, state: FakeState): void {
  scope.addHook('onRequest', async (request, reply) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    if (!bearer) {
      reply.header('www-authenticate', 'Bearer')
      return sendFailure(reply, 401, 'FAILURE', 'Missing bearer access token.')
    }
    if (!state.tokens.isValid(bearer[1] as string)) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"')
      return sendFailure(reply, 401, 'FAILURE', 'Invalid, revoked or expired access token.')
    }
  })

  scope.get('/organizations', async (request) => listOrganizations(state, request, false))
  scope.get('/organizations-detailed', async (request) => listOrganizations(state, request, true))
  scope.get('/organization/:id', async (request, reply) => getOrganization(state, request, reply))
  scope.get('/organization/:id/devices', async (request, reply) => {
    return listOrganizationDevices(state, request, reply)
  })
  scope.get('/devices', async (request) => listDevices(state, request, false))
  scope.get('/devices-detailed', async (request) => listDevices(state, request, true))
  scope.get('/device/:id', async (request, reply) => getDevice(state, request, reply))
  scope.get('/roles', async () => {
    const view = new WorldView(state.world)
    return sortedById(state.world.roles).map((role) => renderRole(role, view))
  })
}

type Query = Record<string, string | string[] | undefined>

interface Paging {
  pageSize: number
  /** Only records with a larger id are listed. */
  after: number
}

function parsePaging(query: Query, options: FakeState['options']): Paging {
  const pageSize = singleValue(query, 'pageSize')
  const after = singleValue(query, 'after')
  if (pageSize !== undefined && !/^\d+$/.test(pageSize)) {
    throw new BadRequest(`Invalid pageSize "${pageSize}": expected a positive integer.`)
  }
  if (after !== undefined && !/^-?\d+$/.test(after)) {
    throw new BadRequest(`Invalid after "${after}": expected the integer id of the last record.`)
  }
  const requested = pageSize === undefined ? options.defaultPageSize : Number(pageSize)
  if (requested < 1) throw new BadRequest(`Invalid pageSize "${pageSize}": expected at least 1.`)
  return {
    pageSize: Math.min(requested, options.maxPageSize),
    after: after === undefined ? Number.NEGATIVE_INFINITY : Number(after),
  }
}

function singleValue(query: Query, name: string): string | undefined {
  const value = query[name]
  if (Array.isArray(value)) throw new BadRequest(`Send ${name} once, not ${value.length} times.`)
  return value
}

function parseId(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new BadRequest(`Invalid id "${raw}": expected an integer.`)
  return Number(raw)
}

/** Returns the records in id order, copying only when a test left them out of order. */
function sortedById<T extends { id: number }>(records: readonly T[]): readonly T[] {
  for (let index = 1; index < records.length; index++) {
    if ((records[index] as T).id < (records[index - 1] as T).id) {
      return [...records].sort((left, right) => left.id - right.id)
    }
  }
  return records
}

/** Returns up to `pageSize` records with ids above `after` that pass `accept`, in id order. */
function page<T extends { id: number }>(
  records: readonly T[],
  paging: Paging,
  accept: (record: T) => boolean = () => true,
): T[] {
  const sorted = sortedById(records)
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((sorted[middle] as T).id > paging.after) high = middle
    else low = middle + 1
  }
  const selected: T[] = []
  for (let index = low; index < sorted.length && selected.length < paging.pageSize; index++) {
    const record = sorted[index] as T
    if (accept(record)) selected.push(record)
  }
  return selected
}

function listOrganizations(state: FakeState, request: FastifyRequest, detailed: boolean) {
  const paging = parsePaging(request.query as Query, state.options)
  const view = new WorldView(state.world)
  return page(state.world.organizations, paging).map((organization) => {
    return detailed
      ? renderOrganizationDetailed(organization, view)
      : renderOrganization(organization)
  })
}

function getOrganization(state: FakeState, request: FastifyRequest, reply: FastifyReply) {
  const id = parseId((request.params as { id: string }).id)
  const view = new WorldView(state.world)
  const organization = view.organizationsById.get(id)
  if (!organization) return sendFailure(reply, 404, 'NOT_FOUND', `Organization ${id} not found.`)
  return renderOrganizationDetailed(organization, view)
}

function listOrganizationDevices(state: FakeState, request: FastifyRequest, reply: FastifyReply) {
  const id = parseId((request.params as { id: string }).id)
  const paging = parsePaging(request.query as Query, state.options)
  const view = new WorldView(state.world)
  if (!view.organizationsById.has(id)) {
    return sendFailure(reply, 404, 'NOT_FOUND', `Organization ${id} not found.`)
  }
  const devices = page(state.world.devices, paging, (device) => device.organizationId === id)
  return devices.map((device) => renderDevice(device, view))
}

function listDevices(state: FakeState, request: FastifyRequest, detailed: boolean) {
  const query = request.query as Query
  const paging = parsePaging(query, state.options)
  const view = new WorldView(state.world)
  const filter = parseDeviceFilter(singleValue(query, 'df') ?? '')
  const accept = (device: WorldDevice) => filter(filterableDevice(device, view))
  return page(state.world.devices, paging, accept).map((device) => {
    return detailed ? renderDeviceDetailed(device, view) : renderDevice(device, view)
  })
}

function filterableDevice(device: WorldDevice, view: WorldView): Parameters<DevicePredicate>[0] {
  return {
    id: device.id,
    organizationId: device.organizationId,
    locationId: deviceLocationId(device),
    nodeRoleId: device.nodeRoleId,
    nodeClass: view.effectiveClass(device),
    approvalStatus: device.approvalStatus,
    offline: device.offline,
    created: device.created,
  }
}

function getDevice(state: FakeState, request: FastifyRequest, reply: FastifyReply) {
  const id = parseId((request.params as { id: string }).id)
  const device = state.world.devices.find((candidate) => candidate.id === id)
  if (!device) return sendFailure(reply, 404, 'NOT_FOUND', `Device ${id} not found.`)
  return renderDeviceDetailed(device, new WorldView(state.world))
}
