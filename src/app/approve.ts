import { AppError, isAppError } from '../errors.ts'
import type { PsaAdapter } from '../psa/types.ts'
import type { ApprovalOutcome } from '../store/approvals.ts'
import type { AppContext } from './context.ts'
import { connectedPsa } from './integrations.ts'
import { type ItemView, loadReconciliation } from './reconcile.ts'

export interface ApproveOptions {
  /** Item ids to approve, or `all` for every under- or over-billed line. */
  items: string[] | 'all'
  dryRun?: boolean
  /** Allows writing a quantity of 0, which is refused by default. */
  allowZero?: boolean
  /** `YYYY-MM-DD` for PSAs that apply changes from a date. */
  effectiveDate?: string
}

/** The outcome of approving one item. */
export interface ApprovalResult {
  id: string
  outcome: ApprovalOutcome
  reason: string | null
  before: number | null
  after: number | null
}

const WRITABLE = new Set(['under-billed', 'over-billed'])

/**
 * Writes vendor counts to the PSA as line quantities. Every id is checked before anything is
 * written; each write re-reads the line and is refused when the PSA changed since the sync.
 * Nothing is written when the latest sync failed, because the counts may be stale.
 */
export async function approve(ctx: AppContext, options: ApproveOptions): Promise<ApprovalResult[]> {
  const reconciliation = await loadReconciliation(ctx)
  const items = selectItems(reconciliation.items, options.items)
  const latest = await ctx.store.snapshots.latestRun()
  const psa = await connectedPsa(ctx)
  if (!psa) {
    throw new AppError('not_connected', 'No PSA is connected. Run: msp-recon connect connectwise')
  }
  if (latest && latest.status !== 'succeeded') {
    const reason =
      `The latest sync (run ${latest.id}) did not succeed, so counts may be stale; nothing ` +
      'was written. Sync again (msp-recon sync, or Sync now in the web app) and review.'
    return items.map((item) => blocked(item, 'refused', reason))
  }
  const results: ApprovalResult[] = []
  for (const item of items) {
    results.push(await approveItem(ctx, psa, item, reconciliation.runId!, options))
  }
  return results
}

function selectItems(items: ItemView[], requested: string[] | 'all'): ItemView[] {
  if (requested === 'all')
    return items.filter((item) => WRITABLE.has(item.status) && !item.dismissed)
  const byId = new Map(items.map((item) => [item.id, item]))
  const unknown = requested.filter((id) => !byId.has(id))
  if (unknown.length > 0) {
    throw new AppError(
      'not_found',
      `Unknown reconciliation item ${unknown.join(', ')}. List item ids with: msp-recon reconcile`,
      { unknown },
    )
  }
  return [...new Set(requested)].map((id) => byId.get(id)!)
}

function blocked(item: ItemView, outcome: ApprovalOutcome, reason: string): ApprovalResult {
  return { id: item.id, outcome, reason, before: item.psaQuantity, after: null }
}

function skipReason(item: ItemView, options: ApproveOptions): string | undefined {
  if (item.status === 'ambiguous') {
    return (
      `Two or more PSA lines (${item.candidateLineIds.join(', ')}) bill ${item.service}; ` +
      'keep one or map the products to different services.'
    )
  }
  if (item.status === 'new-revenue') {
    return `No PSA line bills ${item.service} for ${item.companyName}; add one in the PSA, then sync.`
  }
  if (item.vendorCount === 0 && !options.allowZero) {
    return 'The vendor count is 0; a zero quantity is written only with --allow-zero.'
  }
  return undefined
}

async function approveItem(
  ctx: AppContext,
  psa: PsaAdapter,
  item: ItemView,
  runId: number,
  options: ApproveOptions,
): Promise<ApprovalResult> {
  if (item.status === 'match') {
    return {
      id: item.id,
      outcome: 'unchanged',
      reason: 'Already matches.',
      before: item.psaQuantity,
      after: item.psaQuantity,
    }
  }
  const skip = skipReason(item, options)
  if (skip) return blocked(item, 'skipped', skip)

  const ref = { agreementId: item.agreementId!, lineId: item.additionId! }
  if (options.dryRun) return dryRun(psa, item, ref, item.psaQuantity!, item.vendorCount)
  // Two approvals of one line at once (a double click, two tabs, CLI and web) would both read
  // the old quantity, and Autotask's delta writes would then apply twice.
  const lineKey = `${psa.kind}:${ref.agreementId}:${ref.lineId}`
  if (!(await ctx.store.approvals.lockLine(lineKey))) {
    return blocked(item, 'skipped', 'Another approval of this line is running; refresh shortly.')
  }
  try {
    return await writeItem(ctx, psa, item, runId, ref, options)
  } finally {
    await ctx.store.approvals.unlockLine(lineKey)
  }
}

async function writeItem(
  ctx: AppContext,
  psa: PsaAdapter,
  item: ItemView,
  runId: number,
  ref: { agreementId: number; lineId: number },
  options: ApproveOptions,
): Promise<ApprovalResult> {
  const before = item.psaQuantity!
  const after = item.vendorCount
  const key = `${item.id}|run:${runId}|${before}->${after}`
  if (await ctx.store.approvals.wasWritten(key)) {
    return {
      id: item.id,
      outcome: 'unchanged',
      reason: 'Already written by an earlier approval.',
      before,
      after,
    }
  }

  let result: ApprovalResult
  try {
    const write = await psa.updateQuantity(ref, before, after, {
      effectiveDate: options.effectiveDate,
    })
    result = {
      id: item.id,
      outcome: write.outcome,
      reason: write.reason ?? null,
      before: write.before,
      after: write.after,
    }
    if (write.outcome !== 'refused') {
      await ctx.store.snapshots.setLineQuantity(runId, ref.agreementId, ref.lineId, write.after)
    }
  } catch (error) {
    if (!isAppError(error)) throw error
    result = { id: item.id, outcome: 'failed', reason: error.message, before, after: null }
  }
  await ctx.store.approvals.record({
    itemId: item.id,
    runId,
    idempotencyKey: key,
    agreementId: ref.agreementId,
    lineId: ref.lineId,
    before: result.before,
    after: result.after,
    outcome: result.outcome,
    reason: result.reason,
    actor: ctx.actor,
  })
  ctx.logger.info({ item: item.id, psa: psa.kind, ...result }, 'approval')
  return result
}

async function dryRun(
  psa: PsaAdapter,
  item: ItemView,
  ref: { agreementId: number; lineId: number },
  before: number,
  after: number,
): Promise<ApprovalResult> {
  const line = await psa.getLine(ref)
  if (!line) return blocked(item, 'refused', 'The PSA line no longer exists; run sync.')
  if (line.quantity !== before) {
    return blocked(
      item,
      'refused',
      `Quantity changed in ${psa.displayName} since sync (expected ${before}, found ` +
        `${line.quantity}); run sync and review.`,
    )
  }
  return {
    id: item.id,
    outcome: 'skipped',
    reason: `Dry run: would write ${before} → ${after}.`,
    before,
    after,
  }
}

/** Dismisses items until their vendor count or PSA quantity changes. */
export async function dismiss(ctx: AppContext, ids: string[]): Promise<void> {
  const reconciliation = await loadReconciliation(ctx)
  const items = selectItems(reconciliation.items, ids)
  for (const item of items) {
    await ctx.store.approvals.dismiss(
      { itemId: item.id, vendorCount: item.vendorCount, psaQuantity: item.psaQuantity },
      ctx.actor,
    )
    await ctx.store.approvals.audit(
      'dismiss',
      item.id,
      { vendorCount: item.vendorCount, psaQuantity: item.psaQuantity },
      ctx.actor,
    )
  }
}
