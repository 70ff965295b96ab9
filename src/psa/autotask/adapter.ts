/**
 * The Autotask PSA implementation of `PsaAdapter`. Contract services of active contracts
 * are the lines, and their ContractServiceUnits give the quantities.
 */
import type { z } from 'zod'
import type { PsaCompany, PsaLine, PsaProduct } from '../../core/types.ts'
import { AppError, isAppError } from '../../errors.ts'
import { type Logger, silentLogger } from '../../log.ts'
import { HttpStatusError } from '../../net/http-client.ts'
import type { LineRef, PsaAdapter, QuantityWrite, UpdateQuantityOptions } from '../types.ts'
import {
  AutotaskApi,
  type AutotaskApiOptions,
  type AutotaskConfig,
  type QueryCondition,
} from './api.ts'
import {
  batches,
  buildLines,
  firstOfNextMonth,
  periodsOnDay,
  resolveEffectiveDate,
  toLine,
  unitsOnDay,
} from './lines.ts'
import {
  type Contract,
  type ContractService,
  companySchema,
  contractSchema,
  contractServiceSchema,
  serviceSchema,
  unitPeriodSchema,
} from './schemas.ts'

export type { AutotaskConfig } from './api.ts'

/** Adapter settings. `today` sets the date that selects the current billing periods. */
export interface AutotaskAdapterOptions extends AutotaskApiOptions {
  today?: () => Date
}

const DISPLAY_NAME = 'Autotask PSA'
const ALL_RECORDS: QueryCondition = { op: 'gte', field: 'id', value: 0 }
const CUSTOMER_COMPANY_TYPE = 1
const ACTIVE_CONTRACT_STATUS = 1
/**
 * Ids per `in` filter. Batching keeps a sync at a few requests per thousand lines, far below
 * the 10,000 requests an hour that integrators report Autotask allows per database.
 */
const IDS_PER_QUERY = 500

interface LineContext {
  contract: Contract
  service: ContractService
}

/** Creates an Autotask adapter. It sends nothing until a method is called. */
export function createAutotaskAdapter(
  config: AutotaskConfig,
  options: AutotaskAdapterOptions = {},
): PsaAdapter {
  return new AutotaskAdapter(config, options)
}

class AutotaskAdapter implements PsaAdapter {
  readonly kind = 'autotask' as const
  readonly displayName = DISPLAY_NAME
  readonly #api: AutotaskApi
  readonly #logger: Logger
  readonly #today: () => Date

  constructor(config: AutotaskConfig, options: AutotaskAdapterOptions) {
    this.#logger = options.logger ?? silentLogger
    this.#api = new AutotaskApi(config, { ...options, logger: this.#logger })
    this.#today = options.today ?? (() => new Date())
  }

  get requestCount(): number {
    return this.#api.requestCount
  }

  async verifyCredentials(): Promise<void> {
    await this.#api.query('Companies', [ALL_RECORDS], companySchema, {
      maxRecords: 1,
      firstPageOnly: true,
    })
  }

  async listCompanies(): Promise<PsaCompany[]> {
    const companies = await this.#api.query(
      'Companies',
      [
        { op: 'eq', field: 'isActive', value: true },
        { op: 'eq', field: 'companyType', value: CUSTOMER_COMPANY_TYPE },
      ],
      companySchema,
    )
    this.#logger.info({ companies: companies.length }, 'listed Autotask customer companies')
    return companies.map((company) => ({ id: company.id, name: company.companyName }))
  }

  async listProducts(): Promise<PsaProduct[]> {
    const filter = [{ op: 'eq', field: 'isActive', value: true }]
    const services = await this.#api.query('Services', filter, serviceSchema)
    this.#logger.info({ services: services.length }, 'listed Autotask services')
    return services.map((service) => ({
      id: service.id,
      name: service.name,
      identifier: null,
      unitPrice: service.unitPrice ?? null,
    }))
  }

  /**
   * The day whose units reconciliation compares: the first of next month, where Autotask
   * applies approved changes by default. A line then shows a scheduled change as made.
   */
  #billingDay(): string {
    return firstOfNextMonth(this.#today())
  }

  async listLines(): Promise<PsaLine[]> {
    const started = Date.now()
    const day = this.#billingDay()
    const companies = await this.listCompanies()
    const contracts = await this.#queryByIds(
      'Contracts',
      'companyID',
      companies.map((company) => company.id),
      contractSchema,
      [{ op: 'eq', field: 'status', value: ACTIVE_CONTRACT_STATUS }],
    )
    const services = await this.#queryByIds(
      'ContractServices',
      'contractID',
      contracts.map((contract) => contract.id),
      contractServiceSchema,
    )
    const billedContracts = [...new Set(services.map((service) => service.contractID))]
    const periods = await this.#queryByIds(
      'ContractServiceUnits',
      'contractID',
      billedContracts,
      unitPeriodSchema,
      periodsOnDay(day),
    )
    const lines = buildLines(contracts, services, periods, day)
    this.#logger.info(
      {
        contracts: contracts.length,
        contractServices: services.length,
        lines: lines.length,
        requests: this.requestCount,
        durationMs: Date.now() - started,
      },
      'listed Autotask contract service lines',
    )
    return lines
  }

  async getLine(ref: LineRef): Promise<PsaLine | null> {
    const context = await this.#readLine(ref)
    if (!context) return null
    const units = await this.#unitsOn(context.service, this.#billingDay())
    return units === undefined ? null : toLine(context.contract, context.service, units)
  }

  /**
   * Sets the units from the effective date on with one ContractServiceAdjustment. Autotask
   * takes only a signed unit change there, and adjustments cannot be read back, so the units
   * are read before the write and verified after it.
   *
   * "Current" units are those of the period that contains the effective date, because the
   * change applies to that value. With the default effective date (the first of next month)
   * this is next month's period, which also shows changes that someone already scheduled.
   */
  async updateQuantity(
    ref: LineRef,
    expected: number,
    next: number,
    options: UpdateQuantityOptions = {},
  ): Promise<QuantityWrite> {
    checkUnits(next)
    const effectiveDate = resolveEffectiveDate(options.effectiveDate, this.#today())

    const context = await this.#readLine(ref)
    if (!context) throw lineGone(ref)
    const before = await this.#unitsOn(context.service, effectiveDate)
    if (before === undefined) throw noPeriod(ref, effectiveDate)

    if (before === next) return { outcome: 'unchanged', before, after: before }
    if (before !== expected) {
      const reason =
        `Units changed in Autotask since sync: expected ${expected}, found ${before} for the ` +
        `period containing ${effectiveDate}. Sync again and review the line.`
      return { outcome: 'refused', before, after: before, reason }
    }

    const after = await this.#adjust(context, before, next, effectiveDate)
    return { outcome: 'written', before, after }
  }

  async #adjust(context: LineContext, before: number, next: number, effectiveDate: string) {
    const adjustment = {
      contractID: context.contract.id,
      contractServiceID: context.service.id,
      serviceID: context.service.serviceID,
      unitChange: next - before,
      effectiveDate,
    }
    const log = { ...adjustment, before, after: next }
    try {
      await this.#api.create('ContractServiceAdjustments', adjustment)
    } catch (error) {
      if (!outcomeUnknown(error)) throw error
      this.#logger.warn(
        { ...log, err: error },
        'Autotask adjustment response lost; re-reading units',
      )
      return this.#recoverLostAdjustment(context, before, next, effectiveDate, error)
    }
    const after = await this.#unitsOn(context.service, effectiveDate)
    if (after !== next) throw unexpectedUnits(context, effectiveDate, next, after)
    this.#logger.info(log, 'wrote Autotask contract service units')
    return after
  }

  /**
   * Decides from a fresh read whether an adjustment whose response was lost was applied.
   * NOTE: after a timeout Autotask may still apply the adjustment after this read. The error
   * then reports unchanged units, and a retry sent before that late write lands applies twice.
   */
  async #recoverLostAdjustment(
    context: LineContext,
    before: number,
    next: number,
    effectiveDate: string,
    error: unknown,
  ): Promise<number> {
    const after = await this.#unitsOn(context.service, effectiveDate)
    if (after === next) {
      this.#logger.info(
        { contractServiceId: context.service.id, effectiveDate, before, after },
        'wrote Autotask contract service units (confirmed by re-read)',
      )
      return after
    }
    if (after === before) {
      throw new AppError(
        'upstream_failed',
        `Autotask did not confirm the adjustment of contract service ${context.service.id} ` +
          `(${(error as Error).message}), and its units are still ${before}. Try the approval ` +
          `again: it re-reads the units first and writes only while they are ${before}.`,
        { contractServiceId: context.service.id, before },
        { cause: error },
      )
    }
    throw unexpectedUnits(context, effectiveDate, next, after)
  }

  async #readLine(ref: LineRef): Promise<LineContext | null> {
    const service = await this.#api.getItem('ContractServices', ref.lineId, contractServiceSchema)
    if (!service || service.contractID !== ref.agreementId) return null
    const contract = await this.#api.getItem('Contracts', ref.agreementId, contractSchema)
    if (!contract || contract.status !== ACTIVE_CONTRACT_STATUS) return null
    return { contract, service }
  }

  async #unitsOn(service: ContractService, day: string): Promise<number | undefined> {
    const filter: QueryCondition[] = [
      { op: 'eq', field: 'contractID', value: service.contractID },
      { op: 'eq', field: 'serviceID', value: service.serviceID },
      ...periodsOnDay(day),
    ]
    const periods = await this.#api.query('ContractServiceUnits', filter, unitPeriodSchema)
    return unitsOnDay([service], periods, day).get(service.id)
  }

  async #queryByIds<T>(
    entity: string,
    field: string,
    ids: readonly number[],
    schema: z.ZodType<T>,
    conditions: QueryCondition[] = [],
  ): Promise<T[]> {
    const records: T[] = []
    for (const batch of batches(ids, IDS_PER_QUERY)) {
      const filter = [...conditions, { op: 'in', field, value: batch }]
      records.push(...(await this.#api.query(entity, filter, schema)))
    }
    return records
  }
}

function checkUnits(next: number): void {
  if (!Number.isInteger(next) || next < 0) {
    throw new AppError(
      'bad_request',
      `Invalid quantity ${next}: Autotask bills whole units, so use an integer of 0 or more.`,
      { quantity: next },
    )
  }
}

/** Returns whether a failed create may have been applied: no response, or a 5xx status. */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500
  return (
    isAppError(error) && ['upstream_failed', 'timeout', 'invalid_response'].includes(error.code)
  )
}

function lineGone(ref: LineRef): AppError {
  return new AppError(
    'not_found',
    `Autotask has no contract service ${ref.lineId} on an active contract ${ref.agreementId}. ` +
      'Sync again to refresh the lines.',
    { ...ref },
  )
}

function noPeriod(ref: LineRef, effectiveDate: string): AppError {
  return new AppError(
    'conflict',
    `Contract service ${ref.lineId} has no billing period containing ${effectiveDate} in ` +
      'Autotask, so a change cannot start then. Choose an effective date within the contract.',
    { ...ref, effectiveDate },
  )
}

function unexpectedUnits(
  context: LineContext,
  effectiveDate: string,
  next: number,
  after: number | undefined,
): AppError {
  return new AppError(
    'conflict',
    `After the adjustment, Autotask shows ${after ?? 'no'} units for contract service ` +
      `${context.service.id} from ${effectiveDate} instead of ${next}. Someone may have ` +
      'changed it at the same time; check the contract in Autotask before approving again.',
    { contractServiceId: context.service.id, effectiveDate, expected: next, found: after },
  )
}
