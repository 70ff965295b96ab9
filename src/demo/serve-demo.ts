import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { AppContext } from '../app/context.ts'
import { PROJECT_ROOT } from '../paths.ts'
import { buildServer } from '../server/app.ts'
import { UserRepository } from '../store/users.ts'

export const DEMO_EMAIL = 'demo@msp-recon.example'

/** Builds the web app with Vite unless a build exists already. */
export async function ensureWebBuild(webDist: string, say: (line: string) => void) {
  if (existsSync(join(webDist, 'index.html'))) return
  say('Building the web app (first run only)…')
  // Vite is a development dependency: present after `npm install`, loaded only here.
  const { build } = await import('vite')
  await build({ configFile: join(PROJECT_ROOT, 'web/vite.config.ts'), logLevel: 'warn' })
}

/**
 * Serves the demo store's web app on 127.0.0.1 with a new demo user, and returns the URL,
 * the user's credentials and a function that stops the server.
 */
export async function serveDemo(ctx: AppContext, webDist: string, port: number) {
  const password = randomBytes(12).toString('base64url')
  await new UserRepository(ctx.store.db, ctx.store.dialect).create(DEMO_EMAIL, password)
  const app = await buildServer({ store: ctx.store, logger: ctx.logger, webDist })
  try {
    await app.listen({ host: '127.0.0.1', port })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    await app.listen({ host: '127.0.0.1', port: 0 })
  }
  const address = app.server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  return {
    url: `http://127.0.0.1:${actualPort}`,
    email: DEMO_EMAIL,
    password,
    stop: () => app.close(),
  }
}
