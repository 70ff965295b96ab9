/** The wizard step that waits for the first sync after authentication. */
import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { errorMessage } from '../api/client.ts'
import { keys, useIntegrations } from '../api/queries.ts'
import type { IntegrationStatus } from '../api/types.ts'
import { IntegrationStatusBadge } from '../components/status-badge.tsx'
import { useStartSync, useSyncRun } from '../sync/sync-hooks.ts'
import { SyncProgressBar } from '../sync/sync-outcome.tsx'
import type { VendorDefinition } from './vendors.ts'

/** Returns true once the first sync has produced accounts and services to map. */
export function isReady(status: IntegrationStatus): boolean {
  return status === 'mapping' || status === 'connected'
}

function StatusDetail({
  status,
  reason,
  running,
  ninjaConnected,
}: {
  status: IntegrationStatus
  reason: string | null
  running: boolean
  ninjaConnected: boolean
}) {
  if (isReady(status)) {
    return (
      <Alert color="green" title="First sync finished" data-testid="first-sync-ready">
        Accounts and services are ready to map.
      </Alert>
    )
  }
  if (status === 'error') {
    return (
      <Alert color="red" title="The sync failed" role="alert">
        {reason ?? 'No reason was recorded. Check the server log.'}
      </Alert>
    )
  }
  if (status === 'disconnected') {
    return <Alert color="gray">This integration is not connected. Go back and authenticate.</Alert>
  }
  if (!ninjaConnected) {
    return <Alert color="yellow">Connect NinjaOne too: the first sync reads both sides.</Alert>
  }
  if (running) return null
  return <Text size="sm">No sync is running yet. It starts by itself, or start it here.</Text>
}

/** Shows the pending integration, the sync progress, Refresh, and Next once it is ready. */
export function FirstSyncStep({
  vendor,
  onNext,
}: {
  vendor: VendorDefinition
  onNext: () => void
}) {
  const queryClient = useQueryClient()
  const integrations = useIntegrations()
  const integration = integrations.data?.find((candidate) => candidate.kind === vendor.kind)
  const status = integration?.status ?? 'disconnected'
  const ninjaConnected = integrations.data?.some(
    (candidate) => candidate.kind === 'ninjaone' && candidate.status !== 'disconnected',
  )
  const { progress, running } = useSyncRun(null, status === 'pending')
  const startSync = useStartSync()

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.integrations })
    void queryClient.invalidateQueries({ queryKey: keys.syncCurrent })
  }
  const start = () =>
    startSync.mutate(undefined, {
      onError: (error) =>
        notifications.show({
          color: 'red',
          title: 'Sync not started',
          message: errorMessage(error),
        }),
    })
  const canStart = !running && (status === 'pending' || status === 'error') && ninjaConnected

  return (
    <Stack gap="md" maw={560}>
      <Group gap="xs">
        <Text>{vendor.name} status</Text>
        <IntegrationStatusBadge status={status} />
      </Group>
      {status === 'pending' && running && <SyncProgressBar progress={progress} />}
      <StatusDetail
        status={status}
        reason={integration?.statusReason ?? null}
        running={running}
        ninjaConnected={ninjaConnected ?? false}
      />
      <Group gap="xs">
        <Button variant="default" onClick={refresh}>
          Refresh
        </Button>
        {canStart && (
          <Button variant="light" onClick={start} loading={startSync.isPending}>
            {status === 'error' ? 'Retry sync' : 'Start sync'}
          </Button>
        )}
        <Button onClick={onNext} disabled={!isReady(status)}>
          Next
        </Button>
      </Group>
    </Stack>
  )
}
