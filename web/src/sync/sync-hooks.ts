/** Starting a sync and following one run until it succeeds or fails. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { api, isApiError } from '../api/client.ts'
import { invalidateServerState, keys, POLL_MS, useSyncProgress } from '../api/queries.ts'

/**
 * Starts a sync. Resolves to the new run id, or to null when a sync was already running
 * (HTTP 409), in which case the caller follows the running one.
 */
export function useStartSync() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (): Promise<number | null> => {
      try {
        return (await api.startSync()).runId
      } catch (error) {
        if (isApiError(error, 409)) return null
        throw error
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.syncCurrent }),
  })
}

/** Labels of the phases `GET /api/sync/current` reports. */
const PHASE_LABELS: Record<string, string> = {
  organizations: 'Reading NinjaOne organizations',
  roles: 'Reading NinjaOne device roles',
  devices: 'Reading and counting devices',
  companies: 'Reading PSA companies',
  products: 'Reading the PSA catalog',
  lines: 'Reading billed lines',
  saving: 'Saving the snapshot',
}

/** Describes a sync phase and its progress, e.g. "Reading and counting devices (1,200)". */
export function describePhase(phase: string | null, done: number | null): string {
  const label = phase ? (PHASE_LABELS[phase] ?? `Working: ${phase}`) : 'Starting'
  return done ? `${label} (${done.toLocaleString('en-US')})` : label
}

/**
 * Follows the run `runId` (or the running sync when `runId` is null and `follow` is true):
 * polls its progress while it runs, then reads its outcome from the run list.
 */
export function useSyncRun(runId: number | null, follow: boolean) {
  const queryClient = useQueryClient()
  const progress = useSyncProgress(follow)
  const running = progress.data?.running ?? false
  const currentId = runId ?? (running ? (progress.data?.runId ?? null) : null)
  const runs = useQuery({
    queryKey: keys.syncRuns,
    queryFn: api.syncRuns,
    enabled: follow && currentId !== null && !running,
    refetchInterval: (query) => {
      const run = query.state.data?.find((candidate) => candidate.id === currentId)
      return run === undefined || run.status === 'running' ? POLL_MS : false
    },
  })
  const run = runs.data?.find((candidate) => candidate.id === currentId)
  const finishedId = run && run.status !== 'running' ? run.id : null

  const wasRunning = useRef(running)
  useEffect(() => {
    // A finished run changes integrations, mappings and the reconciliation, so refetch them.
    const stopped = wasRunning.current && !running
    wasRunning.current = running
    if (finishedId !== null || stopped) void invalidateServerState(queryClient)
  }, [finishedId, running, queryClient])

  return { progress: progress.data, running, run, runId: currentId }
}
