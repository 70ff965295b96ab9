import type { ZodType } from 'zod'
import type { VendorDevice, VendorOrganization, VendorRole } from '../../core/types.ts'
import { AppError } from '../../errors.ts'
import { type Logger, silentLogger } from '../../log.ts'
import { HttpClient, type HttpRequest, HttpStatusError } from '../../net/http-client.ts'
import { regionOfHost } from './regions.ts'
import {
  deviceListSchema,
  organizationListSchema,
  parseResponse,
  roleListSchema,
  tokenResponseSchema,
  toVendorDevice,
  toVendorOrganization,
  toVendorRole,
} from './schemas.ts'

/** The base URL of a NinjaOne instance and the API client to sign in as. */
export interface NinjaOneCredentials {
  baseUrl: URL
  clientId: string
  clientSecret: string
}

/** Logging, timeout and retry settings, passed on to `HttpClient`. */
export interface NinjaClientOptions {
  logger?: Logger
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number
  /** Retries after the first attempt for 429, 5xx, timeouts and network errors. */
  maxRetries?: number
  /** First backoff step in milliseconds. */
  baseDelayMs?: number
  /** Maximum wait between attempts in milliseconds, including a server's `Retry-After`. */
  maxDelayMs?: number
}

/** The `pageSize` sent with every page of a listing. */
export const NINJA_PAGE_SIZE = 1000

const VENDOR = 'NinjaOne'
const TOKEN_PATH = '/ws/oauth/token'
const TOKEN_SCOPE = 'monitoring'
const MAX_REFRESH_MARGIN_MS = 60_000
// NOTE: used only when the token response has no `expires_in`. A token that expires sooner
// is still handled, because a 401 makes the client sign in again.
const FALLBACK_TOKEN_LIFETIME_SECONDS = 600

interface AccessToken {
  value: string
  /** Epoch milliseconds after which the token is replaced before use. */
  refreshAt: number
}

interface Listing<T> {
  path: string
  /** Singular noun for messages, e.g. `device`. */
  entity: string
  schema: ZodType<T[]>
}

type Query = HttpRequest['query']

/**
 * A read-only client of the NinjaOne public API v2 for the data billing needs: organizations,
 * device roles and devices. It signs in with the client credentials grant on first use and
 * reuses the access token until shortly before it expires. When an API call returns 401, it
 * signs in again once. Listings are paged by `after` cursor and fail closed when a page does
 * not advance. Retries, timeouts and request counting come from {@link HttpClient}.
 */
export class NinjaOneClient {
  readonly #http: HttpClient
  readonly #credentials: NinjaOneCredentials
  readonly #logger: Logger
  #token: AccessToken | undefined
  #pendingToken: Promise<AccessToken> | undefined

  constructor(credentials: NinjaOneCredentials, options: NinjaClientOptions = {}) {
    if (!credentials.clientId.trim()) {
      throw new AppError('bad_request', 'Missing NinjaOne client ID. Give the API client ID.')
    }
    if (!credentials.clientSecret) {
      throw new AppError('bad_request', 'Missing NinjaOne client secret. Give the API secret.')
    }
    this.#credentials = credentials
    this.#logger = options.logger ?? silentLogger
    this.#http = new HttpClient({
      vendor: VENDOR,
      baseUrl: credentials.baseUrl,
      logger: this.#logger,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      baseDelayMs: options.baseDelayMs,
      maxDelayMs: options.maxDelayMs,
    })
  }

  /** Requests sent so far, token requests and retries included. */
  get requestCount(): number {
    return this.#http.requestCount
  }

  /** Obtains an access token unless a valid one is held. Throws `auth_failed` if rejected. */
  async authenticate(): Promise<void> {
    await this.#validToken()
  }

  /** Lists all organizations, one page at a time. */
  async *organizationPages(): AsyncGenerator<VendorOrganization[]> {
    const listing = {
      path: '/v2/organizations',
      entity: 'organization',
      schema: organizationListSchema,
    }
    for await (const page of this.#pages(listing)) yield page.map(toVendorOrganization)
  }

  /** Lists all device roles in one request, because the endpoint is not paged. */
  async listRoles(): Promise<VendorRole[]> {
    const path = '/v2/roles'
    const body = await this.#get(path)
    const roles = parseResponse(roleListSchema, body, { entity: 'role', endpoint: path })
    this.#logger.info({ vendor: VENDOR, endpoint: path, items: roles.length }, 'listed roles')
    return roles.map(toVendorRole)
  }

  /**
   * Lists all devices, one page at a time, so that callers never hold every device in
   * memory. `filter` is sent as the device filter `df`, e.g. `status eq APPROVED`.
   */
  async *devicePages(options: { filter?: string } = {}): AsyncGenerator<VendorDevice[]> {
    const listing = { path: '/v2/devices', entity: 'device', schema: deviceListSchema }
    for await (const page of this.#pages(listing, { df: options.filter })) {
      yield page.map(toVendorDevice)
    }
  }

  /**
   * Pages a listing with `pageSize` and `after`, the greatest id seen so far, keeping every
   * other parameter on every page.
   *
   * NinjaOne documents no maximum `pageSize`, so only an empty page or a page shorter than
   * NINJA_PAGE_SIZE ends the listing, and a listing of n items takes floor(n / 1000) + 1
   * requests.
   * NOTE: a server that silently capped pages below 1000 would end the listing after the
   * first page and undercount. That risk is accepted because the homotechsual/NinjaOne
   * PowerShell module sets a default page size of 2000, and probing for a cap would cost
   * one more request on every listing.
   */
  async *#pages<T extends { id: number }>(listing: Listing<T>, params: Query = {}) {
    const startedAt = Date.now()
    const requestsBefore = this.requestCount
    let after: number | undefined
    let items = 0
    for (let page = 1; ; page++) {
      const body = await this.#get(listing.path, { ...params, pageSize: NINJA_PAGE_SIZE, after })
      const entries = parseResponse(listing.schema, body, {
        entity: listing.entity,
        endpoint: listing.path,
      })
      const greatestId = validatePageIds(entries, after, listing)
      items += entries.length
      this.#logger.debug(
        { vendor: VENDOR, endpoint: listing.path, page, after, items: entries.length },
        'fetched page',
      )

      if (entries.length > 0) yield entries
      if (entries.length < NINJA_PAGE_SIZE) {
        const totals = { pages: page, items, requests: this.requestCount - requestsBefore }
        const durationMs = Date.now() - startedAt
        this.#logger.info(
          { vendor: VENDOR, endpoint: listing.path, ...totals, durationMs },
          'listing complete',
        )
        return
      }
      after = greatestId
    }
  }

  /** Sends an authenticated GET, signing in again once if NinjaOne rejects the token. */
  async #get(path: string, query?: Query): Promise<unknown> {
    const token = await this.#validToken()
    try {
      return await this.#send(path, query, token)
    } catch (error) {
      if (!isHttpStatus(error, 401)) throw error
    }

    if (this.#token === token) this.#token = undefined
    this.#logger.info({ vendor: VENDOR, endpoint: path }, 'access token rejected, signing in again')
    const freshToken = await this.#validToken()
    try {
      return await this.#send(path, query, freshToken)
    } catch (error) {
      if (!isHttpStatus(error, 401)) throw error
      throw new AppError(
        'auth_failed',
        `NinjaOne rejected the access token for GET ${path} (HTTP 401) even after a new ` +
          `token was issued. Check that the API client for ${this.#hostLabel()} is enabled ` +
          'and allowed the client credentials grant.',
        { status: 401, endpoint: path },
      )
    }
  }

  async #send(path: string, query: Query, token: AccessToken): Promise<unknown> {
    try {
      const headers = { authorization: `Bearer ${token.value}` }
      const response = await this.#http.request({ path, query, headers })
      return response.body
    } catch (error) {
      if (isHttpStatus(error, 403)) throw this.#missingScopeError(`GET ${path}`)
      throw error
    }
  }

  async #validToken(): Promise<AccessToken> {
    if (this.#token !== undefined && Date.now() < this.#token.refreshAt) return this.#token
    // Concurrent callers share one token request instead of each signing in.
    this.#pendingToken ??= this.#requestToken().finally(() => {
      this.#pendingToken = undefined
    })
    this.#token = await this.#pendingToken
    return this.#token
  }

  async #requestToken(): Promise<AccessToken> {
    const requestedAt = Date.now()
    const body = await this.#postTokenRequest()
    const answer = parseResponse(tokenResponseSchema, body, {
      entity: 'token response',
      endpoint: TOKEN_PATH,
    })
    if (answer.token_type && answer.token_type.toLowerCase() !== 'bearer') {
      throw new AppError(
        'invalid_response',
        `NinjaOne issued a token of type "${answer.token_type}" at ${TOKEN_PATH}; ` +
          'only Bearer tokens are supported.',
      )
    }

    const lifetimeMs = (answer.expires_in ?? FALLBACK_TOKEN_LIFETIME_SECONDS) * 1000
    const marginMs = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs / 10)
    this.#logger.info(
      { vendor: VENDOR, host: this.#credentials.baseUrl.host, expiresInSeconds: answer.expires_in },
      'obtained access token',
    )
    return { value: answer.access_token, refreshAt: requestedAt + lifetimeMs - marginMs }
  }

  async #postTokenRequest(): Promise<unknown> {
    const form = {
      grant_type: 'client_credentials',
      client_id: this.#credentials.clientId,
      client_secret: this.#credentials.clientSecret,
      scope: TOKEN_SCOPE,
    }
    try {
      // Retrying is safe: a client-credentials request changes nothing on the server.
      const response = await this.#http.request({
        method: 'POST',
        path: TOKEN_PATH,
        form,
        idempotent: true,
      })
      return response.body
    } catch (error) {
      throw this.#tokenRequestError(error)
    }
  }

  #tokenRequestError(error: unknown): unknown {
    if (isHttpStatus(error, 400) || isHttpStatus(error, 401)) {
      return new AppError(
        'auth_failed',
        `NinjaOne rejected the client credentials (HTTP ${error.status}). ` +
          `Check the client ID and secret for ${this.#hostLabel()}.`,
        { status: error.status, host: this.#credentials.baseUrl.host },
      )
    }
    if (isHttpStatus(error, 403)) return this.#missingScopeError(`POST ${TOKEN_PATH}`)
    return withoutSecret(error, this.#credentials.clientSecret)
  }

  #missingScopeError(request: string): AppError {
    return new AppError(
      'auth_failed',
      `NinjaOne denied ${request} (HTTP 403). Give the API client for ${this.#hostLabel()} ` +
        `the "${TOKEN_SCOPE}" scope and try again.`,
      { status: 403, request, scope: TOKEN_SCOPE },
    )
  }

  #hostLabel(): string {
    const host = this.#credentials.baseUrl.host
    const region = regionOfHost(this.#credentials.baseUrl.hostname)
    return region ? `${host} (region ${region})` : host
  }
}

function isHttpStatus(error: unknown, status: number): error is HttpStatusError {
  return error instanceof HttpStatusError && error.status === status
}

/**
 * Returns the greatest id of a page, the `after` of the next page. Throws `invalid_response`
 * unless every id is greater than `after` and no id repeats within the page. Together the
 * two checks rule out a repeated id anywhere in the listing.
 */
function validatePageIds<T extends { id: number }>(
  entries: readonly T[],
  after: number | undefined,
  listing: Listing<T>,
): number | undefined {
  const ids = new Set<number>()
  let greatestId: number | undefined
  for (const entry of entries) {
    if (after !== undefined && entry.id <= after) {
      throw new AppError(
        'invalid_response',
        `NinjaOne paging did not advance past id ${after} at ${listing.path}, so the sync ` +
          `cannot prove it saw every ${listing.entity}. Try again later.`,
        { endpoint: listing.path, after, id: entry.id },
      )
    }
    if (ids.has(entry.id)) {
      throw new AppError(
        'invalid_response',
        `NinjaOne returned ${listing.entity} id ${entry.id} twice at ${listing.path}, so the ` +
          `sync cannot prove it saw every ${listing.entity}. Try again later.`,
        { endpoint: listing.path, id: entry.id },
      )
    }
    ids.add(entry.id)
    greatestId = Math.max(greatestId ?? entry.id, entry.id)
  }
  return greatestId
}

/** Returns `error` with every occurrence of `secret` in its message replaced. */
function withoutSecret(error: unknown, secret: string): unknown {
  if (!(error instanceof Error) || !error.message.includes(secret)) return error
  const message = error.message.replaceAll(secret, '[redacted]')
  if (error instanceof AppError) return new AppError(error.code, message, error.details)
  return new Error(message)
}
