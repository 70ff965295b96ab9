/** Authenticated, paged access to the HaloPSA REST API of one tenant. */
import { z } from 'zod'
import { AppError } from '../../errors.ts'
import { type Logger, silentLogger } from '../../log.ts'
import {
  HttpClient,
  type HttpRequest,
  type HttpResponse,
  HttpStatusError,
} from '../../net/http-client.ts'
import { HaloAuth } from './auth.ts'
import { PAGE_SIZE, PAGING_PARAMS, RECORD_COUNT_KEY } from './fields.ts'
import { parseHaloResponse } from './parse.ts'

const VENDOR = 'HaloPSA'

/** A HaloPSA connection: the tenant base URL (without `/api`) and API application keys. */
export interface HaloConfig {
  baseUrl: URL
  clientId: string
  clientSecret: string
}

/** Transport settings. `env` supplies MSP_RECON_ALLOWED_HOSTS for the auth server check. */
export interface HaloApiOptions {
  logger?: Logger
  timeoutMs?: number
  maxRetries?: number
  baseDelayMs?: number
  env?: NodeJS.ProcessEnv
}

type Query = HttpRequest['query']

/** One paged list: its path, the key wrapping its rows, and the filters for every page. */
export interface ListRequest<T> {
  path: string
  listKey: string
  schema: z.ZodType<T>
  /** Singular noun for messages, e.g. `client`. */
  entity: string
  query?: Query
}

const pageEnvelopeSchema = z.object({ [RECORD_COUNT_KEY]: z.number().int().nonnegative() })

/** Sends bearer-authenticated requests, signs in again once on a 401, and reads all pages. */
export class HaloApi {
  #http: HttpClient
  #auth: HaloAuth
  #logger: Logger

  constructor(config: HaloConfig, options: HaloApiOptions = {}) {
    this.#logger = options.logger ?? silentLogger
    const transport = {
      vendor: VENDOR,
      logger: this.#logger,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      baseDelayMs: options.baseDelayMs,
    }
    this.#http = new HttpClient({ ...transport, baseUrl: config.baseUrl })
    this.#auth = new HaloAuth({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      apiClient: this.#http,
      createClient: (origin) => new HttpClient({ ...transport, baseUrl: origin }),
      env: options.env ?? process.env,
      logger: this.#logger,
    })
  }

  /** Requests sent so far to the API and the token endpoint, retries included. */
  get requestCount(): number {
    return this.#http.requestCount + this.#auth.requestCount
  }

  /** Returns a valid access token, signing in when needed. */
  accessToken(): Promise<string> {
    return this.#auth.accessToken()
  }

  /** Sends a GET and returns the body. Throws for any status other than 2xx. */
  async get(path: string, query?: Query): Promise<unknown> {
    return (await this.#authorized({ path, query })).body
  }

  /** Sends a GET and returns the body, or null when the record does not exist (404). */
  async getOrNull(path: string, query?: Query): Promise<unknown | null> {
    try {
      return await this.get(path, query)
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) return null
      throw error
    }
  }

  /** Sends a POST with a JSON body. `idempotent` allows retries on 429, 5xx and timeouts. */
  async post(path: string, json: unknown, idempotent: boolean): Promise<unknown> {
    return (await this.#authorized({ method: 'POST', path, json, idempotent })).body
  }

  /**
   * Reads every page of a list and returns its rows. Stops once the rows read reach
   * `record_count` and a page came back short or empty. Throws `upstream_failed` when a row
   * repeats, `record_count` changes, or the rows read disagree with `record_count`, because
   * each means that the list changed during the read and the result would be incomplete.
   */
  async listAll<T extends { id: number }>(request: ListRequest<T>): Promise<T[]> {
    const rows: T[] = []
    const seen = new Set<number>()
    let recordCount: number | undefined
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await this.#readPage(request, pageNumber)
      recordCount ??= page.recordCount
      if (page.recordCount !== recordCount) {
        throw listChanged(
          request.path,
          `its record_count went from ${recordCount} to ${page.recordCount}`,
        )
      }
      for (const row of page.rows) {
        if (seen.has(row.id)) {
          throw listChanged(request.path, `${request.entity} ${row.id} appeared twice`)
        }
        seen.add(row.id)
        rows.push(row)
      }

      const lastPage = page.rows.length < PAGE_SIZE
      if (rows.length > recordCount || (lastPage && rows.length < recordCount)) {
        const reason = `${rows.length} rows arrived for a record_count of ${recordCount}`
        throw listChanged(request.path, reason)
      }
      if (lastPage) break
    }
    this.#logger.info({ path: request.path, rows: rows.length }, 'read HaloPSA list')
    return rows
  }

  async #readPage<T>(
    request: ListRequest<T>,
    pageNumber: number,
  ): Promise<{ recordCount: number; rows: T[] }> {
    const query = {
      ...request.query,
      [PAGING_PARAMS.enable]: true,
      [PAGING_PARAMS.size]: PAGE_SIZE,
      [PAGING_PARAMS.number]: pageNumber,
    }
    const body = await this.get(request.path, query)
    const envelope = parseHaloResponse(pageEnvelopeSchema, body, 'page', request.path)
    const listSchema = z.object({ [request.listKey]: z.array(request.schema) })
    const list = parseHaloResponse(listSchema, body, request.entity, request.path)
    const rows = list[request.listKey] as T[]
    this.#logger.debug({ path: request.path, pageNumber, rows: rows.length }, 'read HaloPSA page')
    return { recordCount: envelope[RECORD_COUNT_KEY] as number, rows }
  }

  async #authorized(request: HttpRequest): Promise<HttpResponse> {
    const token = await this.#auth.accessToken()
    try {
      return await this.#send(request, token)
    } catch (error) {
      if (!(error instanceof HttpStatusError) || error.status !== 401) throw error
    }
    this.#logger.info({ path: request.path }, 'HaloPSA rejected the access token, signing in again')
    this.#auth.invalidate(token)
    const freshToken = await this.#auth.accessToken()
    try {
      return await this.#send(request, freshToken)
    } catch (error) {
      if (!(error instanceof HttpStatusError) || error.status !== 401) throw error
      throw new AppError(
        'auth_failed',
        `HaloPSA rejected a new access token for ${error.details.request} (HTTP 401). ` +
          'Check that the API application is active and uses Client ID and Secret (Services).',
        { status: 401 },
      )
    }
  }

  async #send(request: HttpRequest, token: string): Promise<HttpResponse> {
    const headers = { ...request.headers, authorization: `Bearer ${token}` }
    try {
      return await this.#http.request({ ...request, headers })
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 403) {
        throw new AppError(
          'auth_failed',
          `HaloPSA denied access to ${error.details.request} (HTTP 403). Give the API ` +
            'application read access to customers and items, and read and edit access to invoices.',
          { status: 403 },
        )
      }
      throw error
    }
  }
}

function listChanged(path: string, reason: string): AppError {
  return new AppError(
    'upstream_failed',
    `HaloPSA's list at ${path} changed while it was read (${reason}). Run the sync again.`,
    { path },
  )
}
