/**
 * Conversion of Autotask records into billed lines. A contract service is the line, and its
 * quantity is the `units` of the ContractServiceUnits period that contains a given day.
 */
import type { PsaLine } from '../../core/types.ts'
import { AppError } from '../../errors.ts'
import type { QueryCondition } from './api.ts'
import type { Contract, ContractService, UnitPeriod } from './schemas.ts'

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** Formats `date` as its UTC day, `YYYY-MM-DD`. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** Returns the first day of the month after `today` (UTC), the usual start of a change. */
export function firstOfNextMonth(today: Date): string {
  const next = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1))
  return dayOf(next)
}

/** Checks a `YYYY-MM-DD` effective date, or returns the first of next month when absent. */
export function resolveEffectiveDate(value: string | undefined, today: Date): string {
  if (value === undefined) return firstOfNextMonth(today)
  const match = DAY.exec(value)
  const date = match ? new Date(`${value}T00:00:00Z`) : undefined
  if (!date || Number.isNaN(date.getTime()) || dayOf(date) !== value) {
    throw new AppError(
      'bad_request',
      `Invalid effective date "${value}": use a calendar date as YYYY-MM-DD, e.g. 2025-07-01.`,
      { effectiveDate: value },
    )
  }
  // Reconciliation reads the units billed from the first of next month. A later change would
  // stay invisible to it, so approving again before that date would post the delta twice.
  const latest = firstOfNextMonth(today)
  if (value > latest) {
    throw new AppError(
      'bad_request',
      `Invalid effective date ${value}: use ${latest} or earlier, so the next sync sees the ` +
        'change.',
      { effectiveDate: value },
    )
  }
  return value
}

/** Query conditions for the periods that contain `day`. */
export function periodsOnDay(day: string): QueryCondition[] {
  return [
    { op: 'lte', field: 'startDate', value: day },
    { op: 'gte', field: 'endDate', value: day },
  ]
}

/**
 * Maps each contract service to the units of its period that contains `day`. A period
 * names its contract service by `contractServiceID` when Autotask fills it, else by its
 * contract and service. Where periods overlap on `day`, the latest-starting one wins.
 */
export function unitsOnDay(
  services: readonly ContractService[],
  periods: readonly UnitPeriod[],
  day: string,
): Map<number, number> {
  const byPair = new Map(services.map((service) => [pairKey(service), service.id]))
  const chosen = new Map<number, UnitPeriod>()
  for (const period of periods) {
    if (period.startDate.slice(0, 10) > day || period.endDate.slice(0, 10) < day) continue
    const serviceId = period.contractServiceID ?? byPair.get(pairKey(period))
    if (serviceId === undefined) continue
    const current = chosen.get(serviceId)
    if (!current || current.startDate < period.startDate) chosen.set(serviceId, period)
  }
  return new Map([...chosen].map(([serviceId, period]) => [serviceId, period.units]))
}

function pairKey(record: { contractID: number; serviceID: number }): string {
  return `${record.contractID}:${record.serviceID}`
}

/** Builds the line of a contract service that bills `units`. */
export function toLine(contract: Contract, service: ContractService, units: number): PsaLine {
  return {
    id: service.id,
    agreementId: contract.id,
    agreementName: contract.contractName,
    companyId: contract.companyID,
    productId: service.serviceID,
    quantity: units,
    // Autotask has no included quantity: the units are what is billed.
    lessIncluded: 0,
    unitPrice: service.unitPrice ?? 0,
    // Contract services carry no change time.
    updatedAt: null,
  }
}

/**
 * Builds the lines of the contract services of `contracts` that bill a period containing
 * `day`. A service without such a period (ended or cancelled) is left out.
 */
export function buildLines(
  contracts: readonly Contract[],
  services: readonly ContractService[],
  periods: readonly UnitPeriod[],
  day: string,
): PsaLine[] {
  const contractById = new Map(contracts.map((contract) => [contract.id, contract]))
  const units = unitsOnDay(services, periods, day)
  const lines: PsaLine[] = []
  for (const service of services) {
    const contract = contractById.get(service.contractID)
    const current = units.get(service.id)
    if (contract && current !== undefined) lines.push(toLine(contract, service, current))
  }
  return lines
}

/** Splits `ids` into batches for `in` filters. */
export function batches<T>(ids: readonly T[], size: number): T[][] {
  const result: T[][] = []
  for (let start = 0; start < ids.length; start += size) result.push(ids.slice(start, start + size))
  return result
}
