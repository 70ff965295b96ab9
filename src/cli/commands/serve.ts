import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { z } from 'zod'
import type { AppContext } from '../../app/context.ts'
import { AppError } from '../../errors.ts'
import { WEB_DIST } from '../../paths.ts'
import { resolveDataDir } from '../../store/database.ts'
import { MIN_PASSWORD_LENGTH, UserRepository } from '../../store/users.ts'
import { type CliIo, readSecret } from '../io.ts'
import { parseId, withContext } from '../runtime.ts'

/** Options of `serve`, as parsed from the command line. */
export interface ServeOptions {
  port: number
  host: string
  secureCookies: boolean
  webDist: string
}

interface ServeFlags {
  port: string
  host: string
  secureCookies?: boolean
}

function parsePort(raw: string): number {
  const port = parseId(raw, '--port')
  if (port > 65_535) {
    throw new AppError('bad_request', `Invalid --port "${raw}": use a number from 1 to 65535.`)
  }
  return port
}

/**
 * Serves the API and web app until `stopped` resolves, then closes the server after the
 * running sync ends. `onListening` receives the URL once the server accepts connections.
 */
export async function serveUntil(
  io: CliIo,
  options: ServeOptions,
  stopped: Promise<unknown>,
  onListening: (url: string) => void = () => {},
): Promise<void> {
  // Loaded on use, so other commands start without Fastify and its plugins.
  const { buildServer } = await import('../../server/app.ts')
  await withContext(io, async (ctx: AppContext) => {
    const app = await buildServer({
      store: ctx.store,
      logger: ctx.logger,
      webDist: options.webDist,
      secureCookies: options.secureCookies,
    })
    await app.listen({ port: options.port, host: options.host })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : options.port
    const host = options.host.includes(':') ? `[${options.host}]` : options.host
    const url = `http://${host}:${port}`
    io.stdout.write(`msp-recon serves ${url}\n`)
    io.stdout.write(`Logs: ${join(resolveDataDir(io.env), 'msp-recon.log')}\n`)
    if (existsSync(join(options.webDist, 'index.html'))) {
      io.stdout.write(`Web app: ${options.webDist}\n`)
    } else {
      io.stdout.write(`No web app build at ${options.webDist}; serving the API only.\n`)
    }
    onListening(url)
    await stopped
    io.stdout.write('Stopping: waiting for a running sync to finish…\n')
    await app.close()
  })
}

/** Resolves with the signal name on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(signal)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

const emailSchema = z.email()

/** Checks an email and a new password, and throws `bad_request` saying what to fix. */
export function checkNewUser(email: string, password: string): void {
  if (!emailSchema.safeParse(email.trim()).success) {
    throw new AppError('bad_request', `Invalid email "${email}": expected name@domain.`)
  }
  if (password.trim().length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'bad_request',
      `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters that are not ` +
        'spaces.',
    )
  }
}

/** Registers `serve` and `user add`. */
export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('Serve the REST API and the web app until stopped with Ctrl-C')
    .option('--port <port>', 'TCP port to listen on', '8080')
    .option('--host <host>', 'address to listen on; keep 127.0.0.1 behind a proxy', '127.0.0.1')
    .option('--secure-cookies', 'mark the session cookie Secure (when a proxy terminates TLS)')
    .action(async (flags: ServeFlags) => {
      const options = {
        port: parsePort(flags.port),
        host: flags.host,
        secureCookies: flags.secureCookies ?? false,
        webDist: WEB_DIST,
      }
      await serveUntil(io, options, untilSignal())
    })

  const user = program.command('user').description('Manage who can sign in to the web app')
  user
    .command('add')
    .description('Add a user; the password is read from standard input, never from arguments')
    .argument('<email>', 'email address to sign in with')
    .action(async (email: string) => {
      const password = await readSecret(io, 'Password')
      checkNewUser(email, password)
      const added = await withContext(io, (ctx) =>
        new UserRepository(ctx.store.db, ctx.store.dialect).create(email, password),
      )
      io.stdout.write(`Added user ${added.email}. Sign in with this email in the web app.\n`)
    })
}
