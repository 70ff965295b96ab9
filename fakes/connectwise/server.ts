/**
 * A fake ConnectWise PSA REST API (`/v4_6_release/apis/3.0`) that serves a `World`:
 * Basic auth plus the `clientId` header, page/pageSize paging with a Link header, a
 * `conditions` filter, `/count` endpoints and JSON Patch updates of agreement additions.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { FaultPlan, installFaults } from '../faults.ts'
import { listenOnLoopback, type RunningFake } from '../server.ts'
import type { World } from '../world/types.ts'
import { ConditionsError, checkFields, fieldPaths, matches, parseConditions } from './conditions.ts'
import {
  type CwAddition,
  type CwData,
  type CwRecord,
  cwTimestamp,
  recomputeTotals,
  renderAddition,
  renderAgreement,
  renderCatalogItem,
  renderCompany,
  renderWorld,
} from './render.ts'

/** The world to serve, the credentials to accept and optional injected faults. */
export interface ConnectWiseFakeOptions {
  world: World
  companyId: string
  publicKey: string
  privateKey: string
  clientId: string
  faults?: FaultPlan
}

/** A running fake with hooks for tests. */
export interface ConnectWiseFake extends RunningFake {
  faults: FaultPlan
  /** REST base URL: `url` + `/v4_6_release/apis/3.0`. */
  apiUrl: string
  /** Changes a quantity as a user editing the agreement in ConnectWise PSA would. */
  setAdditionQuantity(agreementId: number, additionId: number, quantity: number): void
  /** Returns a copy of the addition as the API would, or undefined when absent. */
  getAddition(agreementId: number, additionId: number): object | undefined
  /** PATCH requests the fake applied so far. */
  patchCount: number
}

/** Path prefix of the REST API on a cloud site. */
export const API_PREFIX = '/v4_6_release/apis/3.0'
const DEFAULT_PAGE_SIZE = 25
const MAX_PAGE_SIZE = 1000
const JSON_PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test'])

/** An error that the fake sends as the ConnectWise PSA body `{code, message, errors?}`. */
class CwError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: object[],
  ) {
    super(message)
  }
}

type Query = Record<string, string | string[] | undefined>

interface Collection {
  records: () => CwRecord[]
  fields: ReadonlySet<string>
}

/** Starts the fake on 127.0.0.1. Port 0 picks a free port. */
export async function startConnectWiseFake(
  options: ConnectWiseFakeOptions,
  port = 0,
): Promise<ConnectWiseFake> {
  const data = renderWorld(options.world)
  const faults = options.faults ?? new FaultPlan()
  const counters = { patches: 0 }
  const app = Fastify({ logger: false })

  installFaults(app, faults)
  installAuth(app, options)
  installErrorBodies(app)
  await app.register((api) => registerRoutes(api, data, counters), { prefix: API_PREFIX })
  const running = await listenOnLoopback(app, port)

  return {
    ...running,
    faults,
    apiUrl: `${running.url}${API_PREFIX}`,
    get patchCount() {
      return counters.patches
    },
    setAdditionQuantity(agreementId, additionId, quantity) {
      const addition = findAddition(data, agreementId, additionId)
      if (addition === undefined) {
        throw new Error(`fake has no addition ${additionId} in agreement ${agreementId}`)
      }
      setQuantity(addition, quantity)
    },
    getAddition(agreementId, additionId) {
      const addition = findAddition(data, agreementId, additionId)
      return addition === undefined ? undefined : structuredClone(addition)
    },
  }
}

function installAuth(app: FastifyInstance, options: ConnectWiseFakeOptions): void {
  const expected = `${options.companyId}+${options.publicKey}:${options.privateKey}`
  app.addHook('onRequest', async (request, reply) => {
    const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    const credentials = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : null
    if (credentials !== expected) {
      return reply
        .code(401)
        .send({ code: 'Unauthorized', message: 'Invalid or missing API member credentials.' })
    }
    if (request.headers.clientid !== options.clientId) {
      return reply.code(401).send({
        code: 'Unauthorized',
        message: 'The clientId header is missing or names no registered integration.',
      })
    }
  })
}

function installErrorBodies(app: FastifyInstance): void {
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof CwError) {
      const body = { code: error.code, message: error.message, errors: error.errors }
      return reply.code(error.status).send(body)
    }
    if (error instanceof ConditionsError) {
      return reply.code(400).send({
        code: 'InvalidObject',
        message: `The conditions are invalid: ${error.message}.`,
        errors: [{ code: 'InvalidCondition', message: error.message, resource: 'conditions' }],
      })
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500
    const code = status < 500 ? 'InvalidObject' : 'UnexpectedServerError'
    return reply.code(status).send({ code, message: (error as Error).message })
  })
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ code: 'NotFound', message: `No resource at ${request.method} ${request.url}.` }),
  )
  app.addContentTypeParser(
    'application/json-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  )
}

function registerRoutes(api: FastifyInstance, data: CwData, counters: { patches: number }): void {
  const companies: Collection = { records: () => data.companies, fields: fieldsOf(sampleCompany()) }
  const catalog: Collection = { records: () => data.catalog, fields: fieldsOf(sampleCatalogItem()) }
  const agreements: Collection = {
    records: () => data.agreements,
    fields: fieldsOf(sampleAgreement()),
  }
  const additionFields = fieldsOf(sampleAddition())
  const additionsOf = (request: FastifyRequest): Collection => ({
    records: () => agreementAdditions(data, idParam(request, 'agreementId')),
    fields: additionFields,
  })

  api.get('/system/info', async () => ({
    version: 'v2025.1.108000',
    isCloud: true,
    serverTimeZone: 'Eastern Standard Time',
    cloudRegion: 'NA',
  }))
  registerCollection(api, '/company/companies', 'Company', () => companies)
  registerCollection(api, '/procurement/catalog', 'CatalogItem', () => catalog)
  registerCollection(api, '/finance/agreements', 'Agreement', () => agreements)
  registerCollection(api, '/finance/agreements/:agreementId/additions', 'Addition', additionsOf)
  api.patch('/finance/agreements/:agreementId/additions/:id', async (request) => {
    const addition = findOne(additionsOf(request), idParam(request, 'id'), 'Addition')
    applyPatch(addition as CwAddition, request.body)
    counters.patches++
    return addition
  })
}

/** Registers the list, `/count` and `/{id}` routes of one collection. */
function registerCollection(
  api: FastifyInstance,
  path: string,
  resource: string,
  collectionOf: (request: FastifyRequest) => Collection,
): void {
  api.get(path, async (request, reply) => listPage(request, reply, collectionOf(request)))
  api.get(`${path}/count`, async (request) => ({
    count: filterRecords(collectionOf(request), request.query as Query).length,
  }))
  api.get(`${path}/:id`, async (request) =>
    findOne(collectionOf(request), idParam(request, 'id'), resource),
  )
}

function listPage(
  request: FastifyRequest,
  reply: FastifyReply,
  collection: Collection,
): CwRecord[] {
  const query = request.query as Query
  const { page, pageSize } = pagingOf(query)
  const records = sortRecords(
    filterRecords(collection, query),
    single(query.orderBy),
    collection.fields,
  )
  const link = linkHeader(request, page, pageSize, records.length)
  if (link !== '') reply.header('link', link)
  return records.slice((page - 1) * pageSize, page * pageSize)
}

function filterRecords(collection: Collection, query: Query): CwRecord[] {
  const text = single(query.conditions)?.trim()
  if (!text) return collection.records()
  const condition = parseConditions(text)
  checkFields(condition, collection.fields)
  return collection.records().filter((record) => matches(condition, record))
}

function sortRecords(
  records: CwRecord[],
  orderBy: string | undefined,
  fields: ReadonlySet<string>,
): CwRecord[] {
  const sorted = [...records].sort((a, b) => a.id - b.id)
  if (!orderBy?.trim()) return sorted
  const match = /^\s*([A-Za-z_]\w*(?:\/[A-Za-z_]\w*)*)(?:\s+(asc|desc))?\s*$/i.exec(orderBy)
  if (match === null || !fields.has((match[1] as string).toLowerCase())) {
    throw new CwError(
      400,
      'InvalidObject',
      `orderBy "${orderBy}" is invalid: use "field asc" or "field desc".`,
    )
  }
  const path = (match[1] as string).split('/')
  const direction = match[2]?.toLowerCase() === 'desc' ? -1 : 1
  return sorted.sort((a, b) => direction * compareValues(valueAt(a, path), valueAt(b, path)))
}

function valueAt(record: object, path: string[]): unknown {
  let value: unknown = record
  for (const key of path) {
    if (value === null || typeof value !== 'object') return null
    const name = Object.keys(value).find(
      (candidate) => candidate.toLowerCase() === key.toLowerCase(),
    )
    value = name === undefined ? null : (value as Record<string, unknown>)[name]
  }
  return value
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === null || a === undefined) return -1
  if (b === null || b === undefined) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b))
}

function pagingOf(query: Query): { page: number; pageSize: number } {
  const page = positiveInteger(single(query.page), 1, 'page')
  const pageSize = positiveInteger(single(query.pageSize), DEFAULT_PAGE_SIZE, 'pageSize')
  if (pageSize > MAX_PAGE_SIZE) {
    throw new CwError(
      400,
      'InvalidObject',
      `pageSize ${pageSize} is over the maximum of ${MAX_PAGE_SIZE}.`,
    )
  }
  return { page, pageSize }
}

function positiveInteger(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) {
    throw new CwError(
      400,
      'InvalidObject',
      `${name} "${raw}" is invalid: use a whole number of 1 or more.`,
    )
  }
  return value
}

/** Builds a page's `Link` header: `first`/`prev` after page 1, `next`/`last` before the end. */
function linkHeader(
  request: FastifyRequest,
  page: number,
  pageSize: number,
  total: number,
): string {
  const lastPage = Math.max(1, Math.ceil(total / pageSize))
  const base = new URL(request.url, `http://${request.headers.host ?? '127.0.0.1'}`)
  const pageUrl = (target: number): string => {
    const url = new URL(base)
    url.searchParams.set('pageSize', String(pageSize))
    url.searchParams.set('page', String(target))
    return url.href
  }
  const links: string[] = []
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`)
  if (page < lastPage)
    links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`)
  return links.join(', ')
}

function findOne(collection: Collection, id: number, resource: string): CwRecord {
  const record = collection.records().find((candidate) => candidate.id === id)
  if (record === undefined)
    throw new CwError(404, 'NotFound', `${resource} with id ${id} was not found.`)
  return record
}

function agreementAdditions(data: CwData, agreementId: number): CwAddition[] {
  const additions = data.additions.get(agreementId)
  if (additions === undefined) {
    throw new CwError(404, 'NotFound', `Agreement with id ${agreementId} was not found.`)
  }
  return additions
}

function findAddition(
  data: CwData,
  agreementId: number,
  additionId: number,
): CwAddition | undefined {
  return data.additions.get(agreementId)?.find((addition) => addition.id === additionId)
}

/** Validates a JSON Patch document and applies it. Only `replace` of `quantity` is supported. */
function applyPatch(addition: CwAddition, body: unknown): void {
  if (!Array.isArray(body) || body.length === 0) {
    throw new CwError(
      400,
      'InvalidObject',
      'The body must be a non-empty JSON Patch array of {op, path, value}.',
    )
  }
  const quantities = body.map((operation, index) => patchedQuantity(operation, index))
  setQuantity(addition, quantities.at(-1) as number)
}

function patchedQuantity(operation: unknown, index: number): number {
  const { op, path, value } = (operation ?? {}) as Record<string, unknown>
  if (typeof op !== 'string' || !JSON_PATCH_OPS.has(op) || typeof path !== 'string') {
    throw new CwError(
      400,
      'InvalidObject',
      `Operation ${index} is invalid: expected {op, path, value}.`,
    )
  }
  if (op !== 'replace' || path.replace(/^\//, '') !== 'quantity') {
    throw new CwError(
      400,
      'InvalidObject',
      `Operation ${index} (${op} ${path}) is not supported by this fake.`,
    )
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CwError(
      400,
      'InvalidObject',
      `Operation ${index}: quantity must be a number of 0 or more.`,
      [
        {
          code: 'InvalidField',
          message: 'quantity is invalid',
          resource: 'addition',
          field: 'quantity',
        },
      ],
    )
  }
  return value
}

function setQuantity(addition: CwAddition, quantity: number): void {
  addition.quantity = quantity
  recomputeTotals(addition)
  addition._info.lastUpdated = cwTimestamp(new Date())
}

function idParam(request: FastifyRequest, name: string): number {
  const raw = (request.params as Record<string, string>)[name] ?? ''
  const id = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id)) {
    throw new CwError(400, 'InvalidObject', `${name} "${raw}" is invalid: use a whole number.`)
  }
  return id
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function fieldsOf(sample: object): ReadonlySet<string> {
  return new Set(fieldPaths(sample))
}

function sampleCompany(): CwRecord {
  return renderCompany({ id: 1, name: 'Sample', active: true, customer: true })
}

function sampleCatalogItem(): CwRecord {
  return renderCatalogItem({ id: 1, identifier: 'S', name: 'Sample', service: null, unitPrice: 1 })
}

function sampleAgreement(): CwRecord {
  return renderAgreement(
    { id: 1, companyId: 1, name: 'Sample', active: true, lines: [] },
    undefined,
  )
}

function sampleAddition(): CwAddition {
  const line = {
    id: 1,
    productId: 1,
    quantity: 1,
    lessIncluded: 0,
    unitPrice: 1,
    cancelledDate: null,
    updatedAt: '2024-01-01T00:00:00Z',
  }
  return renderAddition(1, line, undefined)
}
