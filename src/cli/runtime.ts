import { userInfo } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { type AppContext, createContext, httpSettingsFromEnv } from '../app/context.ts'
import { AppError } from '../errors.ts'
import { createLogger } from '../log.ts'
import { resolveDataDir } from '../store/database.ts'
import { Store } from '../store/store.ts'
import type { CliIo } from './io.ts'

/** Operator-facing log of CLI runs: JSON lines in `msp-recon.log` in the data folder. */
function cliLogger(dataDir: string, env: NodeJS.ProcessEnv) {
  const destination = pino.destination({
    dest: join(dataDir, 'msp-recon.log'),
    mkdir: true,
    sync: true,
    mode: 0o600,
  })
  return createLogger({ level: env.MSP_RECON_LOG_LEVEL ?? 'info', destination })
}

/** Opens the store, runs `action` with an application context, and always closes the store. */
export async function withContext<T>(
  io: CliIo,
  action: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  const dataDir = resolveDataDir(io.env)
  const store = await Store.open({ dataDir }, io.env)
  try {
    let user = 'unknown'
    try {
      user = userInfo().username
    } catch {
      // Some containers run as a uid without a passwd entry, so the audit log records `unknown`.
    }
    const ctx = createContext(store, {
      logger: cliLogger(dataDir, io.env),
      http: httpSettingsFromEnv(io.env),
      actor: `cli:${user}`,
    })
    return await action(ctx)
  } finally {
    await store.close()
  }
}

/** Parses a positive integer id given on the command line. */
export function parseId(raw: string, flag: string): number {
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new AppError('bad_request', `Invalid ${flag} "${raw}": expected a positive whole number.`)
  }
  return value
}

/** Checks an option value against the values a command offers, naming the option on error. */
export function parseChoice<T extends string>(
  raw: string,
  allowed: readonly T[],
  option = '--format',
): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new AppError(
      'bad_request',
      `Invalid ${option} "${raw}". Use one of: ${allowed.join(', ')}.`,
    )
  }
  return raw as T
}
