/** One vendor card on the integrations page. */
import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router-dom'
import { IntegrationStatusBadge } from '../components/status-badge.tsx'
import type { VendorState } from './integration-state.ts'

/** Shows a vendor, its status (with the reason of an error) and what can be done next. */
export function IntegrationCard({
  state,
  onConfigure,
}: {
  state: VendorState
  onConfigure: () => void
}) {
  const { vendor, status, integration } = state
  const connectPath = `/integrations/${vendor.kind}/connect`

  return (
    <Card withBorder padding="lg" data-testid={`vendor-card-${vendor.kind}`}>
      <Stack gap="sm" h="100%">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4">
            {vendor.name}
          </Title>
          <Group gap={6} wrap="nowrap">
            <Badge variant="outline" color="gray">
              {vendor.role === 'vendor' ? 'RMM' : 'PSA'}
            </Badge>
            <IntegrationStatusBadge status={status} />
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {vendor.description}
        </Text>
        {status === 'error' && integration?.statusReason && (
          <Text size="sm" c="red.8" role="status">
            {integration.statusReason}
          </Text>
        )}
        {status === 'pending' && (
          <Text size="sm">The first sync is reading accounts and services.</Text>
        )}
        <Group mt="auto" gap="xs">
          {status === 'disconnected' ? (
            <Button component={Link} to={connectPath}>
              Connect
            </Button>
          ) : (
            <>
              <Button variant="default" onClick={onConfigure}>
                Configure
              </Button>
              {status === 'pending' && (
                <Button component={Link} to={connectPath} variant="subtle">
                  Show progress
                </Button>
              )}
            </>
          )}
        </Group>
      </Stack>
    </Card>
  )
}
