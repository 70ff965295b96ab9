/** The configure panel of one integration: its settings, status and disconnect with confirm. */
import { Alert, Button, Drawer, Group, Stack, Table, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router-dom'
import { api, errorMessage } from '../api/client.ts'
import { invalidateServerState } from '../api/queries.ts'
import { IntegrationStatusBadge } from '../components/status-badge.tsx'
import type { VendorState } from './integration-state.ts'

function SettingsTable({ settings }: { settings: Record<string, string> }) {
  const entries = Object.entries(settings)
  if (entries.length === 0) return <Text size="sm">No settings are stored.</Text>
  return (
    <Table withTableBorder variant="vertical" layout="fixed">
      <Table.Tbody>
        {entries.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th w={140}>{name}</Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function DisconnectSection({ state, onDone }: { state: VendorState; onDone: () => void }) {
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const disconnect = useMutation({
    mutationFn: () => api.disconnect(state.vendor.kind),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: `${state.vendor.name} is disconnected.` })
      await invalidateServerState(queryClient)
      onDone()
    },
  })

  if (!confirming) {
    return (
      <Group>
        <Button color="red" variant="light" onClick={() => setConfirming(true)}>
          Disconnect
        </Button>
      </Group>
    )
  }
  return (
    <Alert color="red" title={`Disconnect ${state.vendor.name}?`}>
      <Stack gap="sm">
        <Text size="sm">
          This deletes the stored credentials, every account and service mapping and the synced data
          of {state.vendor.name}. Past approvals stay in the audit log.
        </Text>
        {disconnect.isError && (
          <Text size="sm" c="red.8" role="alert">
            {errorMessage(disconnect.error)}
          </Text>
        )}
        <Group gap="xs">
          <Button color="red" loading={disconnect.isPending} onClick={() => disconnect.mutate()}>
            Confirm
          </Button>
          <Button variant="default" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}

/** Renders a drawer with one integration's details, closed while `state` is null. */
export function ConfigureDrawer({
  state,
  onClose,
}: {
  state: VendorState | null
  onClose: () => void
}) {
  return (
    <Drawer
      opened={state !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={state ? `Configure ${state.vendor.name}` : ''}
    >
      {state && (
        <Stack gap="md" key={state.vendor.kind}>
          <Group gap="xs">
            <Text size="sm">Status</Text>
            <IntegrationStatusBadge status={state.status} />
          </Group>
          {state.integration?.statusReason && (
            <Alert color={state.status === 'error' ? 'red' : 'gray'}>
              {state.integration.statusReason}
            </Alert>
          )}
          <SettingsTable settings={state.integration?.settings ?? {}} />
          <Text size="xs" c="dimmed">
            Secrets are stored encrypted and are never shown again.
          </Text>
          <Group>
            <Button
              component={Link}
              to={`/integrations/${state.vendor.kind}/connect`}
              variant="default"
            >
              Update credentials
            </Button>
          </Group>
          <DisconnectSection state={state} onDone={onClose} />
        </Stack>
      )}
    </Drawer>
  )
}
