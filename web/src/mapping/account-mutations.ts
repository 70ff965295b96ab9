/** Account mapping changes with optimistic updates, so a drop shows its result at once. */
import { notifications } from '@mantine/notifications'
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query'
import { api, errorMessage } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { AccountsView } from '../api/types.ts'

/** A requested mapping of one organization to one company. */
export interface AccountMappingRequest {
  organizationId: number
  companyId: number
}

function withMapping(view: AccountsView, request: AccountMappingRequest): AccountsView {
  const company = view.companies.find((candidate) => candidate.id === request.companyId)
  return {
    organizations: view.organizations.map((org) =>
      org.organizationId === request.organizationId
        ? {
            ...org,
            companyId: request.companyId,
            companyName: company?.name ?? null,
            matchedBy: 'manual',
            suggestions: [],
          }
        : org,
    ),
    companies: view.companies.map((candidate) => {
      if (candidate.id === request.companyId) {
        return { ...candidate, mappedOrganizationId: request.organizationId }
      }
      return candidate.mappedOrganizationId === request.organizationId
        ? { ...candidate, mappedOrganizationId: null }
        : candidate
    }),
  }
}

function withoutMapping(view: AccountsView, organizationId: number): AccountsView {
  return {
    organizations: view.organizations.map((org) =>
      org.organizationId === organizationId
        ? { ...org, companyId: null, companyName: null, matchedBy: null }
        : org,
    ),
    companies: view.companies.map((company) =>
      company.mappedOrganizationId === organizationId
        ? { ...company, mappedOrganizationId: null }
        : company,
    ),
  }
}

async function applyOptimistically(
  queryClient: QueryClient,
  change: (view: AccountsView) => AccountsView,
): Promise<{ previous: AccountsView | undefined }> {
  await queryClient.cancelQueries({ queryKey: keys.accounts })
  const previous = queryClient.getQueryData<AccountsView>(keys.accounts)
  if (previous) queryClient.setQueryData(keys.accounts, change(previous))
  return { previous }
}

function useAccountMutation<Variables>(
  send: (variables: Variables) => Promise<unknown>,
  change: (view: AccountsView, variables: Variables) => AccountsView,
  failureTitle: string,
) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: send,
    onMutate: (variables) => applyOptimistically(queryClient, (view) => change(view, variables)),
    onError: (error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(keys.accounts, context.previous)
      notifications.show({ color: 'red', title: failureTitle, message: errorMessage(error) })
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: keys.accounts })
      void queryClient.invalidateQueries({ queryKey: keys.integrations })
      void queryClient.invalidateQueries({ queryKey: keys.status })
    },
  })
}

/** Maps an organization to a company (`PUT /api/accounts/:organizationId`). */
export function useMapAccount() {
  return useAccountMutation(
    (request: AccountMappingRequest) => api.mapAccount(request.organizationId, request.companyId),
    withMapping,
    'Mapping failed',
  )
}

/** Removes an organization's mapping (`DELETE /api/accounts/:organizationId`). */
export function useUnmapAccount() {
  return useAccountMutation(
    (organizationId: number) => api.unmapAccount(organizationId),
    withoutMapping,
    'Unmapping failed',
  )
}
