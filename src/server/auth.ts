import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SESSION_TTL_MS, type Session, type UserRepository } from '../store/users.ts'
import { ApiError } from './errors.ts'
import { isApiPath } from './web-app.ts'

/** Name of the session cookie. Its value is a random token, stored server-side as SHA-256. */
export const SESSION_COOKIE = 'msp_session'

/** Header that carries the session's CSRF token on state-changing requests. */
export const CSRF_HEADER = 'x-csrf-token'

/** Routes reachable without a session, as `METHOD /path`. Every other API route needs one. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/auth/session',
  'POST /api/auth/login',
  'POST /api/auth/setup',
  'GET /api/openapi.json',
])

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session, or null; set for every request before routing. */
    userSession: Session | null
    /** The cookie token of `userSession`, for sign-out. */
    sessionToken: string | null
  }
}

/** Settings of the session hook. */
export interface AuthOptions {
  users: UserRepository
  /** Marks the cookie Secure even on plain HTTP, for servers behind a TLS proxy. */
  secureCookies: boolean
}

/**
 * Decides whether a request needs a session. Unmatched URLs and web app routes are checked by
 * their path, so that an unknown `/api/...` URL gets a 401 and reveals no route names.
 */
function needsSession(request: FastifyRequest): boolean {
  const route = request.routeOptions.url
  if (route?.startsWith('/api')) return !PUBLIC_ROUTES.has(`${request.method} ${route}`)
  return isApiPath(request.url)
}

/** Compares two tokens in constant time, whatever their lengths. */
export function tokensEqual(actual: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(actual), digest(expected))
}

function checkCsrf(request: FastifyRequest, session: Session): void {
  const header = request.headers[CSRF_HEADER]
  const sentToken = typeof header === 'string' ? header : ''
  if (sentToken === '' || !tokensEqual(sentToken, session.csrfToken)) {
    throw new ApiError(
      403,
      'csrf',
      `Missing or wrong ${CSRF_HEADER} header. Send the csrfToken from GET /api/auth/session.`,
    )
  }
}

async function loadSession(request: FastifyRequest, users: UserRepository): Promise<void> {
  const token = request.cookies[SESSION_COOKIE]
  if (!token) return
  const session = await users.findSession(token)
  if (!session) return
  request.userSession = session
  request.sessionToken = token
}

/**
 * Installs the session check as an onRequest hook, which runs before body parsing, so that
 * no body is parsed or validated for a caller without a session. Deny by default: only
 * PUBLIC_ROUTES and the web app pass without one. Requests that carry a session must send
 * its CSRF token on POST, PUT, PATCH and DELETE. Sign-in and setup without a session need
 * no CSRF token, because they accept only `application/json`, which a cross-site form
 * cannot send.
 */
export function installSessionHook(app: FastifyInstance, options: AuthOptions): void {
  app.decorateRequest('userSession', null)
  app.decorateRequest('sessionToken', null)
  app.addHook('onRequest', async (request) => {
    await loadSession(request, options.users)
    const session = request.userSession
    if (!session) {
      if (needsSession(request)) throw new ApiError(401, 'unauthorized', 'Sign in first.')
      return
    }
    if (STATE_CHANGING.has(request.method)) checkCsrf(request, session)
  })
}

/** Returns the signed-in session of a protected route's request. */
export function requireSession(request: FastifyRequest): Session {
  if (!request.userSession) throw new ApiError(401, 'unauthorized', 'Sign in first.')
  return request.userSession
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure behind TLS. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  secureCookies: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secureCookies || request.protocol === 'https',
    maxAge: SESSION_TTL_MS / 1000,
  })
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  secureCookies: boolean,
): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secureCookies || request.protocol === 'https',
  })
}
