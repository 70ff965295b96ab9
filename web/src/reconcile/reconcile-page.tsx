/** The reconcile page: totals, filters, the virtualized table and approve or dismiss. */
import { Button, Group, Modal, Stack, Switch, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import {
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  type RowSelectionState,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table'
import { useMemo, useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../api/client.ts'
import { keys, useIntegrations } from '../api/queries.ts'
import type { ReconciliationItem, ReconciliationView } from '../api/types.ts'
import { EmptyMessage, ErrorState, LoadingState } from '../components/page-state.tsx'
import { connectedPsa } from '../integrations/integration-state.ts'
import { VENDORS } from '../integrations/vendors.ts'
import { useApproval } from './approval.ts'
import { COLUMNS, searchNames } from './columns.tsx'
import {
  EffectiveDateInput,
  effectiveDateNote,
  effectiveDay,
  firstOfNextMonth,
} from './effective-date.tsx'
import { ReconcileFilters } from './filters.tsx'
import { ReconcileTable } from './reconcile-table.tsx'
import { StaleSyncAlert } from './stale-sync-alert.tsx'
import { ReconcileTotals } from './totals.tsx'

const DEFAULT_SORTING: SortingState = [{ id: 'lastUpdated', desc: true }]

function useReconcileTable(items: ReconciliationItem[], approval: ReturnType<typeof useApproval>) {
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_SORTING)
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({})
  const [globalFilter, setGlobalFilter] = useState('')
  const approvingIds = useMemo(
    () => new Set(approval.approve.isPending ? (approval.approve.variables?.ids ?? []) : []),
    [approval.approve.isPending, approval.approve.variables],
  )
  return useReactTable({
    data: items,
    columns: COLUMNS,
    state: { sorting, rowSelection, globalFilter },
    onSortingChange: setSorting,
    onRowSelectionChange: setRowSelection,
    onGlobalFilterChange: setGlobalFilter,
    globalFilterFn: searchNames,
    getRowId: (item) => item.id,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
    meta: {
      outcomes: approval.outcomes,
      approvingIds,
      onApprove: (id) => approval.approve.mutate({ ids: [id], source: 'row' }),
    },
  })
}

function BulkApproveModal({
  count,
  psaName,
  effectiveNote,
  opened,
  onClose,
  onConfirm,
}: {
  count: number
  psaName: string
  /** Null for a PSA that applies changes at once. */
  effectiveNote: string | null
  opened: boolean
  onClose: () => void
  onConfirm: () => void
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Approve selected lines?">
      <Stack>
        <Text size="sm">
          This writes the vendor count of {count} selected lines to {psaName} as the new quantity.
          Lines that are not under- or over-billed are skipped, and lines changed in the PSA since
          the sync are refused.
        </Text>
        {effectiveNote && <Text size="sm">{effectiveNote}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={onConfirm}>Approve {count} lines</Button>
        </Group>
      </Stack>
    </Modal>
  )
}

function ReconcileActions(props: {
  selectedCount: number
  approving: boolean
  dismissing: boolean
  onApprove: () => void
  onDismiss: () => void
  /** Null hides the input, which only Autotask uses. */
  effectiveDate: string | null
  onEffectiveDate: (value: string) => void
  showDismissed: boolean
  onShowDismissed: (value: boolean) => void
  lineCounts: { shown: number; total: number }
}) {
  const { selectedCount, effectiveDate, lineCounts } = props
  return (
    <Group justify="space-between" align="flex-end">
      <Group gap="xs" align="flex-end">
        <Button disabled={selectedCount === 0} loading={props.approving} onClick={props.onApprove}>
          Approve selected ({selectedCount})
        </Button>
        <Button
          variant="default"
          disabled={selectedCount === 0}
          loading={props.dismissing}
          onClick={props.onDismiss}
        >
          Dismiss
        </Button>
        {effectiveDate !== null && (
          <EffectiveDateInput value={effectiveDate} onChange={props.onEffectiveDate} />
        )}
      </Group>
      <Group gap="md">
        <Switch
          label="Show dismissed"
          checked={props.showDismissed}
          onChange={(event) => props.onShowDismissed(event.currentTarget.checked)}
        />
        <Text size="sm" c="dimmed" data-testid="line-count">
          {lineCounts.shown.toLocaleString('en-US')} of {lineCounts.total.toLocaleString('en-US')}{' '}
          lines
        </Text>
      </Group>
    </Group>
  )
}

function ReconcileView({ view, psaKind }: { view: ReconciliationView; psaKind: string | null }) {
  const [showDismissed, setShowDismissed] = useState(false)
  // Autotask applies unit changes from a chosen day, by default the first day of next month.
  const [effectiveDate, setEffectiveDate] = useState(firstOfNextMonth)
  const [confirming, setConfirming] = useState(false)
  const usesEffectiveDate = psaKind === 'autotask'
  const approval = useApproval(usesEffectiveDate ? effectiveDay(effectiveDate) : null)
  const items = useMemo(
    () => (showDismissed ? view.items : view.items.filter((item) => !item.dismissed)),
    [view.items, showDismissed],
  )
  const table = useReconcileTable(items, approval)
  // Only selected lines that the filters show are approved or dismissed.
  const selectedIds = table.getFilteredSelectedRowModel().rows.map((row) => row.id)
  const filteredCount = table.getRowModel().rows.length
  const psaName = VENDORS.find((vendor) => vendor.kind === psaKind)?.name ?? 'the PSA'

  const approveSelected = () => {
    setConfirming(false)
    approval.approve.mutate(
      { ids: selectedIds, source: 'selection' },
      { onSuccess: () => table.resetRowSelection() },
    )
  }
  const dismissSelected = () =>
    approval.dismiss.mutate(selectedIds, { onSuccess: () => table.resetRowSelection() })

  return (
    <Stack gap="sm">
      <StaleSyncAlert />
      <ReconcileTotals totals={view.totals} />
      <ReconcileFilters table={table} items={items} />
      <ReconcileActions
        selectedCount={selectedIds.length}
        approving={approval.approve.isPending && approval.approve.variables?.source === 'selection'}
        dismissing={approval.dismiss.isPending}
        onApprove={() => setConfirming(true)}
        onDismiss={dismissSelected}
        effectiveDate={usesEffectiveDate ? effectiveDate : null}
        onEffectiveDate={setEffectiveDate}
        showDismissed={showDismissed}
        onShowDismissed={setShowDismissed}
        lineCounts={{ shown: filteredCount, total: items.length }}
      />
      <ReconcileTable table={table} />
      <BulkApproveModal
        count={selectedIds.length}
        psaName={psaName}
        effectiveNote={usesEffectiveDate ? effectiveDateNote(effectiveDate) : null}
        opened={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={approveSelected}
      />
    </Stack>
  )
}

/** Loads the reconciliation and renders it, or explains what is missing. */
export function ReconcilePage() {
  const reconciliation = useQuery({ queryKey: keys.reconciliation, queryFn: api.reconciliation })
  const integrations = useIntegrations()
  const psa = connectedPsa(integrations.data)

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">
        Reconcile
      </Title>
      {reconciliation.isPending && <LoadingState label="Computing the reconciliation…" />}
      {reconciliation.isError && (
        <ErrorState
          title="Could not load the reconciliation"
          error={reconciliation.error}
          onRetry={() => void reconciliation.refetch()}
        />
      )}
      {reconciliation.data && reconciliation.data.items.length === 0 && (
        <EmptyMessage
          title="Nothing to reconcile yet"
          description="Lines appear once accounts and services are mapped and a sync has finished."
          action={
            <Button component={Link} to="/accounts">
              Map accounts
            </Button>
          }
        />
      )}
      {reconciliation.data && reconciliation.data.items.length > 0 && (
        <ReconcileView view={reconciliation.data} psaKind={psa?.kind ?? null} />
      )}
    </Stack>
  )
}
