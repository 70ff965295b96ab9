import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { type RouteOptions, withErrors } from '../schemas.ts'

const PHASES = [
  'organizations',
  'roles',
  'devices',
  'companies',
  'products',
  'lines',
  'saving',
] as const

const currentSchema = z.object({
  running: z.boolean(),
  runId: z.number().nullable(),
  phase: z.enum(PHASES).nullable(),
  done: z.number(),
})

const runSchema = z.object({
  id: z.number(),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  deviceCount: z.number(),
  organizationCount: z.number(),
  lineCount: z.number(),
  vendorRequests: z.number(),
  psaRequests: z.number(),
})

const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(20) })

/** Registers the sync start, progress and history routes. */
export const syncRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  const tags = ['sync']

  app.post(
    '/sync',
    {
      schema: {
        tags,
        summary: 'Start a sync in the background',
        response: withErrors({ 202: z.object({ runId: z.number() }) }),
      },
    },
    async (request, reply) => {
      const started = await deps.runner.start(deps.contextFor(request))
      return reply.code(202).send(started)
    },
  )

  app.get(
    '/sync/current',
    {
      schema: {
        tags,
        summary: 'Progress of the running or last sync',
        response: withErrors({ 200: currentSchema }),
      },
    },
    () => deps.runner.current(),
  )

  app.get(
    '/sync/runs',
    {
      schema: {
        tags,
        summary: 'Sync runs, newest first',
        querystring: runsQuery,
        response: withErrors({ 200: z.array(runSchema) }),
      },
    },
    (request) => deps.store.snapshots.listRuns(request.query.limit),
  )
}
