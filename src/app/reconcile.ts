import { type ReconcileTotals, reconcile, totals } from '../core/reconcile.ts'
import type { ReconciliationItem } from '../core/types.ts'
import type { Snapshot } from '../store/snapshots.ts'
import type { AppContext } from './context.ts'

/** A reconciliation line as interfaces show it: the core item plus its dismissal state. */
export interface ItemView extends ReconciliationItem {
  dismissed: boolean
}

export interface Reconciliation {
  items: ItemView[]
  totals: ReconcileTotals
  /** The run the counts and lines come from; null before the first successful sync. */
  runId: number | null
  /** Milliseconds spent computing the items, for benchmarks. */
  computeMs: number
}

/** Computes the reconciliation of the current snapshot with the current mappings. */
export async function loadReconciliation(ctx: AppContext): Promise<Reconciliation> {
  const snapshot = await ctx.store.snapshots.current()
  if (!snapshot) {
    return { items: [], totals: totals([]), runId: null, computeMs: 0 }
  }
  const [accountMappings, serviceMappings, dismissals] = await Promise.all([
    ctx.store.mappings.accountMappings(),
    ctx.store.mappings.serviceMappings(),
    ctx.store.approvals.dismissals(),
  ])
  const started = performance.now()
  const items = computeItems(snapshot, accountMappings, serviceMappings)
  const computeMs = performance.now() - started
  const dismissedAt = new Map(dismissals.map((dismissal) => [dismissal.itemId, dismissal]))
  const views = items.map((item) => {
    const dismissal = dismissedAt.get(item.id)
    // A dismissal holds only while both numbers stay as they were when it was made.
    const dismissed =
      dismissal !== undefined &&
      dismissal.vendorCount === item.vendorCount &&
      dismissal.psaQuantity === item.psaQuantity
    return { ...item, dismissed }
  })
  const active = views.filter((item) => !item.dismissed)
  return { items: views, totals: totals(active), runId: snapshot.run.id, computeMs }
}

function computeItems(
  snapshot: Snapshot,
  accountMappings: Parameters<typeof reconcile>[0]['accountMappings'],
  serviceMappings: Parameters<typeof reconcile>[0]['serviceMappings'],
): ReconciliationItem[] {
  return reconcile({
    organizations: snapshot.organizations,
    companies: snapshot.companies,
    products: snapshot.products,
    counts: snapshot.counts,
    countsSyncedAt: snapshot.run.finishedAt ?? snapshot.run.startedAt,
    lines: snapshot.lines,
    accountMappings,
    serviceMappings,
  })
}
