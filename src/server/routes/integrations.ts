import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app/context.ts'
import { connectNinjaOne, connectPsa, disconnect } from '../../app/integrations.ts'
import { getStatus } from '../../app/status.ts'
import { AppError } from '../../errors.ts'
import type { PsaKind } from '../../psa/types.ts'
import type { Integration, IntegrationKind } from '../../store/integrations.ts'
import { type RouteOptions, secret, text, withErrors } from '../schemas.ts'
import type { SyncRunner } from '../sync-runner.ts'

const KINDS = ['ninjaone', 'connectwise', 'autotask', 'halo'] as const
const STATUSES = ['pending', 'mapping', 'connected', 'error', 'disconnected'] as const

const integrationSchema = z.object({
  kind: z.enum(KINDS),
  role: z.enum(['vendor', 'psa']),
  status: z.enum(STATUSES),
  statusReason: z.string().nullable(),
  hasCredentials: z.boolean(),
  settings: z.record(z.string(), z.string()),
})

const statusSchema = z.object({
  integrations: z.array(
    z.object({
      vendor: z.enum(KINDS),
      role: z.enum(['vendor', 'psa']),
      status: z.enum(STATUSES),
      statusReason: z.string().nullable(),
      hasCredentials: z.boolean(),
    }),
  ),
  accountMappings: z.number(),
  serviceMappings: z.number(),
  lastSync: z
    .object({
      id: z.number(),
      status: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      error: z.string().nullable(),
      deviceCount: z.number(),
      vendorRequests: z.number(),
      psaRequests: z.number(),
    })
    .nullable(),
  lastGoodSync: z.object({ id: z.number(), finishedAt: z.string().nullable() }).nullable(),
})

const replace = z.boolean().optional()

const ninjaBody = z.object({
  region: z.enum(['us', 'us2', 'ca', 'eu', 'oc']).optional(),
  apiUrl: text(2000).optional(),
  clientId: text(),
  clientSecret: secret,
})

const connectWiseBody = z.object({
  site: text(255).optional(),
  apiUrl: text(2000).optional(),
  companyId: text(),
  publicKey: text(),
  privateKey: secret,
  clientId: text(),
  replace,
})

const autotaskBody = z.object({
  username: text(),
  integrationCode: text(),
  secret,
  zoneUrl: text(2000).optional(),
  replace,
})

const haloBody = z.object({ apiUrl: text(2000), clientId: text(), clientSecret: secret, replace })

const disconnectBody = z.object({
  confirm: z.literal(true, { error: 'must be true: disconnecting deletes every mapping' }),
})

// Adapters store secrets apart from settings, and this filter keeps a future mistake from
// leaking one through the settings.
const SECRET_NAME = /secret|private|password|token/i

function publicSettings(settings: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).filter(([key]) => !SECRET_NAME.test(key)))
}

function integrationView(kind: IntegrationKind, found: Integration | undefined) {
  return {
    kind,
    role: kind === 'ninjaone' ? ('vendor' as const) : ('psa' as const),
    status: found?.status ?? ('disconnected' as const),
    statusReason: found?.statusReason ?? null,
    hasCredentials: found?.hasCredentials ?? false,
    settings: found ? publicSettings(found.settings) : {},
  }
}

async function integrationOf(ctx: AppContext, kind: IntegrationKind) {
  return integrationView(kind, await ctx.store.integrations.get(kind))
}

/** Connects a PSA, then syncs in the background when NinjaOne is connected too. */
async function connectPsaAndSync(
  ctx: AppContext,
  runner: SyncRunner,
  kind: PsaKind,
  input: { settings: Record<string, string | undefined>; secrets: Record<string, string> },
  replacePsa: boolean | undefined,
) {
  await connectPsa(ctx, { kind, ...input, replace: replacePsa })
  if (await ctx.store.integrations.get('ninjaone')) runner.request(ctx)
  return integrationOf(ctx, kind)
}

/** Registers status, integration listing, connect and disconnect routes. */
export const integrationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  const { runner } = deps
  const ctx = (request: FastifyRequest) => deps.contextFor(request)
  const connected = withErrors({ 200: integrationSchema })
  const tags = ['integrations']

  app.get(
    '/status',
    {
      schema: {
        tags,
        summary: 'Integrations, mapping counts and the last sync',
        response: withErrors({ 200: statusSchema }),
      },
    },
    (request) => getStatus(ctx(request)),
  )

  app.get(
    '/integrations',
    {
      schema: {
        tags,
        summary: 'Every integration with its status and non-secret settings',
        response: withErrors({ 200: z.array(integrationSchema) }),
      },
    },
    async () => {
      const stored = await deps.store.integrations.list()
      const byKind = new Map(stored.map((entry) => [entry.kind, entry]))
      return KINDS.map((kind) => integrationView(kind, byKind.get(kind)))
    },
  )

  app.post(
    '/integrations/ninjaone/connect',
    {
      schema: {
        tags,
        summary: 'Check and store NinjaOne credentials, then sync',
        body: ninjaBody,
        response: connected,
      },
    },
    async (request) => {
      const context = ctx(request)
      await connectNinjaOne(context, request.body)
      runner.request(context)
      return integrationOf(context, 'ninjaone')
    },
  )

  app.post(
    '/integrations/connectwise/connect',
    {
      schema: {
        tags,
        summary: 'Check and store ConnectWise PSA API keys',
        body: connectWiseBody,
        response: connected,
      },
    },
    (request) => {
      const { privateKey, replace: replacePsa, ...settings } = request.body
      const input = { settings, secrets: { privateKey } }
      return connectPsaAndSync(ctx(request), runner, 'connectwise', input, replacePsa)
    },
  )

  app.post(
    '/integrations/autotask/connect',
    {
      schema: {
        tags,
        summary: 'Check and store Autotask API user credentials',
        body: autotaskBody,
        response: connected,
      },
    },
    (request) => {
      const { secret: userSecret, replace: replacePsa, ...settings } = request.body
      const input = { settings, secrets: { secret: userSecret } }
      return connectPsaAndSync(ctx(request), runner, 'autotask', input, replacePsa)
    },
  )

  app.post(
    '/integrations/halo/connect',
    {
      schema: {
        tags,
        summary: 'Check and store HaloPSA client credentials',
        body: haloBody,
        response: connected,
      },
    },
    (request) => {
      const { clientSecret, replace: replacePsa, ...settings } = request.body
      const input = { settings, secrets: { clientSecret } }
      return connectPsaAndSync(ctx(request), runner, 'halo', input, replacePsa)
    },
  )

  app.delete(
    '/integrations/:kind',
    {
      schema: {
        tags,
        summary: 'Delete the credentials of an integration and every mapping',
        params: z.object({ kind: z.enum(KINDS) }),
        body: disconnectBody,
        response: withErrors({ 200: z.object({ disconnected: z.literal(true) }) }),
      },
    },
    async (request) => {
      if (runner.current().running) {
        throw new AppError(
          'conflict',
          'A sync is running. Disconnect once it has finished, so that it stores no data ' +
            'of the disconnected integration.',
        )
      }
      await disconnect(ctx(request), request.params.kind)
      return { disconnected: true as const }
    },
  )
}
