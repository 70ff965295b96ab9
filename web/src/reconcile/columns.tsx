/** Column definitions of the reconciliation table. */
import { Badge, Button, Checkbox, Text, Tooltip, VisuallyHidden } from '@mantine/core'
import { createColumnHelper, type FilterFn, type RowData } from '@tanstack/react-table'
import type { ApprovalOutcome, ApprovalResult, ReconciliationItem } from '../api/types.ts'
import { ItemStatusBadge } from '../components/status-badge.tsx'
import { formatCount, formatDelta, formatMoney, formatShortTime, formatTime } from '../format.ts'
import { OUTCOME_LABELS } from './approval.ts'

declare module '@tanstack/react-table' {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Whether the column takes a share of spare width. */
    grow?: boolean
    align?: 'left' | 'right'
  }
  interface TableMeta<TData extends RowData> {
    outcomes: ReadonlyMap<string, ApprovalResult>
    approvingIds: ReadonlySet<string>
    onApprove: (id: string) => void
  }
}

const WRITABLE = new Set(['under-billed', 'over-billed'])

/** Returns true when approving the line would write a quantity to the PSA. */
export function isWritable(item: ReconciliationItem): boolean {
  return WRITABLE.has(item.status) && !item.dismissed
}

const OUTCOME_COLORS: Record<ApprovalOutcome, string> = {
  written: 'green',
  unchanged: 'gray',
  refused: 'orange',
  failed: 'red',
  skipped: 'gray',
}

function OutcomeBadge({ result }: { result: ApprovalResult }) {
  const change =
    result.before !== null && result.after !== null ? ` (${result.before} → ${result.after})` : ''
  return (
    <Tooltip
      label={result.reason ?? `${OUTCOME_LABELS[result.outcome]}${change}`}
      multiline
      w={260}
    >
      <Badge
        color={OUTCOME_COLORS[result.outcome]}
        variant="light"
        size="sm"
        data-testid={`outcome-${result.id}`}
        data-outcome={result.outcome}
        style={{ cursor: 'help' }}
      >
        {result.outcome}
      </Badge>
    </Tooltip>
  )
}

/** Matches a line whose organization, company or service contains the search text. */
export const searchNames: FilterFn<ReconciliationItem> = (row, _columnId, search: string) => {
  const needle = search.trim().toLowerCase()
  if (needle === '') return true
  const item = row.original
  return `${item.organizationName}\n${item.companyName}\n${item.service}`
    .toLowerCase()
    .includes(needle)
}

/** Renders cell text cut with an ellipsis, with the full text as its title. */
function TruncatedText({ value }: { value: string }) {
  return (
    <Text size="sm" truncate title={value}>
      {value}
    </Text>
  )
}

const column = createColumnHelper<ReconciliationItem>()

const right = { align: 'right' } as const

/** The columns in display order; `size` is each column's minimum width in pixels. */
export const COLUMNS = [
  column.display({
    id: 'select',
    size: 40,
    header: ({ table }) => (
      <Checkbox
        aria-label="Select every shown line"
        checked={table.getIsAllRowsSelected()}
        indeterminate={table.getIsSomeRowsSelected()}
        onChange={table.getToggleAllRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <Checkbox
        aria-label={`Select ${row.original.organizationName}, ${row.original.service}`}
        checked={row.getIsSelected()}
        onChange={row.getToggleSelectedHandler()}
      />
    ),
  }),
  column.accessor('organizationName', {
    header: 'Organization',
    size: 100,
    cell: (info) => <TruncatedText value={info.getValue()} />,
    meta: { grow: true },
  }),
  column.accessor('companyName', {
    header: 'Company',
    size: 96,
    filterFn: 'equals',
    cell: (info) => <TruncatedText value={info.getValue()} />,
    meta: { grow: true },
  }),
  column.accessor('service', {
    header: 'Service',
    size: 110,
    filterFn: 'equals',
    cell: (info) => <TruncatedText value={info.getValue()} />,
    meta: { grow: true },
  }),
  column.accessor('vendorCount', {
    header: 'Vendor count',
    size: 72,
    cell: (info) => formatCount(info.getValue()),
    meta: right,
  }),
  column.accessor('psaQuantity', {
    header: 'PSA qty',
    size: 68,
    cell: (info) => {
      const value = info.getValue()
      return value === null ? '–' : formatCount(value)
    },
    sortUndefined: 'last',
    meta: right,
  }),
  column.accessor('delta', {
    header: 'Delta',
    size: 60,
    cell: (info) => formatDelta(info.getValue()),
    meta: right,
  }),
  column.accessor('monthlyImpact', {
    header: 'Monthly',
    size: 92,
    cell: (info) => formatMoney(info.getValue()),
    meta: right,
  }),
  column.accessor('status', {
    header: 'Status',
    size: 124,
    filterFn: 'arrIncludesSome',
    cell: (info) => <ItemStatusBadge status={info.getValue()} />,
  }),
  column.accessor('lastUpdated', {
    header: 'Last updated',
    size: 120,
    sortingFn: 'basic',
    sortDescFirst: true,
    cell: (info) => (
      <Text size="sm" c="dimmed" title={formatTime(info.getValue())}>
        {formatShortTime(info.getValue())}
      </Text>
    ),
  }),
  column.display({
    id: 'actions',
    size: 96,
    header: () => <VisuallyHidden>Approve</VisuallyHidden>,
    cell: ({ row, table }) => {
      const { outcomes, approvingIds, onApprove } = table.options.meta!
      const outcome = outcomes.get(row.id)
      if (outcome) return <OutcomeBadge result={outcome} />
      if (row.original.dismissed)
        return (
          <Badge variant="outline" color="gray" size="sm">
            dismissed
          </Badge>
        )
      if (!isWritable(row.original)) return null
      return (
        <Button
          size="compact-xs"
          variant="light"
          loading={approvingIds.has(row.id)}
          onClick={() => onApprove(row.id)}
          data-testid={`approve-${row.id}`}
        >
          Approve
        </Button>
      )
    },
  }),
]
