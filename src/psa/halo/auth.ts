/** Client-credentials sign-in to HaloPSA: authorisation-server discovery and token caching. */
import { AppError } from '../../errors.ts'
import type { Logger } from '../../log.ts'
import { type HttpClient, HttpStatusError } from '../../net/http-client.ts'
import { parseHaloUrl } from './base-url.ts'
import { authInfoSchema, HALO_PATHS, tokenResponseSchema } from './fields.ts'
import { parseHaloResponse } from './parse.ts'

/** Seconds before expiry at which a cached token is replaced. */
const REFRESH_MARGIN_SECONDS = 60
/** Lifetime assumed when the token response has no `expires_in`. */
const DEFAULT_LIFETIME_SECONDS = 300
const OAUTH_CREDENTIAL_ERRORS = new Set(['invalid_client', 'unauthorized_client'])

interface CachedToken {
  value: string
  expiresAt: number
}

/** Settings of {@link HaloAuth}: the credentials and a client per origin. */
export interface HaloAuthOptions {
  clientId: string
  clientSecret: string
  /** The tenant's API client, used for `/api/authinfo` and a same-origin token endpoint. */
  apiClient: HttpClient
  /** Creates a client for a token endpoint on another origin. */
  createClient: (origin: URL) => HttpClient
  env: NodeJS.ProcessEnv
  logger: Logger
}

/** Finds the tenant's token endpoint once, then issues and caches bearer tokens. */
export class HaloAuth {
  #options: HaloAuthOptions
  #tokenUrl: URL | undefined
  #tokenClient: HttpClient | undefined
  #token: CachedToken | undefined
  #pending: Promise<CachedToken> | undefined

  constructor(options: HaloAuthOptions) {
    this.#options = options
  }

  /** Requests sent by a token client on another origin than the API (0 when shared). */
  get requestCount(): number {
    const client = this.#tokenClient
    return client && client !== this.#options.apiClient ? client.requestCount : 0
  }

  /** Returns a valid access token, signing in when none is cached or it expires soon. */
  async accessToken(): Promise<string> {
    const cached = this.#token
    if (cached && Date.now() < cached.expiresAt - REFRESH_MARGIN_SECONDS * 1000) {
      return cached.value
    }
    this.#pending ??= this.#signIn().finally(() => {
      this.#pending = undefined
    })
    return (await this.#pending).value
  }

  /** Forgets `token` after the API rejected it, unless a newer one replaced it already. */
  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined
  }

  async #signIn(): Promise<CachedToken> {
    const tokenUrl = await this.#discoverTokenUrl()
    const client = this.#clientFor(tokenUrl)
    const form = {
      grant_type: 'client_credentials',
      client_id: this.#options.clientId,
      client_secret: this.#options.clientSecret,
      scope: 'all',
    }
    let body: unknown
    try {
      // Asking for another client-credentials token changes nothing, so retries are safe.
      const response = await client.request({
        method: 'POST',
        path: tokenUrl.href,
        form,
        idempotent: true,
      })
      body = response.body
    } catch (error) {
      throw rejectedCredentials(error) ?? error
    }
    const token = parseHaloResponse(tokenResponseSchema, body, 'token response', tokenUrl.pathname)
    const lifetime = token.expires_in ?? DEFAULT_LIFETIME_SECONDS
    this.#token = { value: token.access_token, expiresAt: Date.now() + lifetime * 1000 }
    this.#options.logger.info(
      { tokenEndpoint: `${tokenUrl.origin}${tokenUrl.pathname}`, expiresInSeconds: lifetime },
      'signed in to HaloPSA',
    )
    return this.#token
  }

  async #discoverTokenUrl(): Promise<URL> {
    if (this.#tokenUrl) return this.#tokenUrl

    const info = await this.#readAuthInfo()
    const authUrl = info?.auth_url?.trim()
    let tokenUrl: URL
    if (authUrl) {
      const server = parseHaloUrl(authUrl, 'auth_url of /api/authinfo', this.#options.env)
      server.pathname = `${server.pathname.replace(/\/+$/, '')}/token`
      server.search = ''
      tokenUrl = server
    } else {
      tokenUrl = this.#options.apiClient.resolve(HALO_PATHS.fallbackToken)
    }
    const tenant = info?.tenant_id == null ? '' : String(info.tenant_id).trim()
    if (tenant !== '') tokenUrl.searchParams.set('tenant', tenant)

    this.#tokenUrl = tokenUrl
    return tokenUrl
  }

  /** Reads `/api/authinfo`, or returns null when the tenant does not serve it (404). */
  async #readAuthInfo() {
    try {
      const response = await this.#options.apiClient.request({ path: HALO_PATHS.authInfo })
      return parseHaloResponse(
        authInfoSchema,
        response.body,
        'authinfo response',
        HALO_PATHS.authInfo,
      )
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) return null
      throw error
    }
  }

  #clientFor(tokenUrl: URL): HttpClient {
    const apiClient = this.#options.apiClient
    if (tokenUrl.origin === apiClient.baseUrl.origin) {
      this.#tokenClient = apiClient
    } else if (this.#tokenClient?.baseUrl.origin !== tokenUrl.origin) {
      this.#tokenClient = this.#options.createClient(new URL(tokenUrl.origin))
    }
    return this.#tokenClient as HttpClient
  }
}

/** Maps a token endpoint's rejection of the credentials to `auth_failed`, else undefined. */
function rejectedCredentials(error: unknown): AppError | undefined {
  if (!(error instanceof HttpStatusError)) return undefined
  const oauthError = (error.body as { error?: unknown } | null)?.error
  const rejected =
    error.status === 401 ||
    (error.status === 400 &&
      typeof oauthError === 'string' &&
      OAUTH_CREDENTIAL_ERRORS.has(oauthError))
  if (!rejected) return undefined
  return new AppError(
    'auth_failed',
    `HaloPSA rejected the client credentials (HTTP ${error.status}). ` +
      'Check the client ID and secret.',
    { status: error.status },
  )
}
