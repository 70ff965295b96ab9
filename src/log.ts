import { type DestinationStream, type Logger, pino } from 'pino'

/** Field paths pino replaces with `[redacted]` wherever a log object carries them. */
export const REDACTED_PATHS = [
  'secret',
  'clientSecret',
  'privateKey',
  'password',
  'token',
  'accessToken',
  'authorization',
  '*.secret',
  '*.clientSecret',
  '*.privateKey',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.authorization',
  'headers.Authorization',
  'headers.Secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
]

export type { Logger }

/** Creates the structured logger; secrets are redacted by path, whatever the caller logs. */
export function createLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  const level = options.level ?? process.env.MSP_RECON_LOG_LEVEL ?? 'info'
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'msp-recon' } },
    options.destination,
  )
}

/** A logger that writes nothing, for library callers and tests that do not read logs. */
export const silentLogger: Logger = pino({ level: 'silent' })
