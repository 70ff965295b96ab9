/**
 * A fake Autotask PSA REST API on 127.0.0.1: the zone lookup, header auth, filtered queries
 * with 500-record pages, `GET {Entity}/{id}`, and create-only ContractServiceAdjustments
 * that change the monthly ContractServiceUnits of the World's lines.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { FaultPlan, installFaults } from '../faults.ts'
import { listenOnLoopback, type RunningFake } from '../server.ts'
import type { World } from '../world/types.ts'
import { compileFilter, FilterError } from './filter.ts'
import { AutotaskData, type AutotaskRecord, dayOf, type EntityTable } from './records.ts'

/** Settings of the fake. */
export interface AutotaskFakeOptions {
  world: World
  username: string
  integrationCode: string
  secret: string
  faults?: FaultPlan
  /** Largest page the fake returns (default 500, the real API's maximum). */
  pageSize?: number
  today?: () => Date
  /** Replaces the `url` in the zone lookup's response, to test how clients guard against it. */
  zoneAnswerUrl?: string
  /** Catalog services rendered with `isActive: false`. */
  inactiveServiceIds?: number[]
}

/** A running Autotask fake with switches for tests. */
export interface AutotaskFake extends RunningFake {
  faults: FaultPlan
  /** Zone lookup URL for clients: `url + '/atservicesrest/'`. */
  zoneUrl: string
  /** Sets the units of every billing period of a contract service. */
  setUnits(contractServiceId: number, units: number): void
  /** Units billed on `on` (default: today); undefined outside the billing periods. */
  unitsOf(contractServiceId: number, on?: Date): number | undefined
  /** Every adjustment applied, in order, with the id the fake gave it. */
  adjustments: object[]
  /**
   * Applies the next adjustment, then loses its response: `drop` closes the connection,
   * `502` returns Bad Gateway. Either way the client cannot know that it was applied.
   */
  loseNextAdjustmentResponse(mode?: 'drop' | 502): void
}

const API_PREFIX = '/atservicesrest/v1.0/'
// Next page URLs use the casing of the real API's links; the fake matches paths in any case.
const LINK_PREFIX = '/ATServicesRest/V1.0/'
const MAX_PAGE_SIZE = 500
const ADJUSTMENTS = 'contractserviceadjustments'

interface FakeContext {
  options: AutotaskFakeOptions
  data: AutotaskData
  origin: string
  pageSize: number
  adjustments: object[]
  loseNext: 'drop' | 502 | undefined
}

/** Starts the fake on 127.0.0.1; port 0 picks a free port. */
export async function startAutotaskFake(
  options: AutotaskFakeOptions,
  port = 0,
): Promise<AutotaskFake> {
  const app = Fastify({ logger: false })
  const faults = options.faults ?? new FaultPlan()
  installFaults(app, faults)
  const today = options.today ?? (() => new Date())
  const context: FakeContext = {
    options,
    data: new AutotaskData(options.world, today(), options.inactiveServiceIds),
    origin: '',
    pageSize: Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    adjustments: [],
    loseNext: undefined,
  }
  app.route({
    method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    url: '/*',
    handler: (request, reply) => route(context, request, reply),
  })
  const running = await listenOnLoopback(app, port)
  context.origin = running.url
  return {
    ...running,
    faults,
    zoneUrl: `${running.url}/atservicesrest/`,
    setUnits: (id, units) => context.data.setUnits(id, units),
    unitsOf: (id, on) => context.data.unitsOn(id, dayOf(on ?? today())),
    adjustments: context.adjustments,
    loseNextAdjustmentResponse: (mode = 'drop') => {
      context.loseNext = mode
    },
  }
}

function fail(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ errors: [message] })
}

async function route(context: FakeContext, request: FastifyRequest, reply: FastifyReply) {
  const url = new URL(request.url, 'http://fake.invalid')
  const path = url.pathname.toLowerCase()
  if (!path.startsWith(API_PREFIX)) return fail(reply, 404, `No resource at ${url.pathname}.`)
  const segments = path.slice(API_PREFIX.length).split('/').filter(Boolean)
  if (segments[0] === 'zoneinformation' && segments.length === 1) {
    return zoneInformation(context, url, reply)
  }
  if (!authorized(context.options, request)) {
    return fail(reply, 401, 'The user name, secret or integration code is not valid.')
  }
  return routeApi(context, request, reply, url, segments)
}

async function routeApi(
  context: FakeContext,
  request: FastifyRequest,
  reply: FastifyReply,
  url: URL,
  segments: string[],
) {
  const [entity = '', action, next] = segments
  const method = request.method
  if (entity === ADJUSTMENTS && segments.length === 1 && method === 'POST') {
    return createAdjustment(context, request.body, undefined, reply)
  }
  if (entity === 'contracts' && next === 'serviceadjustments' && segments.length === 3) {
    if (method !== 'POST') return fail(reply, 405, `${method} is not supported here.`)
    return createAdjustment(context, request.body, Number(action), reply)
  }
  if (entity === ADJUSTMENTS) {
    return fail(reply, 405, `ContractServiceAdjustments does not support ${method}.`)
  }
  const table = context.data.table(entity)
  if (!table) return fail(reply, 404, `Unknown entity "${entity}".`)
  if (action === 'query' && segments.length <= 3) {
    return query(context, table, method, url, request.body, next, reply)
  }
  if (action !== undefined && segments.length === 2 && method === 'GET') {
    return getItem(table, action, reply)
  }
  return fail(reply, 405, `${method} ${url.pathname} is not supported.`)
}

function zoneInformation(context: FakeContext, url: URL, reply: FastifyReply) {
  const user = url.searchParams.get('user') ?? ''
  if (user.toLowerCase() !== context.options.username.toLowerCase()) {
    // NOTE: the body is what users report from the real API; its HTTP status is assumed.
    return fail(reply, 500, 'Zone information could not be determined')
  }
  return reply.send({
    zoneName: 'Fake Zone (127.0.0.1)',
    url: context.options.zoneAnswerUrl ?? `${context.origin}/atservicesrest/`,
    webUrl: `${context.origin}/`,
    ci: 4242,
  })
}

/** Node lowercases header names, so this matches `ApiIntegrationCode` in any casing. */
function authorized(options: AutotaskFakeOptions, request: FastifyRequest): boolean {
  const header = (name: string) => {
    const value = request.headers[name]
    return Array.isArray(value) ? value[0] : value
  }
  return (
    header('username')?.toLowerCase() === options.username.toLowerCase() &&
    header('apiintegrationcode') === options.integrationCode &&
    header('secret') === options.secret
  )
}

function getItem(table: EntityTable, rawId: string, reply: FastifyReply) {
  const id = Number(rawId)
  if (!Number.isInteger(id)) return fail(reply, 400, `Invalid id "${rawId}".`)
  const item = table.rows().find((row) => row.id === id) ?? null
  return reply.send({ item })
}

interface QueryBody {
  filter?: unknown
  MaxRecords?: unknown
  IncludeFields?: unknown
}

/** The opaque cursor inside a next page URL: the page size and the last id already sent. */
interface Paging {
  pageSize: number
  after: number | null
  previous: (number | null)[]
}

function query(
  context: FakeContext,
  table: EntityTable,
  method: string,
  url: URL,
  body: unknown,
  suffix: string | undefined,
  reply: FastifyReply,
) {
  const search = url.searchParams.get('search')
  if (method === 'GET' && search === null) {
    return fail(reply, 405, "The requested resource does not support http method 'GET'.")
  }
  if (method !== 'GET' && method !== 'POST') return fail(reply, 405, `${method} is not supported.`)
  const parsed = method === 'GET' ? parseSearch(search as string) : (body as QueryBody | null)
  if (parsed === undefined) return fail(reply, 400, 'The search parameter is not valid JSON.')
  let matches: (record: AutotaskRecord) => boolean
  try {
    matches = compileFilter(parsed?.filter, table.fields)
  } catch (error) {
    if (!(error instanceof FilterError)) throw error
    // The real API rejects a missing or invalid filter with an error status. 500 is assumed.
    return fail(reply, 500, error.message)
  }
  const rows = table.rows().filter(matches)
  if (suffix === 'count') return reply.send({ queryCount: rows.length })
  if (suffix !== undefined && suffix !== 'next') return fail(reply, 404, `Unknown query/${suffix}.`)
  const paging = suffix === 'next' ? parsePaging(url) : firstPage(context, parsed?.MaxRecords)
  if (typeof paging === 'string') return fail(reply, 400, paging)
  const page = pageOf(context, table, rows, paging, search)
  return reply.send({
    items: project(page.items, parsed?.IncludeFields),
    pageDetails: page.details,
  })
}

function parseSearch(search: string): QueryBody | undefined {
  try {
    return JSON.parse(search) as QueryBody
  } catch {
    return undefined
  }
}

function firstPage(context: FakeContext, maxRecords: unknown): Paging | string {
  if (maxRecords === undefined || maxRecords === null) {
    return { pageSize: context.pageSize, after: null, previous: [] }
  }
  if (!Number.isInteger(maxRecords) || (maxRecords as number) < 1) {
    return `MaxRecords must be an integer from 1 to ${MAX_PAGE_SIZE}.`
  }
  if ((maxRecords as number) > MAX_PAGE_SIZE) {
    return `MaxRecords must be an integer from 1 to ${MAX_PAGE_SIZE}.`
  }
  return { pageSize: Math.min(maxRecords as number, context.pageSize), after: null, previous: [] }
}

function parsePaging(url: URL): Paging | string {
  try {
    const paging = JSON.parse(url.searchParams.get('paging') ?? '') as Paging
    if (Number.isInteger(paging.pageSize) && Array.isArray(paging.previous)) return paging
  } catch {
    // falls through to the error below
  }
  return 'The paging parameter is missing or not valid.'
}

function pageOf(
  context: FakeContext,
  table: EntityTable,
  rows: AutotaskRecord[],
  paging: Paging,
  search: string | null,
) {
  const after = paging.after
  const start = after === null ? 0 : rows.findIndex((row) => (row.id as number) > after)
  const from = start === -1 ? rows.length : start
  const items = rows.slice(from, from + paging.pageSize)
  const last = items.at(-1)
  const more = from + paging.pageSize < rows.length && last !== undefined
  const link = (cursor: Paging) => pageUrl(context, table, cursor, search)
  const previousAfter = paging.previous.at(-1)
  return {
    items,
    details: {
      count: items.length,
      requestCount: paging.pageSize,
      prevPageUrl:
        previousAfter === undefined
          ? null
          : link({ ...paging, after: previousAfter, previous: paging.previous.slice(0, -1) }),
      nextPageUrl: more
        ? link({ ...paging, after: last.id as number, previous: [...paging.previous, after] })
        : null,
    },
  }
}

function pageUrl(
  context: FakeContext,
  table: EntityTable,
  paging: Paging,
  search: string | null,
): string {
  const params = new URLSearchParams({ paging: JSON.stringify(paging) })
  if (search !== null) params.set('search', search)
  return `${context.origin}${LINK_PREFIX}${table.name}/query/next?${params}`
}

function project(items: AutotaskRecord[], includeFields: unknown): AutotaskRecord[] {
  if (!Array.isArray(includeFields) || includeFields.length === 0) return items
  const included = new Set(['id', ...includeFields.map((field) => String(field).toLowerCase())])
  return items.map((item) =>
    Object.fromEntries(Object.entries(item).filter(([key]) => included.has(key.toLowerCase()))),
  )
}

interface AdjustmentBody {
  contractID?: unknown
  contractServiceID?: unknown
  serviceID?: unknown
  unitChange?: unknown
  effectiveDate?: unknown
  adjustedUnitPrice?: unknown
}

function createAdjustment(
  context: FakeContext,
  body: unknown,
  parentId: number | undefined,
  reply: FastifyReply,
) {
  const adjustment = { ...(body as AdjustmentBody | null) }
  if (parentId !== undefined) adjustment.contractID = parentId
  const checked = checkAdjustment(context, adjustment)
  if (typeof checked === 'string') return fail(reply, 400, checked)
  const refusal = context.data.adjust(checked.contractServiceId, checked.unitChange, checked.day)
  if (refusal) return fail(reply, 400, refusal)
  const itemId = context.adjustments.length + 1
  context.adjustments.push({ id: itemId, ...adjustment })
  const lose = context.loseNext
  context.loseNext = undefined
  if (lose === 502) return fail(reply, 502, 'Bad Gateway')
  if (lose === 'drop') {
    reply.hijack()
    reply.raw.socket?.destroy()
    return reply
  }
  return reply.send({ itemId })
}

// NOTE: the real API's status for invalid adjustments was not checked, so the fake uses 400.
function checkAdjustment(
  context: FakeContext,
  adjustment: AdjustmentBody,
): { contractServiceId: number; unitChange: number; day: string } | string {
  const { contractID, serviceID, unitChange, effectiveDate } = adjustment
  if (!Number.isInteger(contractID)) return 'contractID is required.'
  if (!Number.isInteger(unitChange)) return 'unitChange must be an integer.'
  if (typeof effectiveDate !== 'string' || Number.isNaN(Date.parse(effectiveDate.slice(0, 10)))) {
    return 'effectiveDate must be a date.'
  }
  if (!context.data.contractIsActive(contractID as number)) {
    return `Contract ${contractID} does not exist or is not active.`
  }
  const contractServiceId = resolveContractService(context, adjustment)
  if (typeof contractServiceId === 'string') return contractServiceId
  if (serviceID !== undefined && !Number.isInteger(serviceID)) return 'serviceID is not valid.'
  return { contractServiceId, unitChange: unitChange as number, day: effectiveDate.slice(0, 10) }
}

/** Finds the adjusted contract service. Like Autotask, it adds one when the contract lacks it. */
function resolveContractService(context: FakeContext, adjustment: AdjustmentBody): number | string {
  const contractId = adjustment.contractID as number
  if (adjustment.contractServiceID !== undefined && adjustment.contractServiceID !== null) {
    const id = adjustment.contractServiceID as number
    const keys = context.data.contractServiceKeys(id)
    if (!keys || keys.contractID !== contractId) {
      return `Contract service ${id} does not belong to contract ${contractId}.`
    }
    if (adjustment.serviceID !== undefined && adjustment.serviceID !== keys.serviceID) {
      return `Contract service ${id} bills service ${keys.serviceID}, not ${adjustment.serviceID}.`
    }
    return id
  }
  const serviceId = adjustment.serviceID
  if (!Number.isInteger(serviceId) || !context.data.serviceExists(serviceId as number)) {
    return 'serviceID must name an existing service.'
  }
  return (
    context.data.findContractService(contractId, serviceId as number) ??
    context.data.createContractService(contractId, serviceId as number)
  )
}
