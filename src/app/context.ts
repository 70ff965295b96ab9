import type { Logger } from '../log.ts'
import { silentLogger } from '../log.ts'
import type { Store } from '../store/store.ts'

/** Retry and timeout settings for every vendor and PSA client. */
export interface HttpSettings {
  timeoutMs: number
  maxRetries: number
  baseDelayMs: number
}

/** The dependencies of every application operation: store, logger and HTTP settings. */
export interface AppContext {
  store: Store
  logger: Logger
  http: HttpSettings
  /** The actor recorded in the audit log: `cli:<user>` or a signed-in email. */
  actor: string
}

function positiveNumber(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`Invalid ${name} "${raw}": expected a number of 0 or more.`)
  }
  return value
}

/** Reads HTTP settings from `MSP_RECON_HTTP_TIMEOUT_MS`, `_RETRIES` and `_BACKOFF_MS`. */
export function httpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpSettings {
  return {
    timeoutMs: positiveNumber(env.MSP_RECON_HTTP_TIMEOUT_MS, 30_000, 'MSP_RECON_HTTP_TIMEOUT_MS'),
    maxRetries: positiveNumber(env.MSP_RECON_HTTP_RETRIES, 4, 'MSP_RECON_HTTP_RETRIES'),
    baseDelayMs: positiveNumber(env.MSP_RECON_HTTP_BACKOFF_MS, 500, 'MSP_RECON_HTTP_BACKOFF_MS'),
  }
}

/** Builds a context with defaults for the parts the caller leaves out. */
export function createContext(store: Store, parts: Partial<Omit<AppContext, 'store'>> = {}) {
  return {
    store,
    logger: parts.logger ?? silentLogger,
    http: parts.http ?? httpSettingsFromEnv(),
    actor: parts.actor ?? 'system',
  } satisfies AppContext
}
