import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app/context.ts'
import {
  autoMapAccounts,
  listAccounts,
  mapAccount,
  requireSnapshot,
  unmapAccount,
} from '../../app/mapping.ts'
import { idParam, noContent, type RouteOptions, withErrors } from '../schemas.ts'

const organizationSchema = z.object({
  organizationId: z.number(),
  organizationName: z.string(),
  companyId: z.number().nullable(),
  companyName: z.string().nullable(),
  matchedBy: z.enum(['exact', 'manual']).nullable(),
  suggestions: z.array(
    z.object({ companyId: z.number(), companyName: z.string(), score: z.number() }),
  ),
})

const accountsSchema = z.object({
  organizations: z.array(organizationSchema),
  companies: z.array(
    z.object({ id: z.number(), name: z.string(), mappedOrganizationId: z.number().nullable() }),
  ),
})

const mappingSchema = z.object({
  organizationId: z.number(),
  organizationName: z.string(),
  companyId: z.number(),
  companyName: z.string(),
})

const organizationParams = z.object({ organizationId: idParam })

/** Lists organizations with mappings and suggestions, and companies with their holder. */
async function accountsView(ctx: AppContext) {
  const snapshot = await requireSnapshot(ctx)
  const organizations = await listAccounts(ctx)
  const holders = new Map<number, number>()
  for (const row of organizations) {
    if (row.companyId !== null) holders.set(row.companyId, row.organizationId)
  }
  const companies = snapshot.companies.map((company) => ({
    id: company.id,
    name: company.name,
    mappedOrganizationId: holders.get(company.id) ?? null,
  }))
  return { organizations, companies }
}

/** Registers the account mapping routes (NinjaOne organization ↔ PSA company). */
export const accountRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  const tags = ['accounts']

  app.get(
    '/accounts',
    {
      schema: {
        tags,
        summary: 'Organizations with mappings and suggestions, and companies',
        response: withErrors({ 200: accountsSchema }),
      },
    },
    (request) => accountsView(deps.contextFor(request)),
  )

  app.post(
    '/accounts/auto',
    {
      schema: {
        tags,
        summary: 'Map organizations and companies with exactly equal names',
        response: withErrors({ 200: z.object({ added: z.number() }) }),
      },
    },
    async (request) => ({ added: await autoMapAccounts(deps.contextFor(request)) }),
  )

  app.put(
    '/accounts/:organizationId',
    {
      schema: {
        tags,
        summary: 'Map an organization to a company',
        params: organizationParams,
        body: z.object({ companyId: z.number().int().positive() }),
        response: withErrors({ 200: mappingSchema }),
      },
    },
    (request) =>
      mapAccount(deps.contextFor(request), request.params.organizationId, request.body.companyId),
  )

  app.delete(
    '/accounts/:organizationId',
    {
      schema: {
        tags,
        summary: 'Remove the mapping of an organization',
        params: organizationParams,
        response: withErrors({ 204: noContent }),
      },
    },
    async (request, reply) => {
      await unmapAccount(deps.contextFor(request), request.params.organizationId)
      return reply.code(204).send(null)
    },
  )
}
