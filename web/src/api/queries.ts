/**
 * TanStack Query keys and hooks for server state that several pages share. Polling runs only
 * while something changes on the server: a pending integration or a running sync.
 */
import { type QueryClient, useQuery } from '@tanstack/react-query'
import { api } from './client.ts'
import type { Integration, SyncProgress } from './types.ts'

/** Query keys, one per endpoint. */
export const keys = {
  session: ['session'] as const,
  status: ['status'] as const,
  integrations: ['integrations'] as const,
  syncCurrent: ['sync', 'current'] as const,
  syncRuns: ['sync', 'runs'] as const,
  accounts: ['accounts'] as const,
  services: ['services'] as const,
  reconciliation: ['reconciliation'] as const,
  audit: ['audit'] as const,
}

/** Poll interval while the server works in the background. */
export const POLL_MS = 1500

function anyPending(integrations: Integration[] | undefined): boolean {
  return integrations?.some((integration) => integration.status === 'pending') ?? false
}

/** Queries the integrations, polling while one of them is pending. */
export function useIntegrations() {
  return useQuery({
    queryKey: keys.integrations,
    queryFn: api.integrations,
    refetchInterval: (query) => (anyPending(query.state.data) ? POLL_MS : false),
  })
}

/** Queries the running sync's progress, polling while it runs or while `watch` is true. */
export function useSyncProgress(watch = false) {
  return useQuery<SyncProgress>({
    queryKey: keys.syncCurrent,
    queryFn: api.currentSync,
    refetchInterval: (query) => (watch || query.state.data?.running ? POLL_MS : false),
  })
}

/** Refetches everything a sync or a mapping change can alter. */
export function invalidateServerState(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => query.queryKey[0] !== keys.session[0],
  })
}
