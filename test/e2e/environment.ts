/**
 * The end-to-end environment: the web UI built once into a temporary folder, the real server
 * on a fresh SQLite store, the NinjaOne fake and one PSA fake, and a headless Chromium.
 * Everything listens on 127.0.0.1, and the browser may reach no other host.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type Browser, type BrowserContext, chromium } from 'playwright-core'
import { type DemoFakes, startDemoFakes } from '../../fakes/demo-world.ts'
import { silentLogger } from '../../src/log.ts'
import type { PsaKind } from '../../src/psa/types.ts'
import { buildServer, type Server } from '../../src/server/app.ts'
import { openSqliteStore, type TestStore } from '../stores.ts'

/** Where Debian installs Chromium; the suite is skipped when it is absent. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Any host name but the loopback address fails to resolve inside the browser.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
]

const repositoryRoot = new URL('../../', import.meta.url).pathname

/** Builds the web UI with Vite into a new temporary folder and returns that folder. */
export async function buildWebApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'msp-recon-web-'))
  await promisify(execFile)(
    process.execPath,
    [
      join(repositoryRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(repositoryRoot, 'web/vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: repositoryRoot, env: { ...process.env, NODE_ENV: 'production' } },
  )
  if (!existsSync(join(outDir, 'index.html'))) {
    throw new Error(`vite build wrote no index.html into ${outDir}`)
  }
  return outDir
}

/** A running server, its fakes and a browser context limited to 127.0.0.1. */
export interface Environment {
  baseUrl: string
  fakes: DemoFakes
  server: Server
  browser: Browser
  context: BrowserContext
  close(): Promise<void>
}

/** World size: small enough for a quick sync, large enough for near-miss names. */
const WORLD = { seed: 20_260_101, devices: 600, organizations: 14 }

async function startServer(store: TestStore, webDist: string): Promise<Server> {
  const server = await buildServer({
    store: store.store,
    logger: silentLogger,
    webDist,
    http: { timeoutMs: 5000, maxRetries: 1, baseDelayMs: 1 },
  })
  await server.listen({ host: '127.0.0.1', port: 0 })
  return server
}

async function openBrowser(baseUrl: string) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    baseURL: baseUrl,
  })
  await context.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  )
  return { browser, context }
}

/** Starts the fakes (ConnectWise PSA unless `psa` names another), the server and Chromium. */
export async function startEnvironment(
  webDist: string,
  psa: PsaKind = 'connectwise',
): Promise<Environment> {
  const fakes = await startDemoFakes({ ...WORLD, psa })
  const store = await openSqliteStore()
  const server = await startServer(store, webDist)
  const { port } = server.server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}`
  const { browser, context } = await openBrowser(baseUrl)
  return {
    baseUrl,
    fakes,
    server,
    browser,
    context,
    async close() {
      await browser.close()
      await server.close()
      await store.cleanup()
      await fakes.close()
      rmSync(webDist, { recursive: true, force: true })
    },
  }
}
