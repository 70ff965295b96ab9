/** A draggable NinjaOne organization card with its mapping, suggestion and "Map to…" select. */
import { useDraggable } from '@dnd-kit/core'
import type { ComboboxItem } from '@mantine/core'
import { Badge, Button, Group, Paper, Select, Stack, Text } from '@mantine/core'
import type { OrganizationRow } from '../api/types.ts'
import { DragHandle } from './drag-handle.tsx'

// Mantine keeps a select's options in the DOM while it is closed, and every unmapped card has
// one, so each lists a few companies until the user types to narrow them.
const COMPANY_OPTION_LIMIT = 20

/** The mapping state of an organization: mapped, unmapped with a suggestion, or unmapped. */
export type OrganizationState = 'mapped' | 'suggested' | 'unmapped'

/** Returns the state of an organization row. */
export function organizationState(org: OrganizationRow): OrganizationState {
  if (org.companyId !== null) return 'mapped'
  return org.suggestions.length > 0 ? 'suggested' : 'unmapped'
}

/** Returns the draggable id of an organization card. */
export function organizationDragId(organizationId: number): string {
  return `org-${organizationId}`
}

function StateBadge({ org }: { org: OrganizationRow }) {
  if (org.matchedBy === 'exact') return <Badge color="green">exact</Badge>
  if (org.matchedBy === 'manual') return <Badge color="blue">manual</Badge>
  const best = org.suggestions[0]
  if (best) {
    return (
      <Badge color="yellow" variant="light">
        suggested {Math.round(best.score * 100)}%
      </Badge>
    )
  }
  return (
    <Badge color="gray" variant="light">
      unmapped
    </Badge>
  )
}

/** Callbacks of an organization card. */
export interface OrganizationActions {
  onMap: (companyId: number) => void
  onUnmap: () => void
}

/** Renders the title row of an organization card, also shown in the drag overlay. */
export function OrganizationSummary({ org }: { org: OrganizationRow }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Text fw={600} size="sm" truncate>
        {org.organizationName}
      </Text>
      <StateBadge org={org} />
    </Group>
  )
}

function MappingDetail({
  org,
  companyOptions,
  actions,
}: {
  org: OrganizationRow
  companyOptions: ComboboxItem[]
  actions: OrganizationActions
}) {
  const suggestion = org.suggestions[0]
  if (org.companyId !== null) {
    return (
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" truncate>
          → {org.companyName ?? `company ${org.companyId}`}
        </Text>
        <Button size="compact-xs" variant="subtle" color="red" onClick={actions.onUnmap}>
          Unmap
        </Button>
      </Group>
    )
  }
  return (
    <Stack gap={6}>
      {suggestion && (
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" truncate>
            Suggestion: {suggestion.companyName}
          </Text>
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => actions.onMap(suggestion.companyId)}
          >
            Accept suggestion
          </Button>
        </Group>
      )}
      <Select
        size="xs"
        placeholder="Map to…"
        aria-label={`Map ${org.organizationName} to a PSA company`}
        data={companyOptions}
        searchable
        limit={COMPANY_OPTION_LIMIT}
        value={null}
        nothingFoundMessage="No free company matches"
        onChange={(value) => value !== null && actions.onMap(Number(value))}
      />
    </Stack>
  )
}

/** Renders one organization, to drag onto a company card or map with its buttons and select. */
export function OrganizationCard({
  org,
  companyOptions,
  actions,
}: {
  org: OrganizationRow
  companyOptions: ComboboxItem[]
  actions: OrganizationActions
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: organizationDragId(org.organizationId),
    data: { organizationId: org.organizationId },
  })
  const state = organizationState(org)

  return (
    <Paper
      ref={setNodeRef}
      {...listeners}
      withBorder
      p="xs"
      className="drag-card"
      data-dragging={isDragging}
      data-testid={`org-card-${org.organizationId}`}
      data-state={state}
      data-company-id={org.companyId ?? undefined}
      data-suggested-company-id={org.suggestions[0]?.companyId}
    >
      <Group align="flex-start" gap={6} wrap="nowrap">
        <DragHandle
          label={`Drag ${org.organizationName} onto a company`}
          attributes={attributes}
          setActivatorNodeRef={setActivatorNodeRef}
          testId={`org-handle-${org.organizationId}`}
        />
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <OrganizationSummary org={org} />
          <MappingDetail org={org} companyOptions={companyOptions} actions={actions} />
        </Stack>
      </Group>
    </Paper>
  )
}
