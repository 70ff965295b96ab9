/** The integrations page: vendor cards, a connected filter and the sync state. */
import {
  Button,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api, errorMessage } from '../api/client.ts'
import { keys, useIntegrations } from '../api/queries.ts'
import type { StatusReport } from '../api/types.ts'
import { EmptyMessage, ErrorState, LoadingState } from '../components/page-state.tsx'
import { formatCount, formatTime } from '../format.ts'
import { useStartSync, useSyncRun } from '../sync/sync-hooks.ts'
import { SyncProgressBar } from '../sync/sync-outcome.tsx'
import { ConfigureDrawer } from './configure-drawer.tsx'
import { IntegrationCard } from './integration-card.tsx'
import { type VendorState, vendorStates } from './integration-state.ts'

type ConnectedFilter = 'all' | 'connected' | 'not-connected'

function matchesFilter(state: VendorState, filter: ConnectedFilter): boolean {
  if (filter === 'all') return true
  const connected = state.status !== 'disconnected'
  return filter === 'connected' ? connected : !connected
}

function describeLastSync(report: StatusReport | undefined, error: Error | null): string {
  if (error) return `Could not load the last sync: ${errorMessage(error)}`
  // Until the status arrives, nothing is known about past syncs.
  if (!report) return 'Loading the last sync…'
  const last = report.lastSync
  if (!last) return 'No sync has run yet. Connect NinjaOne to start the first one.'
  return (
    `Last sync ${last.status} at ${formatTime(last.finishedAt ?? last.startedAt)}: ` +
    `${formatCount(last.deviceCount)} devices.` +
    (last.error ? ` ${last.error}` : '')
  )
}

function SyncSummary({ canSync }: { canSync: boolean }) {
  const status = useQuery({ queryKey: keys.status, queryFn: api.status })
  const startSync = useStartSync()
  const [runId, setRunId] = useState<number | null>(null)
  const { progress, running, run } = useSyncRun(runId, runId !== null)

  useEffect(() => {
    // Polling stops once the started run has finished and its outcome is in the status.
    if (run && run.status !== 'running') setRunId(null)
  }, [run])

  const start = () =>
    startSync.mutate(undefined, {
      onSuccess: (id) => setRunId(id),
      onError: (error) =>
        notifications.show({
          color: 'red',
          title: 'Sync not started',
          message: errorMessage(error),
        }),
    })

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ flex: 1 }}>
          <Text fw={600}>Sync</Text>
          {running ? (
            <SyncProgressBar progress={progress} />
          ) : (
            <Text size="sm" c="dimmed" data-testid="last-sync">
              {describeLastSync(status.data, status.error)}
            </Text>
          )}
        </Stack>
        <Button
          variant="light"
          onClick={start}
          loading={startSync.isPending}
          disabled={!canSync || running}
        >
          Sync now
        </Button>
      </Group>
    </Paper>
  )
}

/** Lists every vendor with its status and opens the connect wizard or the configure panel. */
export function IntegrationsPage() {
  const integrations = useIntegrations()
  const [filter, setFilter] = useState<ConnectedFilter>('all')
  const [configuring, setConfiguring] = useState<VendorState['vendor']['kind'] | null>(null)

  if (integrations.isPending) return <LoadingState label="Loading integrations…" />
  if (integrations.isError) {
    return (
      <ErrorState
        title="Could not load integrations"
        error={integrations.error}
        onRetry={() => void integrations.refetch()}
      />
    )
  }

  const states = vendorStates(integrations.data)
  const visible = states.filter((state) => matchesFilter(state, filter))
  const ninjaConnected = states.some(
    (state) => state.vendor.kind === 'ninjaone' && state.status !== 'disconnected',
  )
  const configured = states.find((state) => state.vendor.kind === configuring) ?? null

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Integrations
        </Title>
        <SegmentedControl
          aria-label="Show integrations"
          value={filter}
          onChange={(value) => setFilter(value as ConnectedFilter)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'connected', label: 'Connected' },
            { value: 'not-connected', label: 'Not connected' },
          ]}
        />
      </Group>
      <SyncSummary canSync={ninjaConnected} />
      {visible.length === 0 ? (
        <EmptyMessage
          title={filter === 'connected' ? 'Nothing is connected yet' : 'Everything is connected'}
          description={
            filter === 'connected'
              ? 'Connect NinjaOne and one PSA to start reconciling.'
              : 'Every vendor has a connection. Switch the filter to see them.'
          }
        />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {visible.map((state) => (
            <IntegrationCard
              key={state.vendor.kind}
              state={state}
              onConfigure={() => setConfiguring(state.vendor.kind)}
            />
          ))}
        </SimpleGrid>
      )}
      <ConfigureDrawer state={configured} onClose={() => setConfiguring(null)} />
    </Stack>
  )
}
