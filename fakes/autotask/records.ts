/**
 * The World rendered as Autotask entities: Companies, Services, Contracts, ContractServices
 * and the monthly ContractServiceUnits periods that adjustments change.
 */
import type { World, WorldLine } from '../world/types.ts'

/** An Autotask record as the REST API sends it. */
export type AutotaskRecord = Record<string, unknown>

/** One queryable entity: its name as the API spells it, its fields and its current rows. */
export interface EntityTable {
  name: string
  fields: readonly string[]
  rows(): AutotaskRecord[]
}

/** A run of billed units: from the day `from` (`YYYY-MM-DD`) until the next segment starts. */
interface UnitSegment {
  from: string
  units: number
}

/** A contract service with its billed units over time. */
interface ContractServiceState {
  id: number
  contractID: number
  serviceID: number
  unitPrice: number
  /** First and last day (inclusive) that have billing periods. */
  firstDay: string
  lastDay: string
  segments: UnitSegment[]
}

/** Company type picklist values of the Autotask Companies entity. */
export const COMPANY_TYPE = { customer: 1, prospect: 3, vendor: 7 } as const
/** Contract type picklist value of a recurring service contract. */
export const RECURRING_SERVICE_CONTRACT = 7
const MONTHS_BEFORE_TODAY = 2
const MONTHS_AFTER_TODAY = 12
// Row ids are contractServiceId * ROWS_PER_SERVICE + index, so they sort like Autotask ids.
const ROWS_PER_SERVICE = 1000

const COMPANY_FIELDS = ['id', 'companyName', 'companyType', 'isActive', 'lastActivityDate']
const SERVICE_FIELDS = ['id', 'name', 'unitPrice', 'unitCost', 'isActive', 'periodType']
const CONTRACT_FIELDS = [
  'id',
  'companyID',
  'contractName',
  'contractType',
  'status',
  'startDate',
  'endDate',
]
const CONTRACT_SERVICE_FIELDS = [
  'id',
  'contractID',
  'serviceID',
  'unitPrice',
  'unitCost',
  'invoiceDescription',
  'internalDescription',
  'quoteItemID',
]
const UNIT_FIELDS = [
  'id',
  'contractID',
  'contractServiceID',
  'serviceID',
  'startDate',
  'endDate',
  'units',
  'price',
  'cost',
  'approveAndPostDate',
]

/** Formats a date as its UTC `YYYY-MM-DD` day. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10)
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return dayOf(date)
}

function addMonths(day: string, months: number): string {
  const date = new Date(`${day.slice(0, 7)}-01T00:00:00Z`)
  date.setUTCMonth(date.getUTCMonth() + months)
  return dayOf(date)
}

function earlierDay(left: string, right: string): string {
  if (left < right) return left
  return right
}

function dateTime(day: string): string {
  return `${day}T00:00:00`
}

/** The mutable Autotask data behind one fake server. */
export class AutotaskData {
  readonly #world: World
  readonly #inactiveServiceIds: ReadonlySet<number>
  readonly #services = new Map<number, ContractServiceState>()
  readonly #firstDay: string
  readonly #lastDay: string
  readonly #tables: Map<string, EntityTable>

  constructor(world: World, today: Date, inactiveServiceIds: readonly number[] = []) {
    this.#world = world
    this.#inactiveServiceIds = new Set(inactiveServiceIds)
    this.#firstDay = addMonths(dayOf(today), -MONTHS_BEFORE_TODAY)
    this.#lastDay = addDays(addMonths(dayOf(today), MONTHS_AFTER_TODAY + 1), -1)
    for (const contract of world.contracts) {
      for (const line of contract.lines) this.#addLine(contract.id, line)
    }
    const tables: EntityTable[] = [
      { name: 'Companies', fields: COMPANY_FIELDS, rows: () => this.#companies() },
      { name: 'Services', fields: SERVICE_FIELDS, rows: () => this.#catalog() },
      { name: 'Contracts', fields: CONTRACT_FIELDS, rows: () => this.#contracts() },
      {
        name: 'ContractServices',
        fields: CONTRACT_SERVICE_FIELDS,
        rows: () => this.#contractServices(),
      },
      { name: 'ContractServiceUnits', fields: UNIT_FIELDS, rows: () => this.#unitRows() },
    ]
    this.#tables = new Map(tables.map((table) => [table.name.toLowerCase(), table]))
  }

  /** Returns the queryable entity named `name` (any case), or undefined. */
  table(name: string): EntityTable | undefined {
    return this.#tables.get(name.toLowerCase())
  }

  /** Returns the units billed on `day`, or undefined outside the service's billing periods. */
  unitsOn(contractServiceId: number, day: string): number | undefined {
    const service = this.#services.get(contractServiceId)
    if (!service || day < service.firstDay || day > service.lastDay) return undefined
    return unitsAt(service.segments, day)
  }

  /** Sets the units of every billing period, as an edit in the Autotask UI would. */
  setUnits(contractServiceId: number, units: number): void {
    const service = this.#requireService(contractServiceId)
    service.segments = [{ from: service.firstDay, units }]
  }

  /** Finds the contract service of a contract for a service, or returns undefined. */
  findContractService(contractId: number, serviceId: number): number | undefined {
    for (const service of this.#services.values()) {
      if (service.contractID === contractId && service.serviceID === serviceId) return service.id
    }
    return undefined
  }

  /** Returns the contract and service of a contract service, or undefined when it is unknown. */
  contractServiceKeys(id: number): { contractID: number; serviceID: number } | undefined {
    const service = this.#services.get(id)
    return service && { contractID: service.contractID, serviceID: service.serviceID }
  }

  /** Adds a contract service with zero units, as Autotask does for an unknown adjustment. */
  createContractService(contractId: number, serviceId: number): number {
    const id = Math.max(0, ...this.#services.keys()) + 1
    const unitPrice = this.#world.products.find((product) => product.id === serviceId)?.unitPrice
    this.#services.set(id, {
      id,
      contractID: contractId,
      serviceID: serviceId,
      unitPrice: unitPrice ?? 0,
      firstDay: this.#firstDay,
      lastDay: this.#lastDay,
      segments: [{ from: this.#firstDay, units: 0 }],
    })
    return id
  }

  /**
   * Applies a signed unit change from `day` on: every later segment moves by `unitChange`,
   * and the period containing `day` splits there. Returns an error message instead when
   * the units would go below zero.
   */
  adjust(contractServiceId: number, unitChange: number, day: string): string | undefined {
    const service = this.#requireService(contractServiceId)
    const startUnits = unitsAt(service.segments, day) ?? 0
    const segments = service.segments.map((segment) =>
      segment.from >= day ? { ...segment, units: segment.units + unitChange } : segment,
    )
    if (!segments.some((segment) => segment.from === day)) {
      segments.push({ from: day, units: startUnits + unitChange })
      segments.sort((left, right) => left.from.localeCompare(right.from))
    }
    if (segments.some((segment) => segment.units < 0)) {
      return `The unit change of ${unitChange} would leave fewer than 0 units.`
    }
    service.segments = segments
    return undefined
  }

  /** Returns whether the contract exists and is active. */
  contractIsActive(contractId: number): boolean {
    return this.#world.contracts.some((contract) => contract.id === contractId && contract.active)
  }

  /** Returns whether the service exists in the catalog. */
  serviceExists(serviceId: number): boolean {
    return this.#world.products.some((product) => product.id === serviceId)
  }

  #requireService(id: number): ContractServiceState {
    const service = this.#services.get(id)
    if (!service) throw new Error(`fake Autotask has no contract service ${id}`)
    return service
  }

  #addLine(contractId: number, line: WorldLine): void {
    // A cancelled line bills up to the day before its cancellation.
    const cancelDay = line.cancelledDate ? line.cancelledDate.slice(0, 10) : undefined
    const lastDay = cancelDay ? earlierDay(addDays(cancelDay, -1), this.#lastDay) : this.#lastDay
    this.#services.set(line.id, {
      id: line.id,
      contractID: contractId,
      serviceID: line.productId,
      unitPrice: line.unitPrice,
      firstDay: this.#firstDay,
      lastDay,
      segments: [{ from: this.#firstDay, units: line.quantity }],
    })
  }

  #companies(): AutotaskRecord[] {
    return this.#world.companies.map((company) => ({
      id: company.id,
      companyName: company.name,
      companyType: company.customer
        ? COMPANY_TYPE.customer
        : company.id % 2 === 0
          ? COMPANY_TYPE.vendor
          : COMPANY_TYPE.prospect,
      isActive: company.active,
      lastActivityDate: null,
    }))
  }

  #catalog(): AutotaskRecord[] {
    return this.#world.products.map((product) => ({
      id: product.id,
      name: product.name,
      unitPrice: product.unitPrice,
      unitCost: null,
      isActive: !this.#inactiveServiceIds.has(product.id),
      // NOTE: the periodType picklist values were not checked; 1 stands for monthly here.
      periodType: 1,
    }))
  }

  #contracts(): AutotaskRecord[] {
    return this.#world.contracts.map((contract) => ({
      id: contract.id,
      companyID: contract.companyId,
      contractName: contract.name,
      contractType: RECURRING_SERVICE_CONTRACT,
      status: contract.active ? 1 : 0,
      startDate: dateTime(this.#firstDay),
      endDate: dateTime(this.#lastDay),
    }))
  }

  #contractServices(): AutotaskRecord[] {
    return [...this.#services.values()]
      .sort((left, right) => left.id - right.id)
      .map((service) => ({
        id: service.id,
        contractID: service.contractID,
        serviceID: service.serviceID,
        unitPrice: service.unitPrice,
        unitCost: null,
        invoiceDescription: null,
        internalDescription: null,
        quoteItemID: null,
      }))
  }

  #unitRows(): AutotaskRecord[] {
    const services = [...this.#services.values()].sort((left, right) => left.id - right.id)
    return services.flatMap((service) => unitRowsOf(service))
  }
}

function unitsAt(segments: readonly UnitSegment[], day: string): number | undefined {
  let units: number | undefined
  for (const segment of segments) {
    if (segment.from > day) break
    units = segment.units
  }
  return units
}

/** Monthly periods, split where a segment starts inside a month. */
function unitRowsOf(service: ContractServiceState): AutotaskRecord[] {
  const rows: AutotaskRecord[] = []
  for (let month = service.firstDay; month <= service.lastDay; month = addMonths(month, 1)) {
    const monthEnd = addDays(addMonths(month, 1), -1)
    const periodEnd = earlierDay(monthEnd, service.lastDay)
    const starts = [month, ...splitDays(service.segments, month, periodEnd)]
    starts.forEach((start, index) => {
      const next = starts[index + 1]
      const end = next === undefined ? periodEnd : addDays(next, -1)
      rows.push(unitRow(service, rows.length, start, end))
    })
  }
  return rows
}

function splitDays(segments: readonly UnitSegment[], first: string, last: string): string[] {
  return segments.map((segment) => segment.from).filter((day) => day > first && day <= last)
}

function unitRow(
  service: ContractServiceState,
  index: number,
  start: string,
  end: string,
): AutotaskRecord {
  if (index >= ROWS_PER_SERVICE) throw new Error(`too many unit periods for ${service.id}`)
  const units = unitsAt(service.segments, start) ?? 0
  return {
    id: service.id * ROWS_PER_SERVICE + index,
    contractID: service.contractID,
    contractServiceID: service.id,
    serviceID: service.serviceID,
    startDate: dateTime(start),
    endDate: dateTime(end),
    units,
    price: Math.round(units * service.unitPrice * 100) / 100,
    cost: null,
    approveAndPostDate: null,
  }
}
