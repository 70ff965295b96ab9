/**
 * The PSA side of a generated world: companies named after the organizations (exactly, nearly
 * or not at all), a catalog and "Managed Services" contracts whose quantities drift from the
 * true device counts.
 */
import { SERVICE_NAMES, SERVICES, type ServiceName } from '../../src/core/services.ts'
import { emptyServiceRecord, type ServiceCounts } from './counts.ts'
import {
  PREMIUM_WORKSTATION_PRODUCT,
  SERVICE_PRODUCTS,
  UNRELATED_PRODUCTS,
  VENDOR_COMPANIES,
} from './names.ts'
import { composeUniqueName, nearMissName, respellName } from './naming.ts'
import type { Random } from './random.ts'
import type {
  WorldCompany,
  WorldContract,
  WorldLine,
  WorldOrganization,
  WorldProduct,
} from './types.ts'

const DAY_SECONDS = 86_400

/** Inputs of the PSA-side generator. */
export interface BillingInput {
  organizations: readonly WorldOrganization[]
  counts: ServiceCounts
  epochSeconds: number
  /** Normalized names already in use; company names are added to it. */
  takenNames: Set<string>
}

/** The PSA side of a world. */
export interface Billing {
  companies: WorldCompany[]
  products: WorldProduct[]
  contracts: WorldContract[]
}

/** Generates companies, products and contracts for the organizations of `input`. */
export function generateBilling(random: Random, input: BillingInput): Billing {
  const products = generateProducts(random.stream(0))
  const { companies, billedOrganizations, formerClientIds } = generateCompanies(
    random.stream(1),
    input,
  )
  const contracts = new ContractBuilder(random.stream(2), input, products).build(
    companies,
    billedOrganizations,
    formerClientIds,
  )
  return { companies, products, contracts }
}

function generateProducts(random: Random): WorldProduct[] {
  const products: WorldProduct[] = []
  let id = random.int(300, 320)
  const add = (
    entry: { identifier: string; name: string; price: readonly [number, number] },
    service: ServiceName | null,
  ) => {
    const unitPrice = Math.round(random.between(entry.price[0], entry.price[1]) * 2) / 2
    products.push({ id, identifier: entry.identifier, name: entry.name, service, unitPrice })
    id += random.int(1, 4)
  }

  for (const service of SERVICES) add(SERVICE_PRODUCTS[service.name], service.name)
  add(PREMIUM_WORKSTATION_PRODUCT, 'Total Workstations')
  for (const entry of UNRELATED_PRODUCTS) add(entry, null)
  return products
}

const EXACT_SHARE = 0.8
const NEAR_MISS_SHARE = 0.12
const RESPELLED_SHARE = 0.1

interface CompanyDraft {
  name: string
  active: boolean
  customer: boolean
  /** Index of the organization this company is the billing side of, if any. */
  organizationIndex: number | null
  formerClient?: boolean
}

interface GeneratedCompanies {
  companies: WorldCompany[]
  /** Company id to the index of the organization it bills. */
  billedOrganizations: Map<number, number>
  /** Inactive former clients, which keep an inactive contract. */
  formerClientIds: Set<number>
}

/**
 * About 80% of organizations get a company of the same name (a few respelled in case or
 * spacing), 12% a near miss and 8% none. Vendors, prospects and former clients are added,
 * plus inactive companies that carry an organization's exact name and must be ignored.
 */
function generateCompanies(random: Random, input: BillingInput): GeneratedCompanies {
  const { organizations, takenNames } = input
  const order = random.shuffle(organizations.map((_, index) => index))
  const exactCount = Math.round(order.length * EXACT_SHARE)
  const nearCount = Math.round(order.length * NEAR_MISS_SHARE)
  const exactIndexes = order.slice(0, exactCount)
  const unmatchedIndexes = order.slice(exactCount + nearCount)

  const drafts: CompanyDraft[] = exactIndexes.map((organizationIndex) => {
    const name = (organizations[organizationIndex] as WorldOrganization).name
    const spelled = random.chance(RESPELLED_SHARE) ? respellName(random, name) : name
    return { name: spelled, active: true, customer: true, organizationIndex }
  })
  for (const organizationIndex of order.slice(exactCount, exactCount + nearCount)) {
    const name = (organizations[organizationIndex] as WorldOrganization).name
    const nearName = nearMissName(random, name, takenNames)
    drafts.push({ name: nearName, active: true, customer: true, organizationIndex })
  }
  drafts.push(...psaOnlyCompanies(random, organizations.length, takenNames))
  drafts.push(...inactiveNamesakes(organizations, exactIndexes, unmatchedIndexes))

  return assignCompanyIds(random, random.shuffle(drafts), organizations)
}

function psaOnlyCompanies(
  random: Random,
  organizationCount: number,
  takenNames: Set<string>,
): CompanyDraft[] {
  const vendorCount = Math.min(VENDOR_COMPANIES.length, 2 + Math.round(organizationCount * 0.02))
  const drafts: CompanyDraft[] = VENDOR_COMPANIES.slice(0, vendorCount).map((name) => {
    takenNames.add(name.toLowerCase())
    return { name, active: true, customer: false, organizationIndex: null }
  })
  const prospectCount = Math.max(1, Math.round(organizationCount * 0.03))
  for (let index = 0; index < prospectCount; index++) {
    const name = composeUniqueName(random, takenNames)
    drafts.push({ name, active: true, customer: false, organizationIndex: null })
  }
  const formerCount = Math.max(1, Math.round(organizationCount * 0.03))
  for (let index = 0; index < formerCount; index++) {
    const name = composeUniqueName(random, takenNames)
    drafts.push({
      name,
      active: false,
      customer: true,
      organizationIndex: null,
      formerClient: true,
    })
  }
  return drafts
}

/**
 * Inactive companies named exactly like an organization: a stale duplicate of a billed client
 * and an old record of an unbilled one. An adapter that keeps inactive companies would
 * match them.
 */
function inactiveNamesakes(
  organizations: readonly WorldOrganization[],
  exactIndexes: readonly number[],
  unmatchedIndexes: readonly number[],
): CompanyDraft[] {
  const namesakes: CompanyDraft[] = []
  for (const organizationIndex of [exactIndexes[0], unmatchedIndexes[0]]) {
    if (organizationIndex === undefined) continue
    const name = (organizations[organizationIndex] as WorldOrganization).name
    namesakes.push({ name, active: false, customer: true, organizationIndex: null })
  }
  return namesakes
}

/** Company ids start at 19000, or above every organization id, so the two never collide. */
function assignCompanyIds(
  random: Random,
  drafts: readonly CompanyDraft[],
  organizations: readonly WorldOrganization[],
): GeneratedCompanies {
  const maxOrganizationId = organizations.at(-1)?.id ?? 0
  let id = Math.max(19_000, Math.ceil((maxOrganizationId + 1000) / 1000) * 1000)
  const companies: WorldCompany[] = []
  const billedOrganizations = new Map<number, number>()
  const formerClientIds = new Set<number>()
  for (const draft of drafts) {
    id += random.int(1, 7)
    companies.push({ id, name: draft.name, active: draft.active, customer: draft.customer })
    if (draft.organizationIndex !== null) billedOrganizations.set(id, draft.organizationIndex)
    if (draft.formerClient) formerClientIds.add(id)
  }
  return { companies, billedOrganizations, formerClientIds }
}

/** Hands out ascending ids with small gaps, as records deleted in a PSA leave behind. */
class IdSequence {
  readonly #random: Random
  #next: number

  constructor(random: Random, first: number) {
    this.#random = random
    this.#next = first
  }

  take(): number {
    const id = this.#next
    this.#next += this.#random.int(1, 3)
    return id
  }
}

interface ManagedContract {
  contract: WorldContract
  counts: Record<ServiceName, number>
}

const EXACT_QUANTITY_SHARE = 0.55
const UNDER_BILLED_SHARE = 0.25
const PREMIUM_TIER_SHARE = 0.15
const UNRELATED_LINE_SHARE = 0.35
const CANCELLED_LINE_SHARE = 0.04
const SUPERSEDED_CONTRACT_SHARE = 0.04
/** Worlds with fewer organizations get no ambiguous (doubly billed) products. */
const AMBIGUOUS_MIN_ORGANIZATIONS = 20

/** Builds contracts and their lines, with contract and line ids unique across the world. */
class ContractBuilder {
  readonly #random: Random
  readonly #input: BillingInput
  readonly #contractIds: IdSequence
  readonly #lineIds: IdSequence
  readonly #productByService: Map<ServiceName, WorldProduct>
  readonly #productById: Map<number, WorldProduct>
  readonly #premium: WorldProduct
  readonly #unrelated: WorldProduct[]

  constructor(random: Random, input: BillingInput, products: readonly WorldProduct[]) {
    this.#random = random
    this.#input = input
    this.#contractIds = new IdSequence(random, random.int(7000, 7099))
    this.#lineIds = new IdSequence(random, random.int(90_000, 90_999))
    this.#productById = new Map(products.map((product) => [product.id, product]))
    this.#productByService = new Map()
    for (const product of products) {
      const service = product.service as ServiceName | null
      if (service && !this.#productByService.has(service)) {
        this.#productByService.set(service, product)
      }
    }
    this.#premium = products.find(
      (product) => product.identifier === PREMIUM_WORKSTATION_PRODUCT.identifier,
    ) as WorldProduct
    this.#unrelated = products.filter((product) => product.service === null)
  }

  build(
    companies: readonly WorldCompany[],
    billedOrganizations: ReadonlyMap<number, number>,
    formerClientIds: ReadonlySet<number>,
  ): WorldContract[] {
    const contracts: WorldContract[] = []
    const managed: ManagedContract[] = []
    for (const company of companies) {
      const organizationIndex = billedOrganizations.get(company.id)
      if (company.active && company.customer && organizationIndex !== undefined) {
        const organization = this.#input.organizations[organizationIndex] as WorldOrganization
        const counts = this.#input.counts.get(organization.id) ?? emptyServiceRecord()
        const contract = this.#managedServices(company.id, counts)
        contracts.push(contract)
        managed.push({ contract, counts })
      } else if (formerClientIds.has(company.id)) {
        contracts.push(this.#expired(company.id, 'Managed Services', randomCounts(this.#random)))
      }
    }

    this.#cancelSomeLines(managed)
    contracts.push(...this.#supersededContracts(managed))
    contracts.push(...this.#ambiguousLines(managed))
    return contracts
  }

  #managedServices(companyId: number, counts: Record<ServiceName, number>): WorldContract {
    const lines = chooseServices(this.#random, counts).map((service) =>
      this.#line(this.#productFor(service), counts[service]),
    )
    if (this.#random.chance(UNRELATED_LINE_SHARE)) {
      const product = this.#random.pick(this.#unrelated)
      lines.push(this.#line(product, this.#random.int(1, 40), false))
    }
    const id = this.#contractIds.take()
    return { id, companyId, name: 'Managed Services', active: true, lines }
  }

  #productFor(service: ServiceName): WorldProduct {
    if (service === 'Total Workstations' && this.#random.chance(PREMIUM_TIER_SHARE)) {
      return this.#premium
    }
    return this.#productByService.get(service) as WorldProduct
  }

  /** A billed line; its quantity drifts from `trueCount` unless `drift` is false. */
  #line(product: WorldProduct, trueCount: number, drift = true): WorldLine {
    const random = this.#random
    return {
      id: this.#lineIds.take(),
      productId: product.id,
      quantity: drift ? driftQuantity(random, trueCount) : trueCount,
      lessIncluded: random.chance(0.1) ? 5 : 0,
      unitPrice: random.chance(0.6)
        ? product.unitPrice
        : Math.round(product.unitPrice * random.between(90, 105)) / 100,
      cancelledDate: null,
      updatedAt: isoSecondsAgo(this.#input.epochSeconds, random.between(0, 90 * DAY_SECONDS)),
    }
  }

  #expired(companyId: number, name: string, counts: Record<ServiceName, number>): WorldContract {
    const lines = chooseServices(this.#random, counts).map((service) =>
      this.#line(this.#productFor(service), counts[service]),
    )
    return { id: this.#contractIds.take(), companyId, name, active: false, lines }
  }

  /** Adds a cancelled predecessor of a service line to a few contracts. */
  #cancelSomeLines(managed: readonly ManagedContract[]): void {
    for (const { contract, counts } of pickSome(this.#random, managed, CANCELLED_LINE_SHARE)) {
      const billed = contract.lines[0] as WorldLine
      const service = this.#serviceOf(billed.productId)
      const cancelled = this.#line(this.#productOf(billed), counts[service] + 3)
      const ago = this.#random.between(15 * DAY_SECONDS, 300 * DAY_SECONDS)
      cancelled.cancelledDate = isoSecondsAgo(this.#input.epochSeconds, ago)
      cancelled.updatedAt = cancelled.cancelledDate
      contract.lines.push(cancelled)
    }
  }

  /** Gives a few clients an older, inactive contract whose lines still carry quantities. */
  #supersededContracts(managed: readonly ManagedContract[]): WorldContract[] {
    return pickSome(this.#random, managed, SUPERSEDED_CONTRACT_SHARE).map(({ contract, counts }) =>
      this.#expired(contract.companyId, 'Managed Services (2024 terms)', counts),
    )
  }

  /**
   * Bills the workstations of two clients twice: once as a second line in the same contract
   * and once in a second active contract. The reconciler must report these as ambiguous.
   */
  #ambiguousLines(managed: readonly ManagedContract[]): WorldContract[] {
    if (this.#input.organizations.length < AMBIGUOUS_MIN_ORGANIZATIONS) return []
    const withWorkstations = managed.filter(({ counts }) => counts['Total Workstations'] > 0)
    const [sameContract, secondContract] = this.#random.shuffle([...withWorkstations])
    if (sameContract) {
      sameContract.contract.lines.push(this.#duplicateWorkstationLine(sameContract))
    }
    if (!secondContract) return []
    const annex: WorldContract = {
      id: this.#contractIds.take(),
      companyId: secondContract.contract.companyId,
      name: 'Managed Services - Second Site',
      active: true,
      lines: [this.#duplicateWorkstationLine(secondContract)],
    }
    return [annex]
  }

  #duplicateWorkstationLine({ contract, counts }: ManagedContract): WorldLine {
    const workstationLine = contract.lines.find(
      (line) => this.#serviceOf(line.productId) === 'Total Workstations',
    ) as WorldLine
    return this.#line(this.#productOf(workstationLine), Math.ceil(counts['Total Workstations'] / 2))
  }

  #productOf(line: WorldLine): WorldProduct {
    return this.#productById.get(line.productId) as WorldProduct
  }

  #serviceOf(productId: number): ServiceName {
    const service = this.#productById.get(productId)?.service
    if (!service) throw new Error(`product ${productId} bills no service`)
    return service as ServiceName
  }
}

/**
 * Picks 2-4 services to bill, always Total Workstations when the client has workstations,
 * and preferring services the client has devices for.
 */
function chooseServices(random: Random, counts: Record<ServiceName, number>): ServiceName[] {
  const size = random.int(2, 4)
  const hasWorkstations = counts['Total Workstations'] > 0
  const others = random.shuffle(SERVICE_NAMES.filter((name) => name !== 'Total Workstations'))
  others.sort((left, right) => Number(counts[right] > 0) - Number(counts[left] > 0))
  return hasWorkstations
    ? ['Total Workstations', ...others.slice(0, size - 1)]
    : others.slice(0, size)
}

/**
 * Drifts a true count into a billed quantity: about 55% exact, 25% lower (under-billed) and
 * 20% higher (over-billed). The result is never negative.
 */
function driftQuantity(random: Random, trueCount: number): number {
  const roll = random.float()
  if (roll < EXACT_QUANTITY_SHARE) return trueCount
  const step = random.int(1, Math.max(1, Math.ceil(trueCount * 0.15)))
  if (roll < EXACT_QUANTITY_SHARE + UNDER_BILLED_SHARE) return Math.max(0, trueCount - step)
  return trueCount + step
}

function randomCounts(random: Random): Record<ServiceName, number> {
  const counts = emptyServiceRecord()
  for (const name of SERVICE_NAMES) counts[name] = random.int(0, 30)
  return counts
}

/** Picks about `share` of `items` at random, and at least one when there are any. */
function pickSome<T>(random: Random, items: readonly T[], share: number): T[] {
  if (items.length === 0) return []
  const count = Math.max(1, Math.round(items.length * share))
  return random.shuffle([...items]).slice(0, count)
}

function isoSecondsAgo(epochSeconds: number, secondsAgo: number): string {
  return new Date(Math.round(epochSeconds - secondsAgo) * 1000).toISOString()
}
