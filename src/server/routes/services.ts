import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { listServices, mapService, unmapService } from '../../app/mapping.ts'
import { SERVICE_NAMES } from '../../core/services.ts'
import { idParam, noContent, type RouteOptions, text, withErrors } from '../schemas.ts'

const servicesSchema = z.object({
  services: z.array(
    z.object({
      service: z.enum(SERVICE_NAMES),
      products: z.array(z.object({ productId: z.number(), productName: z.string() })),
    }),
  ),
  unmappedProducts: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      identifier: z.string().nullable(),
      unitPrice: z.number().nullable(),
    }),
  ),
})

const serviceMappingSchema = z.object({
  service: z.enum(SERVICE_NAMES),
  productId: z.number(),
  productName: z.string(),
})

/** Registers the service mapping routes (NinjaOne service ↔ PSA product). */
export const serviceRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  const tags = ['services']

  app.get(
    '/services',
    {
      schema: {
        tags,
        summary: 'The 8 services with their products, and unmapped products',
        response: withErrors({ 200: servicesSchema }),
      },
    },
    (request) => listServices(deps.contextFor(request)),
  )

  app.put(
    '/services/mappings',
    {
      schema: {
        tags,
        summary: 'Map a PSA product to a service',
        // A display name or a service key. mapService rejects unknown ones and lists the
        // valid names.
        body: z.object({ service: text(100), productId: z.number().int().positive() }),
        response: withErrors({ 200: serviceMappingSchema }),
      },
    },
    (request) => mapService(deps.contextFor(request), request.body.service, request.body.productId),
  )

  app.delete(
    '/services/mappings/:productId',
    {
      schema: {
        tags,
        summary: 'Remove the service mapping of a product',
        params: z.object({ productId: idParam }),
        response: withErrors({ 204: noContent }),
      },
    },
    async (request, reply) => {
      await unmapService(deps.contextFor(request), request.params.productId)
      return reply.code(204).send(null)
    },
  )
}
