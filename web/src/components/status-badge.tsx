/** Colored badges for integration statuses and reconciliation statuses. */
import { Badge, type MantineColor } from '@mantine/core'
import type { IntegrationStatus, ItemStatus } from '../api/types.ts'

const INTEGRATION_COLORS: Record<IntegrationStatus, MantineColor> = {
  pending: 'yellow',
  mapping: 'blue',
  connected: 'green',
  error: 'red',
  disconnected: 'gray',
}

/** Renders the badge of an integration status, e.g. a green `connected`. */
export function IntegrationStatusBadge({ status }: { status: IntegrationStatus }) {
  return (
    <Badge color={INTEGRATION_COLORS[status]} variant="light" data-testid="integration-status">
      {status}
    </Badge>
  )
}

/** Badge colors of reconciliation statuses. */
export const ITEM_STATUS_COLORS: Record<ItemStatus, MantineColor> = {
  match: 'green',
  'under-billed': 'red',
  'over-billed': 'orange',
  ambiguous: 'grape',
  'new-revenue': 'blue',
}

/** Renders the badge of a reconciliation line's status. */
export function ItemStatusBadge({ status }: { status: ItemStatus }) {
  return (
    <Badge color={ITEM_STATUS_COLORS[status]} variant="light" size="sm">
      {status}
    </Badge>
  )
}
