/** The ConnectWise PSA implementation of `PsaAdapter`: agreement additions are the lines. */
import { z } from 'zod'
import type { PsaCompany, PsaLine, PsaProduct } from '../../core/types.ts'
import { AppError } from '../../errors.ts'
import { type Logger, silentLogger } from '../../log.ts'
import type { LineRef, PsaAdapter, QuantityWrite } from '../types.ts'
import { ConnectWiseApi, type ConnectWiseApiOptions, type ConnectWiseConfig } from './api.ts'
import { mapWithConcurrency } from './concurrency.ts'
import {
  type Addition,
  type Agreement,
  additionSchema,
  agreementSchema,
  type Company,
  catalogItemSchema,
  companySchema,
} from './schemas.ts'

export type { ConnectWiseConfig } from './api.ts'

/** Adapter settings. `concurrency` is the max number of parallel addition reads (default 4). */
export interface ConnectWiseAdapterOptions extends ConnectWiseApiOptions {
  concurrency?: number
}

const DISPLAY_NAME = 'ConnectWise PSA'
const ACTIVE_AGREEMENTS = 'agreementStatus="Active" and cancelledFlag=false'
// NOTE: company type names are editable per site. Only the stock names of non-customer
// types are skipped here, and a company of any other type is listed.
const NON_CUSTOMER_TYPES = new Set(['prospect', 'vendor'])
const systemInfoSchema = z.object({ version: z.string().nullish() })

/** Creates a ConnectWise PSA adapter. It sends no request until a method is called. */
export function createConnectWiseAdapter(
  config: ConnectWiseConfig,
  options: ConnectWiseAdapterOptions = {},
): PsaAdapter {
  return new ConnectWiseAdapter(config, options)
}

class ConnectWiseAdapter implements PsaAdapter {
  readonly kind = 'connectwise' as const
  readonly displayName = DISPLAY_NAME
  #api: ConnectWiseApi
  #logger: Logger
  #concurrency: number

  constructor(config: ConnectWiseConfig, options: ConnectWiseAdapterOptions) {
    this.#logger = options.logger ?? silentLogger
    this.#api = new ConnectWiseApi(config, { ...options, logger: this.#logger })
    this.#concurrency = Math.max(1, options.concurrency ?? 4)
  }

  get requestCount(): number {
    return this.#api.requestCount
  }

  async verifyCredentials(): Promise<void> {
    await this.#api.get('/system/info', systemInfoSchema, 'system info')
  }

  async listCompanies(): Promise<PsaCompany[]> {
    const companies = await this.#api.listAll(
      '/company/companies',
      companySchema,
      'company',
      'deletedFlag=false',
    )
    const customers = companies.filter(isCustomer)
    this.#logger.info(
      { received: companies.length, listed: customers.length },
      'listed ConnectWise PSA companies',
    )
    return customers.map((company) => ({ id: company.id, name: company.name }))
  }

  async listProducts(): Promise<PsaProduct[]> {
    const items = await this.#api.listAll(
      '/procurement/catalog',
      catalogItemSchema,
      'catalog item',
      'inactiveFlag=false',
    )
    const active = items.filter((item) => item.inactiveFlag !== true)
    this.#logger.info({ products: active.length }, 'listed ConnectWise PSA catalog items')
    return active.map((item) => ({
      id: item.id,
      name: item.description,
      identifier: item.identifier ?? null,
      unitPrice: item.price ?? null,
    }))
  }

  async listLines(): Promise<PsaLine[]> {
    const agreements = await this.#api.listAll(
      '/finance/agreements',
      agreementSchema,
      'agreement',
      ACTIVE_AGREEMENTS,
    )
    const active = agreements.filter(isActiveAgreement)
    const perAgreement = await mapWithConcurrency(active, this.#concurrency, (agreement) =>
      this.#activeLinesOf(agreement),
    )
    const lines = perAgreement.flat()
    this.#logger.info(
      { agreements: active.length, lines: lines.length },
      'listed ConnectWise PSA agreement additions',
    )
    return lines
  }

  async getLine(ref: LineRef): Promise<PsaLine | null> {
    const addition = await this.#readAddition(ref)
    if (addition === null || !isActiveAddition(addition)) return null

    const agreement = await this.#api.getOrNull(
      `/finance/agreements/${ref.agreementId}`,
      agreementSchema,
      'agreement',
    )
    if (agreement === null || !isActiveAgreement(agreement)) return null
    return toLine(agreement, addition)
  }

  async updateQuantity(ref: LineRef, expected: number, next: number): Promise<QuantityWrite> {
    if (!Number.isFinite(next) || next < 0) {
      throw new AppError('bad_request', `Invalid quantity ${next}: use a number of 0 or more.`)
    }
    const current = (await this.#readActiveAddition(ref)).quantity
    const ids = { agreementId: ref.agreementId, additionId: ref.lineId }

    if (current === next) {
      this.#logger.info({ ...ids, quantity: current }, 'addition already has the target quantity')
      return { outcome: 'unchanged', before: current, after: current }
    }
    if (current !== expected) {
      this.#logger.warn({ ...ids, expected, found: current, next }, 'quantity write rejected')
      return {
        outcome: 'refused',
        before: current,
        after: current,
        reason:
          `Quantity changed in ConnectWise PSA since sync (expected ${expected}, found ` +
          `${current}); run sync and review.`,
      }
    }

    await this.#writeQuantity(ref, next)
    this.#logger.info({ ...ids, before: current, after: next }, 'wrote addition quantity')
    return { outcome: 'written', before: current, after: next }
  }

  async #activeLinesOf(agreement: Agreement): Promise<PsaLine[]> {
    const additions = await this.#api.listAll(
      `/finance/agreements/${agreement.id}/additions`,
      additionSchema,
      'addition',
    )
    return additions
      .filter((addition) => isActiveAddition(addition))
      .map((addition) => toLine(agreement, addition))
  }

  #readAddition(ref: LineRef): Promise<Addition | null> {
    return this.#api.getOrNull(additionPath(ref), additionSchema, 'addition')
  }

  async #readActiveAddition(ref: LineRef): Promise<Addition> {
    const addition = await this.#readAddition(ref)
    const name = `Addition ${ref.lineId} of agreement ${ref.agreementId}`
    if (addition === null) {
      throw new AppError('not_found', `${name} no longer exists in ConnectWise PSA; run sync.`, {
        ...ref,
      })
    }
    if (!isActiveAddition(addition)) {
      throw new AppError(
        'not_found',
        `${name} was cancelled in ConnectWise PSA (cancelledDate ${addition.cancelledDate}); ` +
          'run sync.',
        { ...ref },
      )
    }
    return addition
  }

  async #writeQuantity(ref: LineRef, next: number): Promise<void> {
    const operations = [{ op: 'replace', path: 'quantity', value: next }]
    const updated = await this.#api.patch(additionPath(ref), operations, additionSchema, 'addition')
    if (updated.quantity !== next) {
      throw new AppError(
        'upstream_failed',
        `ConnectWise PSA accepted the quantity change of addition ${ref.lineId} of agreement ` +
          `${ref.agreementId} but returned quantity ${updated.quantity} instead of ${next}. ` +
          'Check the addition in ConnectWise PSA before trying again.',
        { ...ref, expected: next, returned: updated.quantity },
      )
    }
  }
}

function additionPath(ref: LineRef): string {
  if (!isRecordId(ref.agreementId) || !isRecordId(ref.lineId)) {
    throw new AppError(
      'bad_request',
      `Invalid line reference ${ref.agreementId}/${ref.lineId}: ConnectWise PSA ids are ` +
        'positive whole numbers.',
    )
  }
  return `/finance/agreements/${ref.agreementId}/additions/${ref.lineId}`
}

function isRecordId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0
}

function isCustomer(company: Company): boolean {
  if (company.deletedFlag === true) return false
  const types = company.types ?? []
  return (
    types.length === 0 || types.some((type) => !NON_CUSTOMER_TYPES.has(type.name.toLowerCase()))
  )
}

// The list conditions already filter these, but the filter is repeated here so that a
// server that ignores `conditions` cannot slip inactive records into billing.
function isActiveAgreement(agreement: Agreement): boolean {
  const status = agreement.agreementStatus
  return agreement.cancelledFlag !== true && (status == null || status === 'Active')
}

/** Returns whether an addition bills: its `cancelledDate` is unset or in the future. */
function isActiveAddition(addition: Addition, now = Date.now()): boolean {
  const cancelled = addition.cancelledDate
  return cancelled == null || Date.parse(cancelled) > now
}

function toLine(agreement: Agreement, addition: Addition): PsaLine {
  return {
    id: addition.id,
    agreementId: agreement.id,
    agreementName: agreement.name,
    companyId: agreement.company.id,
    productId: addition.product.id,
    quantity: addition.quantity,
    lessIncluded: addition.lessIncluded ?? 0,
    unitPrice: addition.unitPrice ?? 0,
    updatedAt: addition._info?.lastUpdated ?? null,
  }
}
