/** HTTP access to the ConnectWise PSA REST API: auth headers, paging and error mapping. */
import { z } from 'zod'
import { AppError } from '../../errors.ts'
import { type Logger, silentLogger } from '../../log.ts'
import {
  HttpClient,
  type HttpRequest,
  type HttpResponse,
  HttpStatusError,
} from '../../net/http-client.ts'
import { parseResponse } from './schemas.ts'

/** The largest `pageSize` ConnectWise PSA accepts. */
export const PAGE_SIZE = 1000

const VENDOR = 'ConnectWise PSA'
const ACCEPT = 'application/vnd.connectwise.com+json; version=2025.1'

/** Credentials and base URL of one ConnectWise PSA site. */
export interface ConnectWiseConfig {
  /** REST base URL ending with `/apis/3.0`; see `resolveConnectWiseBaseUrl`. */
  baseUrl: URL
  /** The company ID users type at the ConnectWise PSA login, e.g. `acme`. */
  companyId: string
  publicKey: string
  privateKey: string
  /** Integration GUID registered at developer.connectwise.com, sent as the `clientId` header. */
  clientId: string
}

/** Retry, timeout and logging settings of the HTTP client behind the adapter. */
export interface ConnectWiseApiOptions {
  logger?: Logger
  timeoutMs?: number
  maxRetries?: number
  baseDelayMs?: number
}

/** A ConnectWise PSA REST client that validates every response with a zod schema. */
export class ConnectWiseApi {
  #http: HttpClient
  #headers: Record<string, string>
  #logger: Logger

  constructor(config: ConnectWiseConfig, options: ConnectWiseApiOptions = {}) {
    this.#logger = options.logger ?? silentLogger
    this.#http = new HttpClient({
      vendor: VENDOR,
      baseUrl: config.baseUrl,
      logger: this.#logger,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      baseDelayMs: options.baseDelayMs,
    })
    const credentials = `${config.companyId}+${config.publicKey}:${config.privateKey}`
    this.#headers = {
      authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`,
      clientId: config.clientId,
      accept: ACCEPT,
    }
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.#http.requestCount
  }

  /** Reads one resource and validates it. `recordName` names the record in errors. */
  async get<T>(path: string, schema: z.ZodType<T>, recordName: string): Promise<T> {
    const response = await this.#send({ path })
    return parseResponse(schema, response.body, recordName, `GET ${path}`)
  }

  /** Reads one resource like {@link get}, but returns null when the API responds with 404. */
  async getOrNull<T>(path: string, schema: z.ZodType<T>, recordName: string): Promise<T | null> {
    try {
      return await this.get(path, schema, recordName)
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) return null
      throw error
    }
  }

  /** Sends a JSON Patch document and validates the updated record that comes back. */
  async patch<T>(
    path: string,
    operations: unknown[],
    schema: z.ZodType<T>,
    recordName: string,
  ): Promise<T> {
    // A JSON Patch `replace` sets an absolute value, so a retried PATCH cannot double-apply.
    const response = await this.#send({ method: 'PATCH', path, json: operations, idempotent: true })
    return parseResponse(schema, response.body, recordName, `PATCH ${path}`)
  }

  /**
   * Reads every page of a collection with `page`/`pageSize` until a short or empty page.
   * The Link header is not needed for this. Throws `invalid_response` when an id comes
   * back twice, because overlapping pages mean records were skipped or counted twice.
   */
  async listAll<T extends { id: number }>(
    path: string,
    schema: z.ZodType<T>,
    recordName: string,
    conditions?: string,
  ): Promise<T[]> {
    const pageSchema = z.array(schema)
    const records: T[] = []
    const seenIds = new Set<number>()
    for (let page = 1; ; page++) {
      const query = { conditions, orderBy: 'id asc', page, pageSize: PAGE_SIZE }
      const response = await this.#send({ path, query })
      const items = parseResponse(pageSchema, response.body, recordName, `GET ${path} page ${page}`)
      for (const item of items) {
        if (seenIds.has(item.id)) throw overlappingPages(path, page, item.id)
        seenIds.add(item.id)
        records.push(item)
      }
      this.#logger.debug({ path, page, records: items.length }, 'fetched ConnectWise PSA page')
      if (items.length < PAGE_SIZE) return records
    }
  }

  async #send(request: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.#http.request({ ...request, headers: this.#headers })
    } catch (error) {
      if (error instanceof HttpStatusError && (error.status === 401 || error.status === 403)) {
        throw credentialsRejected(error)
      }
      throw error
    }
  }
}

function credentialsRejected(error: HttpStatusError): AppError {
  const roleHint =
    error.status === 403 ? ' The API member may also lack a security role for this module.' : ''
  return new AppError(
    'auth_failed',
    `ConnectWise PSA rejected the API keys (HTTP ${error.status}). Check the company ID, ` +
      `public/private key and client ID.${roleHint}`,
    { status: error.status, request: error.details.request },
    { cause: error },
  )
}

function overlappingPages(path: string, page: number, id: number): AppError {
  return new AppError(
    'invalid_response',
    `ConnectWise PSA listed id ${id} of GET ${path} again on page ${page}, so the pages ` +
      'overlap: records changed during the read or the server ignored the page number. ' +
      'Nothing was imported; run sync again.',
    { path, page, id },
  )
}
