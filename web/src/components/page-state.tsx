/** Loading, error and empty states, so every page shows the same three shapes. */
import { Alert, Button, Center, EmptyState, Group, Loader, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { errorMessage } from '../api/client.ts'

/** Renders a centered loader with a label for screen readers. */
export function LoadingState({ label }: { label: string }) {
  return (
    <Center py="xl" aria-busy="true">
      <Stack align="center" gap="xs">
        <Loader aria-label={label} />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Stack>
    </Center>
  )
}

/** Renders a red alert with the error's message and an optional retry button. */
export function ErrorState({
  title,
  error,
  onRetry,
}: {
  title: string
  error: unknown
  onRetry?: () => void
}) {
  return (
    <Alert color="red" title={title} role="alert">
      <Stack gap="xs">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Retry
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  )
}

/** Renders a message for a page or list with nothing to show yet, and what to do next. */
export function EmptyMessage({
  title,
  description,
  action,
}: {
  title: string
  description: ReactNode
  action?: ReactNode
}) {
  return (
    <EmptyState py="xl" title={title} description={description}>
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  )
}
