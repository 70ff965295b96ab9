import { existsSync } from 'node:fs'
import { join, sep } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from './errors.ts'

/** Returns true for `/api` and every path under it, in any letter case. */
export function isApiPath(url: string): boolean {
  const path = (url.split('?')[0] ?? '').toLowerCase()
  return path === '/api' || path.startsWith('/api/')
}

/** Returns true when the last path segment has no file extension, like client-side routes. */
function looksLikeAppRoute(path: string): boolean {
  const last = path.split('/').pop() ?? ''
  return !last.includes('.')
}

function setCacheHeaders(reply: { setHeader(name: string, value: string): unknown }, path: string) {
  // Vite puts content-hashed files under assets/, so they never change under one name.
  const hashed = path.includes(`${sep}assets${sep}`)
  reply.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
}

/**
 * Serves the built web app from `webDist` when that folder exists: its files, and index.html
 * for any other GET outside `/api` so that client-side routes survive a reload. Every other
 * unmatched request gets a JSON 404. Returns whether the web app is served.
 */
export async function installWebApp(app: FastifyInstance, webDist?: string): Promise<boolean> {
  const served = webDist !== undefined && existsSync(join(webDist, 'index.html'))
  if (served) {
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      cacheControl: false,
      setHeaders: setCacheHeaders,
    })
  }
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/'
    const isPageRequest = request.method === 'GET' || request.method === 'HEAD'
    if (served && isPageRequest && !isApiPath(path) && looksLikeAppRoute(path)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    const shortPath = path.length > 200 ? `${path.slice(0, 200)}…` : path
    return reply
      .code(404)
      .send(errorBody('not_found', `No route for ${request.method} ${shortPath}.`))
  })
  return served
}
