import { setTimeout as sleep } from 'node:timers/promises'
import { AppError } from '../errors.ts'
import { type Logger, silentLogger } from '../log.ts'

export interface HttpClientOptions {
  /** Vendor or PSA name used in errors and logs, e.g. `NinjaOne`. */
  vendor: string
  baseUrl: URL
  logger?: Logger
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number
  /** Retries after the first attempt for 429, 5xx, timeouts and network errors. */
  maxRetries?: number
  /** First backoff step in milliseconds; each retry doubles the ceiling, with full jitter. */
  baseDelayMs?: number
  /** Maximum wait between attempts in milliseconds, including a server's `Retry-After`. */
  maxDelayMs?: number
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /** A path joined to the base URL, or an absolute URL on the same origin. */
  path: string
  query?: Record<string, string | number | boolean | undefined>
  headers?: Record<string, string>
  json?: unknown
  form?: Record<string, string>
  /** Whether repeating the request is safe; defaults to true except for POST. */
  idempotent?: boolean
}

export interface HttpResponse {
  status: number
  headers: Headers
  body: unknown
}

/** A non-success HTTP response from a vendor or PSA API, after any retries. */
export class HttpStatusError extends AppError {
  readonly status: number
  readonly body: unknown

  constructor(vendor: string, request: string, status: number, body: unknown) {
    const detail = describeErrorBody(body)
    // A 4xx here is the remote API rejecting our request, not bad input from the user.
    const code = status === 429 ? 'rate_limited' : 'upstream_failed'
    super(code, `${vendor} returned HTTP ${status} for ${request}${detail ? `: ${detail}` : ''}.`, {
      status,
      request,
    })
    this.status = status
    this.body = body
  }
}

function describeErrorBody(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200)
  if (body === null || typeof body !== 'object') return ''
  const record = body as Record<string, unknown>
  for (const key of ['message', 'errorMessage', 'error_description', 'error', 'resultCode']) {
    if (typeof record[key] === 'string') return (record[key] as string).slice(0, 200)
  }
  if (Array.isArray(record.errors) && typeof record.errors[0] === 'string') {
    return record.errors.slice(0, 3).join('; ').slice(0, 200)
  }
  return ''
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds; undefined when absent. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504])

/**
 * A JSON HTTP client for one API origin: per-attempt timeouts, bounded retries with
 * exponential backoff and full jitter on 429, 5xx and network errors, `Retry-After` honoured,
 * and a count of every request sent (for sync statistics and rate budgets).
 */
export class HttpClient {
  readonly vendor: string
  readonly baseUrl: URL
  #logger: Logger
  #timeoutMs: number
  #maxRetries: number
  #baseDelayMs: number
  #maxDelayMs: number
  #requestCount = 0

  constructor(options: HttpClientOptions) {
    this.vendor = options.vendor
    this.baseUrl = options.baseUrl
    this.#logger = options.logger ?? silentLogger
    this.#timeoutMs = options.timeoutMs ?? 30_000
    this.#maxRetries = options.maxRetries ?? 4
    this.#baseDelayMs = options.baseDelayMs ?? 500
    this.#maxDelayMs = options.maxDelayMs ?? 60_000
  }

  /** Requests sent so far, retries included. */
  get requestCount(): number {
    return this.#requestCount
  }

  /** Resolves `path` against the base URL; an absolute URL must stay on the same origin. */
  resolve(path: string, query?: HttpRequest['query']): URL {
    const base = this.baseUrl.href.endsWith('/') ? this.baseUrl.href : `${this.baseUrl.href}/`
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), base)
    if (url.origin !== this.baseUrl.origin) {
      throw new AppError(
        'invalid_response',
        `${this.vendor} pointed to ${url.origin}, outside the configured API host ${this.baseUrl.origin}.`,
      )
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    return url
  }

  /** Sends a request, retrying transient failures; throws {@link HttpStatusError} otherwise. */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const method = request.method ?? 'GET'
    const url = this.resolve(request.path, request.query)
    const label = `${method} ${url.pathname}`
    const idempotent = request.idempotent ?? method !== 'POST'
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(method, url, request, label)
      const retryable = outcome.kind === 'error' || RETRYABLE_STATUS.has(outcome.response.status)
      if (!retryable) return this.#finish(outcome.response, label)
      if (!idempotent || attempt >= this.#maxRetries) {
        if (outcome.kind === 'error') throw outcome.error
        return this.#finish(outcome.response, label)
      }
      await this.#backoff(attempt, outcome, label)
    }
  }

  async #attempt(
    method: string,
    url: URL,
    request: HttpRequest,
    label: string,
  ): Promise<{ kind: 'response'; response: HttpResponse } | { kind: 'error'; error: AppError }> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers }
    let body: string | undefined
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(request.json)
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(request.form).toString()
    }
    this.#requestCount++
    try {
      const answer = await fetch(url, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
      const text = await answer.text()
      return {
        kind: 'response',
        response: {
          status: answer.status,
          headers: answer.headers,
          body: this.#parse(text, answer, label),
        },
      }
    } catch (error) {
      if (error instanceof AppError) return { kind: 'error', error }
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
      const message = timedOut
        ? `${this.vendor} did not answer ${label} within ${this.#timeoutMs / 1000} s.`
        : `Could not reach ${this.vendor} at ${url.origin} (${(error as Error).message}).`
      return {
        kind: 'error',
        error: new AppError(
          timedOut ? 'timeout' : 'upstream_failed',
          message,
          {},
          { cause: error },
        ),
      }
    }
  }

  #parse(text: string, answer: Response, label: string): unknown {
    if (text.length === 0) return null
    const type = answer.headers.get('content-type') ?? ''
    if (!type.includes('json') && !answer.ok) return text
    try {
      return JSON.parse(text)
    } catch {
      if (!answer.ok) return text
      throw new AppError(
        'invalid_response',
        `${this.vendor} returned malformed JSON for ${label} (HTTP ${answer.status}).`,
      )
    }
  }

  #finish(response: HttpResponse, label: string): HttpResponse {
    if (response.status >= 200 && response.status < 300) return response
    throw new HttpStatusError(this.vendor, label, response.status, response.body)
  }

  async #backoff(
    attempt: number,
    outcome: { kind: 'response'; response: HttpResponse } | { kind: 'error'; error: AppError },
    label: string,
  ): Promise<void> {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** attempt)
    let delay = Math.random() * ceiling
    let reason: string
    if (outcome.kind === 'response') {
      reason = `HTTP ${outcome.response.status}`
      const retryAfter = parseRetryAfter(outcome.response.headers.get('retry-after'))
      if (retryAfter !== undefined) {
        if (retryAfter > this.#maxDelayMs) {
          throw new AppError(
            'rate_limited',
            `${this.vendor} asked to wait ${Math.ceil(retryAfter / 1000)} s before retrying ` +
              `${label}; try again later.`,
          )
        }
        delay = retryAfter + Math.random() * Math.min(1000, this.#baseDelayMs)
      }
    } else {
      reason = outcome.error.message
    }
    this.#logger.warn(
      {
        vendor: this.vendor,
        request: label,
        attempt: attempt + 1,
        delayMs: Math.round(delay),
        reason,
      },
      'retrying request',
    )
    await sleep(delay)
  }
}
