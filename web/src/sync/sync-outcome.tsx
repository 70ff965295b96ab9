/** Progress of a running sync and the outcome of a finished one. */
import { Alert, Group, Loader, Progress, Stack, Text } from '@mantine/core'
import type { SyncProgress, SyncRun } from '../api/types.ts'
import { formatCount, formatTime } from '../format.ts'
import { describePhase } from './sync-hooks.ts'

/** Renders an animated bar with the phase of the running sync. */
export function SyncProgressBar({ progress }: { progress: SyncProgress | undefined }) {
  return (
    <Stack gap={6} data-testid="sync-progress">
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">{describePhase(progress?.phase ?? null, progress?.done ?? null)}</Text>
      </Group>
      <Progress value={100} striped animated aria-label="Sync in progress" />
    </Stack>
  )
}

/** Renders a green or red summary of a finished run. */
export function SyncRunSummary({ run }: { run: SyncRun }) {
  if (run.status === 'failed') {
    return (
      <Alert color="red" title="Sync failed" role="alert" data-testid="sync-outcome">
        {run.error ?? 'The sync stopped without a reason. Check the server log.'} The counts of the
        last successful sync stay in use.
      </Alert>
    )
  }
  const parts = [`${formatCount(run.deviceCount)} devices`]
  if (run.organizationCount !== undefined) {
    parts.push(`${formatCount(run.organizationCount)} organizations`)
  }
  if (run.lineCount !== undefined) parts.push(`${formatCount(run.lineCount)} billed lines`)
  return (
    <Alert color="green" title="Sync finished" data-testid="sync-outcome">
      Read {parts.join(', ')} at {formatTime(run.finishedAt)}.
    </Alert>
  )
}
