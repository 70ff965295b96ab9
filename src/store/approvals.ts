import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'

/** An approval holds its line's lock for one PSA write; a longer hold means a crash. */
export const LOCK_EXPIRY_MS = 5 * 60_000

export type ApprovalOutcome = 'written' | 'unchanged' | 'refused' | 'failed' | 'skipped'

/** One approval attempt of one reconciliation item. */
export interface ApprovalRecord {
  itemId: string
  runId: number
  idempotencyKey: string
  agreementId: number | null
  lineId: number | null
  before: number | null
  after: number | null
  outcome: ApprovalOutcome
  reason: string | null
  actor: string
}

/** A line of the audit log; `details` contains ids and quantities, never a secret. */
export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  subject: string
  details: Record<string, unknown>
}

export interface Dismissal {
  itemId: string
  vendorCount: number
  psaQuantity: number | null
}

/** Approvals, dismissals and the audit log. */
export class ApprovalRepository {
  #db: Kysely<Database>

  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  /** Records an approval attempt and its audit entry in one transaction. */
  async record(approval: ApprovalRecord): Promise<void> {
    const now = new Date().toISOString()
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('approvals')
        .values({
          item_id: approval.itemId,
          run_id: approval.runId,
          idempotency_key: approval.idempotencyKey,
          agreement_id: approval.agreementId,
          line_id: approval.lineId,
          before_quantity: approval.before,
          after_quantity: approval.after,
          outcome: approval.outcome,
          reason: approval.reason,
          actor: approval.actor,
          created_at: now,
        })
        .execute()
      await trx
        .insertInto('audit_log')
        .values({
          at: now,
          actor: approval.actor,
          action: `approve.${approval.outcome}`,
          subject: approval.itemId,
          details: JSON.stringify({
            runId: approval.runId,
            agreementId: approval.agreementId,
            lineId: approval.lineId,
            before: approval.before,
            after: approval.after,
            reason: approval.reason,
          }),
        })
        .execute()
    })
  }

  /**
   * Takes the lock of one PSA line; false when another approval holds it. A lock older than
   * {@link LOCK_EXPIRY_MS} belonged to a process that died, so it is taken over.
   */
  async lockLine(lineKey: string): Promise<boolean> {
    const expired = new Date(Date.now() - LOCK_EXPIRY_MS).toISOString()
    await this.#db
      .deleteFrom('approval_locks')
      .where('line_key', '=', lineKey)
      .where('acquired_at', '<', expired)
      .execute()
    try {
      await this.#db
        .insertInto('approval_locks')
        .values({ line_key: lineKey, acquired_at: new Date().toISOString() })
        .execute()
      return true
    } catch (error) {
      const holder = await this.#db
        .selectFrom('approval_locks')
        .select('line_key')
        .where('line_key', '=', lineKey)
        .executeTakeFirst()
      if (holder) return false
      throw error
    }
  }

  async unlockLine(lineKey: string): Promise<void> {
    await this.#db.deleteFrom('approval_locks').where('line_key', '=', lineKey).execute()
  }

  /** Returns true when an approval with this key already wrote to the PSA. */
  async wasWritten(idempotencyKey: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('approvals')
      .select('id')
      .where('idempotency_key', '=', idempotencyKey)
      .where('outcome', '=', 'written')
      .executeTakeFirst()
    return row !== undefined
  }

  async audit(action: string, subject: string, details: Record<string, unknown>, actor: string) {
    await this.#db
      .insertInto('audit_log')
      .values({
        at: new Date().toISOString(),
        actor,
        action,
        subject,
        details: JSON.stringify(details),
      })
      .execute()
  }

  async auditLog(limit = 200): Promise<AuditEntry[]> {
    const rows = await this.#db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      details: JSON.parse(row.details) as Record<string, unknown>,
    }))
  }

  async dismissals(): Promise<Dismissal[]> {
    const rows = await this.#db.selectFrom('dismissals').selectAll().execute()
    return rows.map((row) => ({
      itemId: row.item_id,
      vendorCount: row.vendor_count,
      psaQuantity: row.psa_quantity,
    }))
  }

  /** Hides an item until its vendor count or PSA quantity changes. */
  async dismiss(dismissal: Dismissal, actor: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('dismissals').where('item_id', '=', dismissal.itemId).execute()
      await trx
        .insertInto('dismissals')
        .values({
          item_id: dismissal.itemId,
          vendor_count: dismissal.vendorCount,
          psa_quantity: dismissal.psaQuantity,
          actor,
          created_at: new Date().toISOString(),
        })
        .execute()
    })
  }

  async clearDismissals(trx: Kysely<Database> = this.#db): Promise<void> {
    await trx.deleteFrom('dismissals').execute()
  }
}
