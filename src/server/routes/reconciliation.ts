import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { approve, dismiss } from '../../app/approve.ts'
import { loadReconciliation } from '../../app/reconcile.ts'
import { SERVICE_NAMES } from '../../core/services.ts'
import { ITEM_STATUSES } from '../../core/types.ts'
import { noContent, type RouteOptions, withErrors } from '../schemas.ts'

const itemSchema = z.object({
  id: z.string(),
  organizationId: z.number(),
  organizationName: z.string(),
  companyId: z.number(),
  companyName: z.string(),
  service: z.enum(SERVICE_NAMES),
  productId: z.number().nullable(),
  agreementId: z.number().nullable(),
  additionId: z.number().nullable(),
  vendorCount: z.number(),
  psaQuantity: z.number().nullable(),
  lessIncluded: z.number(),
  delta: z.number(),
  unitPrice: z.number(),
  monthlyImpact: z.number(),
  status: z.enum(ITEM_STATUSES),
  lastUpdated: z.string(),
  candidateLineIds: z.array(z.number()),
  dismissed: z.boolean(),
})

const reconciliationSchema = z.object({
  runId: z.number().nullable(),
  totals: z.object({
    underBilled: z.number(),
    newRevenue: z.number(),
    overBilled: z.number(),
    byStatus: z.object(
      Object.fromEntries(ITEM_STATUSES.map((status) => [status, z.number()])) as Record<
        (typeof ITEM_STATUSES)[number],
        z.ZodNumber
      >,
    ),
  }),
  items: z.array(itemSchema),
})

const itemIds = z.array(z.string().min(1).max(200)).min(1).max(100_000)

const approveBody = z
  .object({
    ids: itemIds.optional(),
    all: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    allowZero: z.boolean().optional(),
    effectiveDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'use the form YYYY-MM-DD' })
      .optional(),
  })
  .refine((body) => (body.ids !== undefined) !== (body.all === true), {
    path: ['ids'],
    error: 'give either ids or "all": true, not both',
  })

const approvalsSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      outcome: z.enum(['written', 'unchanged', 'refused', 'failed', 'skipped']),
      reason: z.string().nullable(),
      before: z.number().nullable(),
      after: z.number().nullable(),
    }),
  ),
})

const auditSchema = z.array(
  z.object({
    id: z.number(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: z.string(),
    details: z.record(z.string(), z.unknown()),
  }),
)

/** Registers the reconciliation, approval, dismissal and audit log routes. */
export const reconciliationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  const tags = ['reconciliation']

  app.get(
    '/reconciliation',
    {
      schema: {
        tags,
        summary: 'Reconciliation items and totals of the current sync',
        response: withErrors({ 200: reconciliationSchema }),
      },
    },
    async (request) => {
      const { runId, totals, items } = await loadReconciliation(deps.contextFor(request))
      return { runId, totals, items }
    },
  )

  app.post(
    '/reconciliation/approve',
    {
      schema: {
        tags,
        summary: 'Write vendor counts to the PSA for chosen items',
        body: approveBody,
        response: withErrors({ 200: approvalsSchema }),
      },
    },
    async (request) => {
      const { ids, dryRun, allowZero, effectiveDate } = request.body
      const results = await approve(deps.contextFor(request), {
        items: ids ?? 'all',
        dryRun,
        allowZero,
        effectiveDate,
      })
      return { results }
    },
  )

  app.post(
    '/reconciliation/dismiss',
    {
      schema: {
        tags,
        summary: 'Hide items until their numbers change',
        body: z.object({ ids: itemIds }),
        response: withErrors({ 204: noContent }),
      },
    },
    async (request, reply) => {
      await dismiss(deps.contextFor(request), request.body.ids)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'Audit log entries, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
        response: withErrors({ 200: auditSchema }),
      },
    },
    (request) => deps.store.approvals.auditLog(request.query.limit),
  )
}
