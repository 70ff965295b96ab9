import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { LOGIN_ATTEMPTS, LOGIN_ATTEMPTS_PER_ADDRESS } from './routes/auth.ts'
import {
  ADMIN,
  injectAs,
  sessionCookieOf,
  signUp,
  startTestServer,
  type TestServer,
} from './testing.ts'

let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  server = await startTestServer(options)
  return server
}

function login(app: TestServer['app'], email: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
}

describe('first-user setup', () => {
  it('reports setup required before any user', async () => {
    const { app } = await start()
    const response = await app.inject({ method: 'GET', url: '/api/auth/session' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ user: null, csrfToken: null, setupRequired: true })
  })

  it('creates the first user only', async () => {
    const { app } = await start()
    const browser = await signUp(app)

    const session = await injectAs(app, browser, { method: 'GET', url: '/api/auth/session' })
    expect(session.json()).toMatchObject({
      user: { email: ADMIN.email },
      csrfToken: browser.csrfToken,
      setupRequired: false,
    })

    const second = await app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { email: 'intruder@example.com', password: 'another long password' },
    })
    expect(second.statusCode).toBe(409)
    expect(second.json().error.code).toBe('conflict')
    expect(await login(app, 'intruder@example.com', 'another long password')).toMatchObject({
      statusCode: 401,
    })
  })

  it('rejects a short setup password', async () => {
    const { app } = await start()
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { email: ADMIN.email, password: 'short' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.field).toBe('password')
    expect(response.json().error.message).toContain('at least 12 characters')
  })
})

describe('sign-in', () => {
  it('sets an HttpOnly SameSite=Lax cookie', async () => {
    const { app } = await start()
    await signUp(app)
    const response = await login(app, ADMIN.email, ADMIN.password)
    expect(response.statusCode).toBe(200)
    const header = String(response.headers['set-cookie'])
    expect(header).toMatch(/^msp_session=[\w-]{40,};/)
    expect(header).toContain('HttpOnly')
    expect(header).toContain('SameSite=Lax')
    expect(header).toContain('Path=/')
    expect(header).not.toContain('Secure')
    expect(response.json().user.email).toBe(ADMIN.email)
    expect(response.json().csrfToken).toMatch(/^[\w-]{40,}$/)
  })

  it('marks the cookie Secure when configured', async () => {
    const { app } = await start({ secureCookies: true })
    await signUp(app)
    const response = await login(app, ADMIN.email, ADMIN.password)
    expect(String(response.headers['set-cookie'])).toContain('Secure')
    expect(response.headers['strict-transport-security']).toContain('max-age=')
  })

  it('ignores email case and spaces', async () => {
    const { app } = await start()
    await signUp(app)
    const response = await login(app, '  Admin@Example.COM ', ADMIN.password)
    expect(response.statusCode).toBe(200)
  })

  it('rejects a wrong password', async () => {
    const { app } = await start()
    await signUp(app)
    const response = await login(app, ADMIN.email, 'not the password')
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({
      error: { code: 'unauthorized', message: 'Wrong email or password.' },
    })
    expect(sessionCookieOf(response)).toBeUndefined()
  })

  it('rate limits repeated wrong passwords', async () => {
    const { app } = await start()
    await signUp(app)
    for (let attempt = 1; attempt <= LOGIN_ATTEMPTS; attempt++) {
      expect((await login(app, ADMIN.email, `wrong ${attempt}`)).statusCode).toBe(401)
    }
    const limited = await login(app, ADMIN.email, ADMIN.password)
    expect(limited.statusCode).toBe(429)
    expect(limited.json().error.code).toBe('rate_limited')
    expect(limited.json().error.message).toMatch(/Try again in \d+ minutes?/)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)

    const otherEmail = await login(app, 'someone@example.com', 'whatever it is')
    expect(otherEmail.statusCode).toBe(401)
  })

  it('does not count successful sign-ins', async () => {
    const { app } = await start()
    await signUp(app)
    expect((await login(app, ADMIN.email, 'wrong once')).statusCode).toBe(401)
    for (let attempt = 1; attempt <= LOGIN_ATTEMPTS + 1; attempt++) {
      expect((await login(app, ADMIN.email, ADMIN.password)).statusCode).toBe(200)
    }
  })

  it('rate limits one address over emails', async () => {
    const { app } = await start()
    const attempts = Array.from({ length: LOGIN_ATTEMPTS_PER_ADDRESS }, (_, index) =>
      login(app, `user${index}@example.com`, 'not a real password'),
    )
    for (const response of await Promise.all(attempts)) expect(response.statusCode).toBe(401)
    const limited = await login(app, 'another@example.com', 'not a real password')
    expect(limited.statusCode).toBe(429)
    expect(limited.json().error.message).toBe('Too many sign-in attempts. Try again in 5 minutes.')
  })

  it('stores only hashes of tokens and passwords', async () => {
    const { app, handle } = await start()
    const browser = await signUp(app)
    const token = browser.cookie.split('=')[1]!
    const sessions = await handle.store.db.selectFrom('sessions').selectAll().execute()
    expect(sessions).toHaveLength(1)
    expect(sessions[0]!.id).toBe(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(sessions)).not.toContain(token)
    const expiresIn = Date.parse(sessions[0]!.expires_at) - Date.now()
    expect(expiresIn).toBeGreaterThan(11.9 * 3600_000)
    expect(expiresIn).toBeLessThanOrEqual(12 * 3600_000)

    const users = await handle.store.db.selectFrom('users').selectAll().execute()
    expect(users[0]!.password_hash).toMatch(/^\$argon2id\$/)
    expect(users[0]!.password_hash).not.toContain(ADMIN.password)
  })

  it('replaces the session on sign-in', async () => {
    const { app } = await start()
    const first = await signUp(app)
    const response = await injectAs(app, first, {
      method: 'POST',
      url: '/api/auth/login',
      payload: ADMIN,
    })
    expect(response.statusCode).toBe(200)
    expect(`msp_session=${sessionCookieOf(response)}`).not.toBe(first.cookie)
    const old = await injectAs(app, first, { method: 'GET', url: '/api/status' })
    expect(old.statusCode).toBe(401)
  })
})

describe('sessions', () => {
  it('logout deletes the session', async () => {
    const { app, handle } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, { method: 'POST', url: '/api/auth/logout' })
    expect(response.statusCode).toBe(204)
    expect(String(response.headers['set-cookie'])).toMatch(/^msp_session=;/)
    expect(await handle.store.db.selectFrom('sessions').selectAll().execute()).toEqual([])
    const after = await injectAs(app, browser, { method: 'GET', url: '/api/status' })
    expect(after.statusCode).toBe(401)
  })

  it('rejects an expired session', async () => {
    const { app, handle } = await start()
    const browser = await signUp(app)
    await handle.store.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute()
    const response = await injectAs(app, browser, { method: 'GET', url: '/api/status' })
    expect(response.statusCode).toBe(401)
    const session = await injectAs(app, browser, { method: 'GET', url: '/api/auth/session' })
    expect(session.json().user).toBeNull()
  })

  it('rejects an unknown session token', async () => {
    const { app } = await start()
    await signUp(app)
    const response = await app.inject({
      method: 'GET',
      url: '/api/status',
      headers: { cookie: 'msp_session=forged-token-value' },
    })
    expect(response.statusCode).toBe(401)
  })
})

describe('CSRF protection', () => {
  it('rejects a missing CSRF token', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await app.inject({
      method: 'POST',
      url: '/api/sync',
      headers: { cookie: browser.cookie },
    })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('csrf')
  })

  it('rejects a wrong CSRF token', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    for (const [method, url] of [
      ['POST', '/api/sync'],
      ['PUT', '/api/accounts/1'],
      ['DELETE', '/api/accounts/1'],
      ['POST', '/api/auth/logout'],
    ] as const) {
      const response = await injectAs(app, browser, {
        method,
        url,
        headers: { 'x-csrf-token': `${browser.csrfToken}x` },
      })
      expect(response.statusCode, `${method} ${url}`).toBe(403)
      expect(response.json().error.code).toBe('csrf')
    }
  })

  it('accepts the right CSRF token', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, { method: 'POST', url: '/api/sync' })
    expect(response.statusCode).toBe(409)
    expect(response.json().error.code).toBe('not_connected')
  })
})
