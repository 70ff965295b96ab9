/** A PSA company card that accepts a dropped organization. */
import { useDroppable } from '@dnd-kit/core'
import { Badge, Group, Paper, Text } from '@mantine/core'
import type { CompanyRow } from '../api/types.ts'

/** Returns the droppable id of a company card. */
export function companyDropId(companyId: number): string {
  return `company-${companyId}`
}

/** Renders one company. A mapped company shows its organization and accepts no drop. */
export function CompanyCard({
  company,
  organizationName,
}: {
  company: CompanyRow
  organizationName: string | null
}) {
  const mapped = company.mappedOrganizationId !== null
  const { setNodeRef, isOver } = useDroppable({
    id: companyDropId(company.id),
    data: { companyId: company.id },
    disabled: mapped,
  })

  return (
    <Paper
      ref={setNodeRef}
      withBorder
      p="xs"
      className="drop-card"
      data-over={isOver}
      data-disabled={mapped}
      data-testid={`company-card-${company.id}`}
      data-mapped-organization-id={company.mappedOrganizationId ?? undefined}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fw={600} size="sm" truncate>
          {company.name}
        </Text>
        {mapped ? (
          <Badge color="green" variant="light">
            mapped
          </Badge>
        ) : (
          <Badge color="gray" variant="outline">
            free
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" truncate>
        {mapped
          ? `← ${organizationName ?? `organization ${company.mappedOrganizationId}`}`
          : 'Drop an organization here'}
      </Text>
    </Paper>
  )
}
