/** The interface every PSA adapter (ConnectWise PSA, Autotask, HaloPSA) implements. */
import type { PsaCompany, PsaLine, PsaProduct } from '../core/types.ts'

export type PsaKind = 'connectwise' | 'autotask' | 'halo'

/** Identifies one billed line: agreement/contract/recurring invoice plus the line itself. */
export interface LineRef {
  agreementId: number
  lineId: number
}

export interface UpdateQuantityOptions {
  /** `YYYY-MM-DD`; PSAs that apply changes from a date (Autotask) use it, others ignore it. */
  effectiveDate?: string
}

/**
 * The result of a quantity update:
 * - `written`: the PSA now contains `after`, verified by a read or the PSA's own response.
 * - `unchanged`: the PSA already held the target, so nothing was sent (a repeat is safe).
 * - `refused`: the PSA's quantity differs from `expected`, so nothing was sent.
 */
export interface QuantityWrite {
  outcome: 'written' | 'unchanged' | 'refused'
  before: number
  after: number
  reason?: string
}

/** One PSA connection. Failures throw `AppError`; expected outcomes return values. */
export interface PsaAdapter {
  readonly kind: PsaKind
  /** Product name for messages, e.g. `ConnectWise PSA`. */
  readonly displayName: string
  /** HTTP requests sent so far, retries included. */
  readonly requestCount: number

  /** Checks the credentials with one cheap call; throws `auth_failed` when rejected. */
  verifyCredentials(): Promise<void>
  /** Active customer companies. */
  listCompanies(): Promise<PsaCompany[]>
  /** The catalog of products/services that lines can bill. */
  listProducts(): Promise<PsaProduct[]>
  /** Active lines of active agreements; every page is read or the call throws. */
  listLines(): Promise<PsaLine[]>
  /** Reads one line fresh from the PSA; null when it no longer exists or is inactive. */
  getLine(ref: LineRef): Promise<PsaLine | null>
  /**
   * Sets a line's quantity to `next` when it still equals `expected`. Re-reads the line
   * first; returns `unchanged` when it already equals `next` and `refused` when it contains
   * anything other than `expected`. Throws `not_found` when the line is gone.
   */
  updateQuantity(
    ref: LineRef,
    expected: number,
    next: number,
    options?: UpdateQuantityOptions,
  ): Promise<QuantityWrite>
}
