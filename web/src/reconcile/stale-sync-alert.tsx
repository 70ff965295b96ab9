/** A warning above the reconciliation while the latest sync has failed. */
import { Alert } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { api } from '../api/client.ts'
import { keys } from '../api/queries.ts'

/** Says that counts are stale and approvals are refused until a sync succeeds. */
export function StaleSyncAlert() {
  const status = useQuery({ queryKey: keys.status, queryFn: api.status })
  const lastSync = status.data?.lastSync
  if (lastSync?.status !== 'failed') return null
  return (
    <Alert color="red" title="The latest sync failed" data-testid="stale-sync-alert">
      {lastSync.error ?? 'The sync did not finish.'} These lines come from the last successful sync,
      and approvals are refused until a sync succeeds: use Sync now on the Integrations page.
    </Alert>
  )
}
