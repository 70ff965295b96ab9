/** Service mapping changes with optimistic updates of `GET /api/services`. */
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, errorMessage } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { ServicesView } from '../api/types.ts'

/** A requested mapping of one PSA product to one NinjaOne service. */
export interface ServiceMappingRequest {
  service: string
  productId: number
}

function withMapping(view: ServicesView, request: ServiceMappingRequest): ServicesView {
  const product = view.unmappedProducts.find((candidate) => candidate.id === request.productId)
  const productName = product?.name ?? `product ${request.productId}`
  return {
    services: view.services.map((row) =>
      row.service === request.service
        ? { ...row, products: [...row.products, { productId: request.productId, productName }] }
        : row,
    ),
    unmappedProducts: view.unmappedProducts.filter(
      (candidate) => candidate.id !== request.productId,
    ),
  }
}

function withoutMapping(view: ServicesView, productId: number): ServicesView {
  return {
    ...view,
    services: view.services.map((row) => ({
      ...row,
      products: row.products.filter((product) => product.productId !== productId),
    })),
  }
}

function useServiceMutation<Variables>(
  send: (variables: Variables) => Promise<unknown>,
  change: (view: ServicesView, variables: Variables) => ServicesView,
  failureTitle: string,
) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: send,
    onMutate: async (variables) => {
      await queryClient.cancelQueries({ queryKey: keys.services })
      const previous = queryClient.getQueryData<ServicesView>(keys.services)
      if (previous) queryClient.setQueryData(keys.services, change(previous, variables))
      return { previous }
    },
    onError: (error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(keys.services, context.previous)
      notifications.show({ color: 'red', title: failureTitle, message: errorMessage(error) })
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: keys.services })
      void queryClient.invalidateQueries({ queryKey: keys.integrations })
      void queryClient.invalidateQueries({ queryKey: keys.status })
    },
  })
}

/** Maps a product to a service (`PUT /api/services/mappings`). */
export function useMapService() {
  return useServiceMutation(
    (request: ServiceMappingRequest) => api.mapService(request.service, request.productId),
    withMapping,
    'Mapping failed',
  )
}

/** Removes a product's service mapping (`DELETE /api/services/mappings/:productId`). */
export function useUnmapService() {
  return useServiceMutation(
    (productId: number) => api.unmapService(productId),
    withoutMapping,
    'Unmapping failed',
  )
}
