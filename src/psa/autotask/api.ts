/** HTTP access to the Autotask REST API: zone lookup, auth headers, query paging and errors. */
import { z } from 'zod'
import { AppError } from '../../errors.ts'
import { type Logger, silentLogger } from '../../log.ts'
import {
  HttpClient,
  type HttpRequest,
  type HttpResponse,
  HttpStatusError,
} from '../../net/http-client.ts'
import { itemSchema, pageSchema, parseAnswer, zoneSchema } from './schemas.ts'
import { apiBaseFromZone } from './zone.ts'

/** The maximum number of records Autotask returns in one page. */
export const PAGE_SIZE = 500

const VENDOR = 'Autotask'
const AUTH_FAILED =
  'Autotask rejected the API user credentials (HTTP 401). Check the username, secret and ' +
  'integration code.'

/** A query condition such as `{ op: 'eq', field: 'isActive', value: true }`, or a group. */
export type QueryCondition =
  | { op: string; field: string; value?: unknown }
  | { op: 'and' | 'or'; items: QueryCondition[] }

/** Credentials of one Autotask API user and where its zone is looked up. */
export interface AutotaskConfig {
  /** Zone lookup URL ending with `/`, as `resolveAutotaskZoneUrl` returns it. */
  zoneUrl: URL
  /** The API user's email address. */
  username: string
  /** The integration's tracking identifier, sent as the `ApiIntegrationCode` header. */
  integrationCode: string
  secret: string
}

/** Retry, timeout, logging and host-rule settings of the HTTP clients behind the adapter. */
export interface AutotaskApiOptions {
  logger?: Logger
  timeoutMs?: number
  maxRetries?: number
  baseDelayMs?: number
  /** Environment that MSP_RECON_ALLOWED_HOSTS is read from (default `process.env`). */
  env?: NodeJS.ProcessEnv
}

/** Options of {@link AutotaskApi.query}. */
export interface QueryOptions {
  /** Records per page, 1 to 500 (default 500). */
  maxRecords?: number
  /** Reads the first page only, e.g. to check credentials. */
  firstPageOnly?: boolean
}

/**
 * An Autotask REST client. It looks up the tenant's zone once, sends the three credential
 * headers on every call, reads every page of a query and validates responses with zod.
 */
export class AutotaskApi {
  readonly #config: AutotaskConfig
  readonly #options: AutotaskApiOptions
  readonly #logger: Logger
  readonly #headers: Record<string, string>
  readonly #zoneHttp: HttpClient
  #apiHttp: HttpClient | undefined
  #connecting: Promise<HttpClient> | undefined

  constructor(config: AutotaskConfig, options: AutotaskApiOptions = {}) {
    this.#config = config
    this.#options = options
    this.#logger = options.logger ?? silentLogger
    this.#zoneHttp = this.#httpClient(config.zoneUrl)
    this.#headers = {
      ApiIntegrationCode: config.integrationCode,
      UserName: config.username,
      Secret: config.secret,
      // Lower case, so that HttpClient's own content-type for JSON bodies replaces it.
      'content-type': 'application/json',
    }
  }

  /** HTTP requests sent so far, the zone lookup and retries included. */
  get requestCount(): number {
    return this.#zoneHttp.requestCount + (this.#apiHttp?.requestCount ?? 0)
  }

  /**
   * Runs `POST {entity}/query` and follows `pageDetails.nextPageUrl` until it is null.
   * Throws `invalid_response` when a next page URL repeats or leaves the zone's host.
   */
  async query<T>(
    entity: string,
    filter: QueryCondition[],
    schema: z.ZodType<T>,
    options: QueryOptions = {},
  ): Promise<T[]> {
    const http = await this.#client()
    const body = { filter, MaxRecords: options.maxRecords ?? PAGE_SIZE }
    const records: T[] = []
    const visited = new Set<string>()
    let path = `${entity}/query`
    for (let page = 1; ; page++) {
      // A query only reads, so retrying its POST is safe. The real API expects a POST with
      // the same body on the next page URL, and a GET on it returns 405.
      const request = { method: 'POST' as const, path, json: body, idempotent: true }
      const response = await this.#send(http, request, entity)
      const label = `POST ${entity}/query (page ${page})`
      const envelope = parseAnswer(pageSchema, response.body, `${entity} page`, label)
      records.push(...parseAnswer(z.array(schema), envelope.items, `${entity} record`, label))
      const next = envelope.pageDetails.nextPageUrl
      if (!next || options.firstPageOnly) break
      if (visited.has(next)) throw repeatedPage(entity, page)
      visited.add(next)
      path = next
    }
    this.#logger.debug({ entity, records: records.length }, 'read Autotask query')
    return records
  }

  /** Reads one record with `GET {entity}/{id}`, or returns null when Autotask has none. */
  async getItem<T>(entity: string, id: number, schema: z.ZodType<T>): Promise<T | null> {
    const http = await this.#client()
    let response: HttpResponse
    try {
      response = await this.#send(http, { path: `${entity}/${id}` }, entity)
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) return null
      throw error
    }
    const label = `GET ${entity}/${id}`
    const { item } = parseAnswer(itemSchema, response.body, `${entity} item`, label)
    return item === null || item === undefined
      ? null
      : parseAnswer(schema, item, `${entity} record`, label)
  }

  /** Creates one record with `POST {entity}`. It is never retried: a repeat could apply twice. */
  async create(entity: string, record: Record<string, unknown>): Promise<unknown> {
    const http = await this.#client()
    const request = { method: 'POST' as const, path: entity, json: record, idempotent: false }
    const response = await this.#send(http, request, entity)
    return (response.body as { itemId?: unknown } | null)?.itemId
  }

  #httpClient(baseUrl: URL): HttpClient {
    return new HttpClient({
      vendor: VENDOR,
      baseUrl,
      logger: this.#logger,
      timeoutMs: this.#options.timeoutMs,
      maxRetries: this.#options.maxRetries,
      baseDelayMs: this.#options.baseDelayMs,
    })
  }

  /** Returns the zone's API client. The lookup runs once, or again after a failure. */
  #client(): Promise<HttpClient> {
    this.#connecting ??= this.#lookupZone().catch((error: unknown) => {
      this.#connecting = undefined
      throw error
    })
    return this.#connecting
  }

  async #lookupZone(): Promise<HttpClient> {
    const label = 'GET v1.0/zoneInformation'
    let response: HttpResponse
    try {
      const query = { user: this.#config.username }
      response = await this.#zoneHttp.request({ path: 'v1.0/zoneInformation', query })
    } catch (error) {
      throw this.#zoneError(error)
    }
    const zone = parseAnswer(zoneSchema, response.body, 'zone lookup response', label)
    const baseUrl = apiBaseFromZone(zone.url, this.#options.env)
    this.#apiHttp ??= this.#httpClient(baseUrl)
    this.#logger.info({ zone: zone.zoneName, apiUrl: baseUrl.href }, 'found Autotask zone')
    return this.#apiHttp
  }

  #zoneError(error: unknown): unknown {
    if (!(error instanceof HttpStatusError)) return error
    const unknownUser =
      error.status === 404 || JSON.stringify(error.body ?? '').includes('could not be determined')
    if (!unknownUser) return error
    return new AppError(
      'auth_failed',
      `Autotask found no zone for the API user "${this.#config.username}" ` +
        `(HTTP ${error.status}). Check the username: it is the API user's email address.`,
      { status: error.status },
      { cause: error },
    )
  }

  async #send(http: HttpClient, request: HttpRequest, entity: string): Promise<HttpResponse> {
    try {
      return await http.request({ ...request, headers: this.#headers })
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 401) {
        throw new AppError('auth_failed', AUTH_FAILED, { status: 401 }, { cause: error })
      }
      if (error instanceof HttpStatusError && error.status === 403) {
        throw new AppError(
          'auth_failed',
          `Autotask denied the API user access to ${entity} (HTTP 403). Grant its security ` +
            `level access to ${entity}.`,
          { status: 403, entity },
          { cause: error },
        )
      }
      throw error
    }
  }
}

function repeatedPage(entity: string, page: number): AppError {
  return new AppError(
    'invalid_response',
    `Autotask sent a next page URL for ${entity} that it had sent before (after page ${page}), ` +
      'so reading stopped instead of looping. Run the sync again.',
    { entity, page },
  )
}
