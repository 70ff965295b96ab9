/** The filter bar of the reconciliation table: text, status, company and service. */
import { Group, MultiSelect, Select, TextInput } from '@mantine/core'
import type { Table } from '@tanstack/react-table'
import { useMemo } from 'react'
import { ITEM_STATUSES, type ReconciliationItem } from '../api/types.ts'

// Mantine keeps a select's options in the DOM while it is closed. Thousands of companies would
// slow every render of the page, so the select lists a few and typing narrows the list.
const OPTION_LIMIT = 50

function distinct(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b))
}

/** Inputs bound to the table's column filters and global filter. */
export function ReconcileFilters({
  table,
  items,
}: {
  table: Table<ReconciliationItem>
  items: ReconciliationItem[]
}) {
  const companies = useMemo(() => distinct(items.map((item) => item.companyName)), [items])
  const services = useMemo(() => distinct(items.map((item) => item.service)), [items])
  const status = table.getColumn('status')
  const company = table.getColumn('companyName')
  const service = table.getColumn('service')

  return (
    <Group gap="sm" align="flex-end">
      <TextInput
        label="Search"
        placeholder="Name or service"
        value={(table.getState().globalFilter as string | undefined) ?? ''}
        onChange={(event) => table.setGlobalFilter(event.currentTarget.value)}
        w={200}
      />
      <MultiSelect
        label="Status"
        placeholder="Any status"
        data={[...ITEM_STATUSES]}
        value={(status?.getFilterValue() as string[] | undefined) ?? []}
        onChange={(value) => status?.setFilterValue(value.length > 0 ? value : undefined)}
        clearable
        w={220}
        data-testid="status-filter"
      />
      <Select
        label="Company"
        placeholder="Any company"
        data={companies}
        value={(company?.getFilterValue() as string | undefined) ?? null}
        onChange={(value) => company?.setFilterValue(value ?? undefined)}
        searchable
        clearable
        limit={OPTION_LIMIT}
        w={180}
      />
      <Select
        label="Service"
        placeholder="Any service"
        data={services}
        value={(service?.getFilterValue() as string | undefined) ?? null}
        onChange={(value) => service?.setFilterValue(value ?? undefined)}
        clearable
        w={190}
      />
    </Group>
  )
}
