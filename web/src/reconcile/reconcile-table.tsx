/**
 * The virtualized reconciliation table: only the rows in view are in the DOM, so tens of
 * thousands of lines scroll smoothly. Rows are absolutely positioned inside a grid body.
 */
import { Box, Table, Text, UnstyledButton } from '@mantine/core'
import {
  type Cell,
  flexRender,
  type Header,
  type Row,
  type Table as TableModel,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { type CSSProperties, memo, useRef } from 'react'
import type { ApprovalResult, ReconciliationItem } from '../api/types.ts'

const ROW_HEIGHT = 41

/** Height of the scrolling area: the viewport minus the header, totals and filters. */
const TABLE_HEIGHT = 'max(300px, calc(100vh - 390px))'

function cellStyle(
  column:
    | Cell<ReconciliationItem, unknown>['column']
    | Header<ReconciliationItem, unknown>['column'],
): CSSProperties {
  const size = column.getSize()
  const meta = column.columnDef.meta
  return {
    display: 'flex',
    alignItems: 'center',
    justifyContent: meta?.align === 'right' ? 'flex-end' : 'flex-start',
    flex: meta?.grow ? `1 1 ${size}px` : `0 0 ${size}px`,
    minWidth: size,
    overflow: 'hidden',
  }
}

const SORT_MARKS = { asc: ' ▲', desc: ' ▼' } as const
const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const

function HeaderCell({ header }: { header: Header<ReconciliationItem, unknown> }) {
  const sorted = header.column.getIsSorted()
  const content = flexRender(header.column.columnDef.header, header.getContext())
  return (
    <Table.Th style={cellStyle(header.column)} aria-sort={sorted ? ARIA_SORT[sorted] : undefined}>
      {header.column.getCanSort() ? (
        <UnstyledButton
          onClick={header.column.getToggleSortingHandler()}
          fw={600}
          fz="sm"
          ta={header.column.columnDef.meta?.align ?? 'left'}
          data-testid={`sort-${header.column.id}`}
        >
          {content}
          {sorted ? SORT_MARKS[sorted] : ''}
        </UnstyledButton>
      ) : (
        content
      )}
    </Table.Th>
  )
}

interface BodyRowProps {
  row: Row<ReconciliationItem>
  start: number
  /** Selection, approval and outcome: the state a memoized row must re-render for. */
  selected: boolean
  approving: boolean
  outcome: ApprovalResult | undefined
}

/** One row; memoized so that scrolling renders only the rows that come into view. */
const BodyRow = memo(function BodyRow({ row, start, selected }: BodyRowProps) {
  return (
    <Table.Tr
      data-testid={`row-${row.id}`}
      data-index={row.index}
      bg={selected ? 'var(--mantine-color-blue-light)' : undefined}
      style={{
        display: 'flex',
        position: 'absolute',
        width: '100%',
        height: ROW_HEIGHT,
        transform: `translateY(${start}px)`,
      }}
    >
      {row.getVisibleCells().map((cell) => (
        <Table.Td key={cell.id} style={{ ...cellStyle(cell.column), whiteSpace: 'nowrap' }}>
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </Table.Td>
      ))}
    </Table.Tr>
  )
})

/** Renders the rows of `table` that are in view. */
export function ReconcileTable({ table }: { table: TableModel<ReconciliationItem> }) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const { rows } = table.getRowModel()
  const meta = table.options.meta!
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  })
  const minWidth = table.getVisibleLeafColumns().reduce((sum, column) => sum + column.getSize(), 0)

  return (
    <Box
      ref={scrollRef}
      h={TABLE_HEIGHT}
      style={{ overflow: 'auto', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}
      data-testid="reconcile-scroll"
    >
      <Table
        style={{ display: 'grid', minWidth }}
        aria-rowcount={rows.length + 1}
        data-testid="reconcile-table"
      >
        <Table.Thead
          style={{ display: 'grid', position: 'sticky', top: 0, zIndex: 1 }}
          bg="var(--mantine-color-body)"
        >
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id} style={{ display: 'flex', width: '100%' }}>
              {group.headers.map((header) => (
                <HeaderCell key={header.id} header={header} />
              ))}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody
          style={{ display: 'grid', position: 'relative', height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((virtualRow) => {
            const row = rows[virtualRow.index]
            if (!row) return null
            return (
              <BodyRow
                key={row.id}
                row={row}
                start={virtualRow.start}
                selected={row.getIsSelected()}
                approving={meta.approvingIds.has(row.id)}
                outcome={meta.outcomes.get(row.id)}
              />
            )
          })}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && (
        <Text c="dimmed" ta="center" p="lg">
          No line matches the filters.
        </Text>
      )}
    </Box>
  )
}
