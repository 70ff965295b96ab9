/** Approve and dismiss: write to the PSA, then remember each line's outcome for its row. */
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, errorMessage } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { ApprovalOutcome, ApprovalResult } from '../api/types.ts'

/** Outcome labels as rows and notifications show them. */
export const OUTCOME_LABELS: Record<ApprovalOutcome, string> = {
  written: 'written',
  unchanged: 'unchanged',
  refused: 'refused',
  failed: 'failed',
  skipped: 'skipped',
}

function summarize(results: ApprovalResult[]): string {
  const counts = new Map<ApprovalOutcome, number>()
  for (const result of results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1)
  const summary = [...counts]
    .map(([outcome, count]) => `${count} ${OUTCOME_LABELS[outcome]}`)
    .join(', ')
  // The server's reason explains why a line was not written (PSA changed, failed sync, ...).
  const problem = results.find(
    (result) => result.outcome === 'refused' || result.outcome === 'failed',
  )
  return problem?.reason ? `${summary}. ${problem.reason}` : summary
}

/** Lines to approve, and whether they come from one row's button or from the selection. */
export interface ApprovalRequest {
  ids: string[]
  source: 'row' | 'selection'
}

/** Approves lines and keeps every outcome by item id until the page is left. */
export function useApproval(effectiveDate: string | null) {
  const queryClient = useQueryClient()
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, ApprovalResult>>(new Map())

  const approve = useMutation({
    mutationFn: ({ ids }: ApprovalRequest) =>
      api.approve(effectiveDate ? { ids, effectiveDate } : { ids }),
    onSuccess: ({ results }) => {
      setOutcomes((previous) => {
        const next = new Map(previous)
        for (const result of results) next.set(result.id, result)
        return next
      })
      const failed = results.some((result) => result.outcome !== 'written')
      notifications.show({
        color: failed ? 'orange' : 'green',
        title: 'Approval finished',
        message: summarize(results) || 'Nothing to approve.',
      })
      void queryClient.invalidateQueries({ queryKey: keys.reconciliation })
      void queryClient.invalidateQueries({ queryKey: keys.audit })
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Approval failed', message: errorMessage(error) }),
  })

  const dismiss = useMutation({
    mutationFn: (ids: string[]) => api.dismiss(ids),
    onSuccess: (_result, ids) => {
      notifications.show({ color: 'gray', message: `Dismissed ${ids.length} lines.` })
      void queryClient.invalidateQueries({ queryKey: keys.reconciliation })
      void queryClient.invalidateQueries({ queryKey: keys.audit })
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Dismiss failed', message: errorMessage(error) }),
  })

  return { approve, dismiss, outcomes }
}
