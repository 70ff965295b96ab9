/** Helpers for server tests: a server on a real SQLite store, signed-in requests, log capture. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { openSqliteStore, type TestStore } from '../../test/stores.ts'
import { createLogger, type Logger } from '../log.ts'
import { buildServer, type Server, type ServerOptions } from './app.ts'
import { CSRF_HEADER, SESSION_COOKIE } from './auth.ts'

/** Email and password of the user every test signs up first. */
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' }

/** Tiny retry delays and short timeouts, so that failing vendor calls end fast. */
export const TEST_HTTP = { timeoutMs: 5000, maxRetries: 1, baseDelayMs: 1 }

/** A server under test with its store and everything it logged. */
export interface TestServer {
  app: Server
  handle: TestStore
  logLines: string[]
  close(): Promise<void>
}

/** Creates a logger that appends every line to `lines`, to check that no secret is logged. */
export function capturingLogger(lines: string[]): Logger {
  return createLogger({
    level: 'debug',
    destination: {
      write(line: string) {
        lines.push(line)
      },
    },
  })
}

/** Builds a server on a fresh SQLite store. */
export async function startTestServer(
  options: Partial<Omit<ServerOptions, 'store' | 'logger'>> = {},
): Promise<TestServer> {
  const handle = await openSqliteStore()
  const logLines: string[] = []
  const app = await buildServer({
    store: handle.store,
    logger: capturingLogger(logLines),
    http: TEST_HTTP,
    ...options,
  })
  return {
    app,
    handle,
    logLines,
    async close() {
      await app.close()
      await handle.cleanup()
    },
  }
}

/** The cookie and CSRF token of a signed-in browser. */
export interface Browser {
  cookie: string
  csrfToken: string
}

/** Returns the `msp_session` value of a response's Set-Cookie header, if any. */
export function sessionCookieOf(response: LightMyRequestResponse): string | undefined {
  const cookie = response.cookies.find((candidate) => candidate.name === SESSION_COOKIE)
  return cookie?.value
}

/** Creates the first user through the setup route and returns the signed-in browser. */
export async function signUp(app: Server): Promise<Browser> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/setup', payload: ADMIN })
  if (response.statusCode !== 200) {
    throw new Error(`setup failed with HTTP ${response.statusCode}: ${response.body}`)
  }
  const token = sessionCookieOf(response)
  if (!token) throw new Error('setup set no session cookie')
  return { cookie: `${SESSION_COOKIE}=${token}`, csrfToken: response.json().csrfToken }
}

/** Sends a request as a signed-in browser: the session cookie and the CSRF token. */
export function injectAs(
  app: Server,
  browser: Browser,
  options: Omit<InjectOptions, 'headers'> & { headers?: Record<string, string> },
) {
  return app.inject({
    ...options,
    headers: { cookie: browser.cookie, [CSRF_HEADER]: browser.csrfToken, ...options.headers },
  })
}
