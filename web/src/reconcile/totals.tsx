/** Totals of under- and over-billing above the reconciliation table. */
import { Paper, SimpleGrid, Text } from '@mantine/core'
import type { ReconciliationView } from '../api/types.ts'
import { formatCount, formatMoney } from '../format.ts'

function Stat({
  label,
  value,
  hint,
  color,
  testId,
}: {
  label: string
  value: string
  hint: string
  color?: string
  testId: string
}) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz="xl" fw={700} c={color}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Paper>
  )
}

/** Four stats: under-billed and over-billed amounts per month, and line counts. */
export function ReconcileTotals({ totals }: { totals: ReconciliationView['totals'] }) {
  const { byStatus } = totals
  const toFix = (byStatus['under-billed'] ?? 0) + (byStatus['over-billed'] ?? 0)
  const ambiguous = formatCount(byStatus.ambiguous ?? 0)
  const newRevenue = formatCount(byStatus['new-revenue'] ?? 0)
  return (
    <SimpleGrid cols={4} spacing="sm">
      <Stat
        label="Under-billed"
        value={formatMoney(totals.underBilled)}
        hint={`${formatCount(byStatus['under-billed'] ?? 0)} lines, per month`}
        color="red.7"
        testId="total-under-billed"
      />
      <Stat
        label="Over-billed"
        value={formatMoney(totals.overBilled)}
        hint={`${formatCount(byStatus['over-billed'] ?? 0)} lines, per month`}
        color="orange.7"
        testId="total-over-billed"
      />
      <Stat
        label="Lines to approve"
        value={formatCount(toFix)}
        hint={`${ambiguous} ambiguous; ${newRevenue} new revenue (${formatMoney(totals.newRevenue)})`}
        testId="total-to-approve"
      />
      <Stat
        label="Matching lines"
        value={formatCount(byStatus.match ?? 0)}
        hint="PSA quantity equals the vendor count"
        color="green.7"
        testId="total-matching"
      />
    </SimpleGrid>
  )
}
