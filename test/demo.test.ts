import { afterAll, describe, expect, it } from 'vitest'
import { setUpDemo } from '../src/demo/run-demo.ts'
import { serveDemo } from '../src/demo/serve-demo.ts'
import { runCli } from './cli.ts'
import { makeDataDir } from './stores.ts'

describe('demo command', () => {
  it('prints a reconciliation and an approval', { timeout: 120_000 }, async () => {
    const run = await runCli(['demo', '--devices', '800', '--organizations', '25'], {
      ...makeDataDir().env,
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Synced 800 devices in 25 organizations')
    expect(run.stdout).toMatch(/Under-billed: \$[\d,.]+\/month on \d+ lines/)
    expect(run.stdout).toMatch(/Over-billed: \$[\d,.]+\/month/)
    expect(run.stdout).toMatch(/Approved \S+ .*: written, quantity \d+ → \d+; the PSA now holds/)
    expect(run.stdout).not.toContain('Web app:')
  })
})

describe('demo web app', () => {
  const cleanups: (() => Promise<void>)[] = []

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })

  it('serves a signed-in demo user', async () => {
    const { dataDir } = makeDataDir()
    const demo = await setUpDemo({ psa: 'connectwise', devices: 300, organizations: 10, dataDir })
    cleanups.push(demo.close)
    const web = await serveDemo(demo.ctx, '/nonexistent-web-dist', 0)
    cleanups.push(web.stop)

    const login = await fetch(`${web.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: web.email, password: web.password }),
    })
    expect(login.status).toBe(200)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const status = await fetch(`${web.url}/api/status`, { headers: { cookie } })
    const body = (await status.json()) as { integrations: { vendor: string; status: string }[] }
    const ninja = body.integrations.find((entry) => entry.vendor === 'ninjaone')
    expect(ninja?.status).toBe('connected')
  })
})
