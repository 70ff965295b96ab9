/** The HaloPSA implementation of `PsaAdapter`: recurring-invoice lines are the billed lines. */
import type { PsaCompany, PsaLine, PsaProduct } from '../../core/types.ts'
import { AppError } from '../../errors.ts'
import { type Logger, silentLogger } from '../../log.ts'
import type { LineRef, PsaAdapter, QuantityWrite } from '../types.ts'
import { HaloApi, type HaloApiOptions, type HaloConfig } from './api.ts'
import {
  CLIENT_LIST_QUERY,
  clientSchema,
  HALO_PATHS,
  type HaloInvoice,
  INVOICE_LIST_QUERY,
  INVOICE_READ_QUERY,
  invoiceSchema,
  isActiveInvoice,
  itemSchema,
  LIST_KEYS,
  lineFingerprint,
  PAGING_PARAMS,
  quantityUpsertBody,
  toPsaCompany,
  toPsaLine,
  toPsaLines,
  toPsaProduct,
} from './fields.ts'
import { parseHaloResponse } from './parse.ts'

export type { HaloApiOptions as HaloAdapterOptions, HaloConfig } from './api.ts'

const DISPLAY_NAME = 'HaloPSA'

/** Creates a HaloPSA adapter, which sends nothing until a method is called. */
export function createHaloAdapter(config: HaloConfig, options: HaloApiOptions = {}): PsaAdapter {
  return new HaloAdapter(config, options)
}

class HaloAdapter implements PsaAdapter {
  readonly kind = 'halo' as const
  readonly displayName = DISPLAY_NAME
  #api: HaloApi
  #logger: Logger

  constructor(config: HaloConfig, options: HaloApiOptions) {
    this.#logger = options.logger ?? silentLogger
    this.#api = new HaloApi(config, { ...options, logger: this.#logger })
  }

  get requestCount(): number {
    return this.#api.requestCount
  }

  async verifyCredentials(): Promise<void> {
    await this.#api.accessToken()
    // One row of the client list proves that the token also grants read access.
    const onePage = {
      [PAGING_PARAMS.enable]: true,
      [PAGING_PARAMS.size]: 1,
      [PAGING_PARAMS.number]: 1,
    }
    await this.#api.get(HALO_PATHS.clients, onePage)
  }

  async listCompanies(): Promise<PsaCompany[]> {
    const clients = await this.#api.listAll({
      path: HALO_PATHS.clients,
      listKey: LIST_KEYS.clients,
      schema: clientSchema,
      entity: 'client',
      query: CLIENT_LIST_QUERY,
    })
    return clients.flatMap((client) => toPsaCompany(client) ?? [])
  }

  async listProducts(): Promise<PsaProduct[]> {
    const items = await this.#api.listAll({
      path: HALO_PATHS.items,
      listKey: LIST_KEYS.items,
      schema: itemSchema,
      entity: 'item',
    })
    return items.map(toPsaProduct)
  }

  async listLines(): Promise<PsaLine[]> {
    const invoices = await this.#api.listAll({
      path: HALO_PATHS.recurringInvoices,
      listKey: LIST_KEYS.invoices,
      schema: invoiceSchema,
      entity: 'recurring invoice',
      query: INVOICE_LIST_QUERY,
    })
    for (const invoice of invoices) requireLines(invoice, HALO_PATHS.recurringInvoices)
    const lines = invoices.flatMap(toPsaLines)
    this.#logger.info(
      {
        invoices: invoices.length,
        active: invoices.filter(isActiveInvoice).length,
        lines: lines.length,
      },
      'listed HaloPSA recurring-invoice lines',
    )
    return lines
  }

  async getLine(ref: LineRef): Promise<PsaLine | null> {
    const invoice = await this.#readInvoice(ref.agreementId)
    return invoice ? lineOf(invoice, ref.lineId) : null
  }

  async updateQuantity(ref: LineRef, expected: number, next: number): Promise<QuantityWrite> {
    if (!Number.isFinite(next) || next < 0) {
      throw new AppError('bad_request', `Invalid quantity ${next}: use a number of 0 or more.`)
    }
    const invoice = await this.#readInvoice(ref.agreementId)
    const line = invoice ? lineOf(invoice, ref.lineId) : null
    if (!invoice || !line) throw lineNotFound(ref)

    const before = line.quantity
    if (before === next) return { outcome: 'unchanged', before, after: before }
    if (before !== expected) {
      return {
        outcome: 'refused',
        before,
        after: before,
        reason: `Changed in PSA since sync; refresh. HaloPSA holds ${before}, not ${expected}.`,
      }
    }

    const body = quantityUpsertBody(invoice.id, line.id, next)
    await this.#api.post(HALO_PATHS.recurringInvoices, body, true)
    await this.#verifyWrite(invoice, ref, next)
    this.#logger.info(
      { invoiceId: invoice.id, lineId: line.id, before, after: next },
      'updated HaloPSA line quantity',
    )
    return { outcome: 'written', before, after: next }
  }

  /** Reads one recurring invoice with its lines, or returns null when it is gone or inactive. */
  async #readInvoice(invoiceId: number): Promise<HaloInvoice | null> {
    const path = `${HALO_PATHS.recurringInvoices}/${invoiceId}`
    const body = await this.#api.getOrNull(path, INVOICE_READ_QUERY)
    if (body === null) return null
    const invoice = parseHaloResponse(invoiceSchema, body, 'recurring invoice', path)
    requireLines(invoice, path)
    return isActiveInvoice(invoice) ? invoice : null
  }

  /** Re-reads the invoice and throws unless only the target line changed, to `next`. */
  async #verifyWrite(before: HaloInvoice, ref: LineRef, next: number): Promise<void> {
    const after = await this.#readInvoice(ref.agreementId)
    const written = after ? lineOf(after, ref.lineId) : null
    if (!after || !written || written.quantity !== next) {
      throw new AppError(
        'upstream_failed',
        `HaloPSA accepted the quantity ${next} for line ${ref.lineId} of recurring invoice ` +
          `${ref.agreementId}, but a fresh read shows ${written?.quantity ?? 'no such line'}. ` +
          'Check the invoice in HaloPSA before approving again.',
        { ...ref, expected: next },
      )
    }
    const changed = changedOtherLines(before, after, ref.lineId)
    if (changed.length > 0) {
      throw new AppError(
        'upstream_failed',
        `After the quantity update of line ${ref.lineId}, other lines of recurring invoice ` +
          `${ref.agreementId} changed or disappeared in HaloPSA (${changed.join(', ')}). ` +
          'Check the invoice in HaloPSA.',
        { ...ref, changedLineIds: changed },
      )
    }
  }
}

function lineOf(invoice: HaloInvoice, lineId: number): PsaLine | null {
  const line = invoice.lines?.find((candidate) => candidate.id === lineId)
  return line ? toPsaLine(invoice, line) : null
}

/** Ids of lines other than `lineId` whose billed fields differ between two reads. */
function changedOtherLines(before: HaloInvoice, after: HaloInvoice, lineId: number): number[] {
  const afterById = new Map((after.lines ?? []).map((line) => [line.id, lineFingerprint(line)]))
  const changed = (before.lines ?? [])
    .filter((line) => line.id !== lineId && afterById.get(line.id) !== lineFingerprint(line))
    .map((line) => line.id)
  const beforeIds = new Set((before.lines ?? []).map((line) => line.id))
  const added = [...afterById.keys()].filter((id) => !beforeIds.has(id))
  return [...changed, ...added]
}

/** Throws `invalid_response` when Halo left out the lines, so none are taken as removed. */
function requireLines(invoice: HaloInvoice, endpoint: string): void {
  if (invoice.lines != null) return
  throw new AppError(
    'invalid_response',
    `HaloPSA returned recurring invoice ${invoice.id} without its lines at ${endpoint}. ` +
      'Check that the API application may read invoice lines.',
    { invoiceId: invoice.id, endpoint },
  )
}

function lineNotFound(ref: LineRef): AppError {
  return new AppError(
    'not_found',
    `Line ${ref.lineId} of HaloPSA recurring invoice ${ref.agreementId} no longer exists or ` +
      'is inactive. Sync again and review the reconciliation.',
    { ...ref },
  )
}
