import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { MIN_PASSWORD_LENGTH, normalizeEmail } from '../../store/users.ts'
import { clearSessionCookie, requireSession, setSessionCookie } from '../auth.ts'
import { ApiError } from '../errors.ts'
import { noContent, type RouteOptions, withErrors } from '../schemas.ts'

/** Shortest password accepted for a new user. */

/** Sign-in attempts allowed per client address and email in one window. */
export const LOGIN_ATTEMPTS = 5

/** Sign-in attempts allowed per client address, over all emails, in one window. */
export const LOGIN_ATTEMPTS_PER_ADDRESS = 30

const LOGIN_WINDOW_MS = 5 * 60 * 1000

const userSchema = z.object({ id: z.number(), email: z.string() })

const signedInSchema = z.object({ user: userSchema, csrfToken: z.string() })

const sessionSchema = z.object({
  user: userSchema.nullable(),
  csrfToken: z.string().nullable(),
  setupRequired: z.boolean(),
})

const email = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ error: 'must be an email address' }))

const loginBody = z.object({ email, password: z.string().min(1).max(1024) })

const setupBody = z.object({
  email,
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, { error: `use at least ${MIN_PASSWORD_LENGTH} characters` })
    .max(1024)
    .refine((password) => password.trim().length >= MIN_PASSWORD_LENGTH, {
      error: `use at least ${MIN_PASSWORD_LENGTH} characters that are not spaces`,
    }),
})

/**
 * Counts failed sign-ins per key within a time window, in this process's memory.
 * NOTE: several web processes would each keep their own counts.
 */
export class FailureCounter {
  readonly #max: number
  readonly #windowMs: number
  readonly #failures = new Map<string, { count: number; firstAt: number }>()

  constructor(max: number, windowMs: number) {
    this.#max = max
    this.#windowMs = windowMs
  }

  add(key: string, now = Date.now()): void {
    const entry = this.#failures.get(key)
    if (!entry || now - entry.firstAt >= this.#windowMs) {
      this.#failures.set(key, { count: 1, firstAt: now })
      return
    }
    entry.count += 1
  }

  clear(key: string): void {
    this.#failures.delete(key)
  }

  /** Returns the milliseconds until `key` may try again, or 0 when it may try now. */
  blockedFor(key: string, now = Date.now()): number {
    const entry = this.#failures.get(key)
    if (!entry) return 0
    const remaining = entry.firstAt + this.#windowMs - now
    if (remaining <= 0) {
      this.#failures.delete(key)
      return 0
    }
    return entry.count >= this.#max ? remaining : 0
  }
}

/** Builds the 429 error of the sign-in limits. */
export function tooManyAttempts(retryAfterMs: number): ApiError {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000))
  return new ApiError(
    429,
    'rate_limited',
    `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  )
}

function loginKey(request: FastifyRequest): string {
  const body = request.body as { email?: unknown } | undefined
  const address = typeof body?.email === 'string' ? normalizeEmail(body.email) : ''
  return `${request.ip}|${address}`
}

/** Registers session, setup, sign-in and sign-out routes. */
export const authRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  const { users, secureCookies } = deps
  // Each attempt costs an argon2 verification (64 MiB), so one address may not try many emails.
  const perAddress = app.createRateLimit({
    max: LOGIN_ATTEMPTS_PER_ADDRESS,
    timeWindow: LOGIN_WINDOW_MS,
    keyGenerator: (request) => request.ip,
  })
  // Only wrong passwords count per email, so a user who signs in often is never locked out.
  const failures = new FailureCounter(LOGIN_ATTEMPTS, LOGIN_WINDOW_MS)
  const limitFailures = async (request: FastifyRequest, reply: FastifyReply) => {
    const waitMs = failures.blockedFor(loginKey(request))
    if (waitMs > 0) {
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)))
      throw tooManyAttempts(waitMs)
    }
  }
  const limitAddress = async (request: FastifyRequest) => {
    const limit = await perAddress(request)
    if (!limit.isAllowed && limit.isExceeded) throw tooManyAttempts(limit.ttl)
  }

  app.get(
    '/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Current user, CSRF token and whether setup is required',
        response: withErrors({ 200: sessionSchema }),
      },
    },
    async (request) => ({
      user: request.userSession?.user ?? null,
      csrfToken: request.userSession?.csrfToken ?? null,
      setupRequired: (await users.count()) === 0,
    }),
  )

  app.post(
    '/auth/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create the first user and sign in',
        body: setupBody,
        response: withErrors({ 200: signedInSchema }),
      },
    },
    async (request, reply) => {
      const user = await users.createFirst(request.body.email, request.body.password)
      request.log.info({ userId: user.id }, 'first user created')
      const session = await users.createSession(user)
      setSessionCookie(request, reply, session.token, secureCookies)
      return { user, csrfToken: session.csrfToken }
    },
  )

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: loginBody,
        response: withErrors({ 200: signedInSchema }),
      },
      // preHandler, not onRequest, because the per-email key needs the parsed body.
      preHandler: [limitAddress, limitFailures],
    },
    async (request, reply) => {
      const user = await users.verifyPassword(request.body.email, request.body.password)
      if (!user) {
        failures.add(loginKey(request))
        request.log.info({ email: normalizeEmail(request.body.email) }, 'sign-in rejected')
        throw new ApiError(401, 'unauthorized', 'Wrong email or password.')
      }
      failures.clear(loginKey(request))
      // A new token on every sign-in, so that a token planted before sign-in is worthless.
      if (request.sessionToken) await users.deleteSession(request.sessionToken)
      await users.deleteExpiredSessions()
      const session = await users.createSession(user)
      setSessionCookie(request, reply, session.token, secureCookies)
      request.log.info({ userId: user.id }, 'signed in')
      return { user, csrfToken: session.csrfToken }
    },
  )

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out and delete the session',
        response: withErrors({ 204: noContent }),
      },
    },
    async (request, reply) => {
      requireSession(request)
      if (request.sessionToken) await users.deleteSession(request.sessionToken)
      clearSessionCookie(request, reply, secureCookies)
      return reply.code(204).send(null)
    },
  )
}
