import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PUBLIC_ROUTES } from './auth.ts'
import { injectAs, signUp, startTestServer, type TestServer } from './testing.ts'

let server: TestServer | undefined
let webDist: string | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
  if (webDist) rmSync(webDist, { recursive: true, force: true })
  webDist = undefined
})

async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  server = await startTestServer(options)
  return server
}

/** Lists every route of the OpenAPI document as [METHOD, URL with sample ids, path]. */
async function documentedRoutes(app: TestServer['app']): Promise<[string, string, string][]> {
  const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
  const routes: [string, string, string][] = []
  for (const [path, operations] of Object.entries(document.paths as Record<string, object>)) {
    for (const method of Object.keys(operations)) {
      const url = path.replace('{kind}', 'ninjaone').replace(/\{\w+\}/g, '7')
      routes.push([method.toUpperCase(), url, path])
    }
  }
  return routes
}

const CONTRACT_ROUTES = [
  'GET /api/auth/session',
  'POST /api/auth/setup',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/status',
  'GET /api/integrations',
  'POST /api/integrations/ninjaone/connect',
  'POST /api/integrations/connectwise/connect',
  'POST /api/integrations/autotask/connect',
  'POST /api/integrations/halo/connect',
  'DELETE /api/integrations/{kind}',
  'POST /api/sync',
  'GET /api/sync/current',
  'GET /api/sync/runs',
  'GET /api/accounts',
  'POST /api/accounts/auto',
  'PUT /api/accounts/{organizationId}',
  'DELETE /api/accounts/{organizationId}',
  'GET /api/services',
  'PUT /api/services/mappings',
  'DELETE /api/services/mappings/{productId}',
  'GET /api/reconciliation',
  'POST /api/reconciliation/approve',
  'POST /api/reconciliation/dismiss',
  'GET /api/audit',
]

describe('route protection', () => {
  it('openapi.json lists every contract route', async () => {
    const { app } = await start()
    const routes = await documentedRoutes(app)
    const documented = routes.map(([method, , path]) => `${method} ${path}`)
    expect(documented.sort()).toEqual([...CONTRACT_ROUTES].sort())
  })

  it('answers 401 without a session', async () => {
    const { app } = await start()
    const protectedRoutes = (await documentedRoutes(app)).filter(
      ([method, , path]) => !PUBLIC_ROUTES.has(`${method} ${path}`),
    )
    expect(protectedRoutes.length).toBe(CONTRACT_ROUTES.length - 3)
    for (const [method, url] of protectedRoutes) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        payload: method === 'GET' ? undefined : { confirm: true, ids: ['1:devices'] },
      })
      expect(response.statusCode, `${method} ${url}`).toBe(401)
      expect(response.json()).toEqual({
        error: { code: 'unauthorized', message: 'Sign in first.' },
      })
    }
  })

  it('hides unknown API routes without a session', async () => {
    const { app } = await start()
    for (const url of ['/api/nothing-here', '/api', '/API/status', '/api/status/']) {
      const response = await app.inject({ method: 'GET', url })
      expect(response.statusCode, url).toBe(401)
    }
  })

  it('answers 404 for unknown API routes', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, { method: 'GET', url: '/api/nothing-here' })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('not_found')
  })
})

describe('request validation', () => {
  it('names the missing body field', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, {
      method: 'POST',
      url: '/api/integrations/ninjaone/connect',
      payload: { region: 'eu', clientId: 'abc' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: {
        code: 'validation',
        message: 'Missing field "clientSecret" in the request body.',
        field: 'clientSecret',
      },
    })
  })

  it('names an invalid path parameter', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, {
      method: 'PUT',
      url: '/api/accounts/not-a-number',
      payload: { companyId: 4 },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.field).toBe('organizationId')
    expect(response.json().error.message).toContain('in the URL path')
  })

  it('names an invalid enum value', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, {
      method: 'POST',
      url: '/api/integrations/ninjaone/connect',
      payload: { region: 'mars', clientId: 'abc', clientSecret: 'shh-value' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.field).toBe('region')
    expect(response.body).not.toContain('shh-value')
  })

  it('requires ids or all on approval', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, {
      method: 'POST',
      url: '/api/reconciliation/approve',
      payload: { dryRun: true },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.field).toBe('ids')
  })

  it('requires confirm on disconnect', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, {
      method: 'DELETE',
      url: '/api/integrations/ninjaone',
      payload: { confirm: false },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.field).toBe('confirm')
  })

  it('reports a missing body', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, {
      method: 'PUT',
      url: '/api/services/mappings',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toBe('Missing request body: send a JSON object.')
  })

  it('never echoes malformed JSON', async () => {
    const { app } = await start()
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@example.com", "password": "hunter2-secret',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toBe('The request body is not valid JSON.')
    expect(response.body).not.toContain('hunter2')
  })

  it('rejects bodies that are not JSON', async () => {
    const { app } = await start()
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: '{"email": "a@example.com", "password": "correct horse battery"}',
    })
    expect(response.statusCode).toBe(415)
    expect(response.json().error.code).toBe('bad_request')
  })

  it('accepts an empty JSON body on DELETE', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, {
      method: 'DELETE',
      url: '/api/accounts/5',
      headers: { 'content-type': 'application/json' },
    })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.message).toBe('NinjaOne organization 5 is not mapped.')
  })
})

describe('responses', () => {
  it('carry security headers', async () => {
    const { app } = await start()
    const response = await app.inject({ method: 'GET', url: '/api/auth/session' })
    const csp = String(response.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['x-frame-options']).toBe('DENY')
    expect(response.headers['referrer-policy']).toBe('no-referrer')
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('carry security headers on 401', async () => {
    const { app } = await start()
    const response = await app.inject({ method: 'GET', url: '/api/status' })
    expect(response.statusCode).toBe(401)
    expect(response.headers['content-security-policy']).toContain("default-src 'self'")
  })

  it('hide unexpected errors behind 500', async () => {
    const test = await start()
    const browser = await signUp(test.app)
    await test.handle.store.db.schema.dropTable('sessions').execute()
    const response = await injectAs(test.app, browser, { method: 'GET', url: '/api/status' })
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({ error: { code: 'internal', message: 'Internal error.' } })
    const requestId = String(response.headers['x-request-id'])
    const logged = test.logLines.find((line) => line.includes('unexpected error'))
    expect(logged).toContain(requestId)
    expect(logged).toContain('no such table: sessions')
  })

  it('lists integrations without secrets', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, { method: 'GET', url: '/api/integrations' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toHaveLength(4)
    expect(response.json()[0]).toEqual({
      kind: 'ninjaone',
      role: 'vendor',
      status: 'disconnected',
      statusReason: null,
      hasCredentials: false,
      settings: {},
    })
  })

  it('reports accounts missing before sync', async () => {
    const { app } = await start()
    const browser = await signUp(app)
    const response = await injectAs(app, browser, { method: 'GET', url: '/api/accounts' })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('not_found')
  })
})

describe('web app', () => {
  function buildWebDist(): string {
    webDist = mkdtempSync(join(tmpdir(), 'msp-recon-web-'))
    mkdirSync(join(webDist, 'assets'))
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>msp-recon</title>')
    writeFileSync(join(webDist, 'assets', 'app-1a2b.js'), 'console.log(1)')
    return webDist
  }

  it('serves files and falls back to index.html', async () => {
    const { app } = await start({ webDist: buildWebDist() })
    const root = await app.inject({ method: 'GET', url: '/' })
    expect(root.statusCode).toBe(200)
    expect(root.body).toContain('<title>msp-recon</title>')
    const route = await app.inject({ method: 'GET', url: '/mapping/accounts' })
    expect(route.statusCode).toBe(200)
    expect(route.body).toContain('<title>msp-recon</title>')
    expect(route.headers['cache-control']).toBe('no-cache')
    expect(route.headers['content-security-policy']).toContain("script-src 'self'")
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js' })
    expect(asset.statusCode).toBe(200)
    expect(asset.headers['cache-control']).toContain('immutable')
  })

  it('answers 404 for missing files', async () => {
    const { app } = await start({ webDist: buildWebDist() })
    const response = await app.inject({ method: 'GET', url: '/assets/missing.js' })
    expect(response.statusCode).toBe(404)
  })

  it('keeps API routes protected', async () => {
    const { app } = await start({ webDist: buildWebDist() })
    const response = await app.inject({ method: 'GET', url: '/api/unknown' })
    expect(response.statusCode).toBe(401)
    expect(response.json().error.code).toBe('unauthorized')
  })
})
