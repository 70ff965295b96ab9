/** Machine-readable error codes shared by the CLI, the REST API and the adapters. */
export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'auth_failed'
  | 'host_not_allowed'
  | 'invalid_response'
  | 'upstream_failed'
  | 'rate_limited'
  | 'timeout'
  | 'not_connected'
  | 'sync_failed'
  | 'internal'

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  auth_failed: 422,
  host_not_allowed: 400,
  invalid_response: 502,
  upstream_failed: 502,
  rate_limited: 503,
  timeout: 504,
  not_connected: 409,
  sync_failed: 502,
  internal: 500,
}

/**
 * An error whose message is safe to show a user: it names what was wrong and what to do.
 * Messages never contain secrets; `details` carries structured context for logs and JSON.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: Record<string, unknown>

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'AppError'
    this.code = code
    this.details = details
  }

  /** HTTP status the REST API returns for this error. */
  get httpStatus(): number {
    return HTTP_STATUS[this.code]
  }
}

/** Returns true when `error` is an {@link AppError}, optionally of one code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code)
}
