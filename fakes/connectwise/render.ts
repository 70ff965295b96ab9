/** Renders a fake `World` as the records ConnectWise PSA's REST API returns. */
import type { World, WorldCompany, WorldContract, WorldLine, WorldProduct } from '../world/types.ts'

/** A record of the fake, with field names taken from the ConnectWise PSA 2025.1 models. */
export type CwRecord = Record<string, unknown> & { id: number }

/** An agreement addition, with the fields the fake recomputes on PATCH. */
export interface CwAddition extends CwRecord {
  agreementId: number
  quantity: number
  lessIncluded: number
  unitPrice: number
  billedQuantity: number
  extPrice: number
  cancelledDate: string | null
  _info: { lastUpdated: string }
}

/** The fake's mutable copy of every collection. */
export interface CwData {
  companies: CwRecord[]
  catalog: CwRecord[]
  agreements: CwRecord[]
  /** Additions by agreement id. */
  additions: Map<number, CwAddition[]>
}

const START_DATE = '2024-01-01T00:00:00Z'
const MANAGED_SERVICES = { id: 1, name: 'Managed Services' }

/** Formats a time like ConnectWise PSA does: ISO 8601 in UTC without milliseconds. */
export function cwTimestamp(time: Date | string): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Copies the world into ConnectWise PSA shapes. */
export function renderWorld(world: World): CwData {
  const companies = new Map(world.companies.map((company) => [company.id, company]))
  const products = new Map(world.products.map((product) => [product.id, product]))
  const additions = new Map<number, CwAddition[]>()
  for (const contract of world.contracts) {
    const lines = contract.lines.map((line) =>
      renderAddition(contract.id, line, products.get(line.productId)),
    )
    additions.set(contract.id, lines)
  }
  return {
    companies: world.companies.map(renderCompany),
    catalog: world.products.map(renderCatalogItem),
    agreements: world.contracts.map((contract) =>
      renderAgreement(contract, companies.get(contract.companyId)),
    ),
    additions,
  }
}

/** Derives a company identifier: letters and digits only, at most 25 characters. */
function identifierOf(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').slice(0, 25)
}

function companyType(company: WorldCompany): { id: number; name: string } {
  if (company.customer) return { id: 1, name: 'Client' }
  return company.id % 2 === 0 ? { id: 2, name: 'Prospect' } : { id: 3, name: 'Vendor' }
}

/** Renders a company. An inactive company is in the recycle bin (`deletedFlag`). */
export function renderCompany(company: WorldCompany): CwRecord {
  return {
    id: company.id,
    identifier: identifierOf(company.name),
    name: company.name,
    status: company.active ? { id: 1, name: 'Active' } : { id: 2, name: 'Inactive' },
    types: [companyType(company)],
    deletedFlag: !company.active,
    dateAcquired: START_DATE,
    _info: { lastUpdated: START_DATE },
  }
}

/** Renders a catalog item. All products of the world are active. */
export function renderCatalogItem(product: WorldProduct): CwRecord {
  return {
    id: product.id,
    identifier: product.identifier,
    description: product.name,
    inactiveFlag: false,
    category: product.service ? MANAGED_SERVICES : { id: 2, name: 'Software' },
    subcategory: product.service ? { id: 11, name: 'Monitoring' } : { id: 21, name: 'Licensing' },
    type: { id: 1, name: 'Service' },
    productClass: 'Service',
    price: product.unitPrice,
    cost: roundMoney(product.unitPrice * 0.6),
    taxableFlag: false,
    _info: { lastUpdated: START_DATE },
  }
}

/** Renders an agreement of `company`. An inactive contract becomes a cancelled agreement. */
export function renderAgreement(
  contract: WorldContract,
  company: WorldCompany | undefined,
): CwRecord {
  const lastUpdated =
    contract.lines
      .map((line) => line.updatedAt)
      .sort()
      .at(-1) ?? START_DATE
  return {
    id: contract.id,
    name: contract.name,
    type: MANAGED_SERVICES,
    company: {
      id: contract.companyId,
      identifier: identifierOf(company?.name ?? `Company${contract.companyId}`),
      name: company?.name ?? `Company ${contract.companyId}`,
    },
    agreementStatus: contract.active ? 'Active' : 'Cancelled',
    cancelledFlag: !contract.active,
    dateCancelled: contract.active ? null : cwTimestamp(lastUpdated),
    billingCycle: { id: 2, name: 'Monthly' },
    startDate: START_DATE,
    noEndingDateFlag: true,
    prorateFlag: false,
    billAmount: 0,
    _info: { lastUpdated: cwTimestamp(lastUpdated) },
  }
}

/** Renders a line as an addition of agreement `agreementId`. */
export function renderAddition(
  agreementId: number,
  line: WorldLine,
  product: WorldProduct | undefined,
): CwAddition {
  const addition: CwAddition = {
    id: line.id,
    product: { id: line.productId, identifier: product?.identifier ?? `PRODUCT-${line.productId}` },
    quantity: line.quantity,
    lessIncluded: line.lessIncluded,
    unitPrice: line.unitPrice,
    unitCost: roundMoney(line.unitPrice * 0.6),
    billCustomer: 'Billable',
    effectiveDate: START_DATE,
    cancelledDate: line.cancelledDate === null ? null : cwTimestamp(line.cancelledDate),
    taxableFlag: false,
    agreementId,
    description: product?.name ?? `Product ${line.productId}`,
    billedQuantity: 0,
    extPrice: 0,
    _info: { lastUpdated: cwTimestamp(line.updatedAt) },
  }
  recomputeTotals(addition)
  return addition
}

/** Updates the fields ConnectWise PSA derives from quantity, lessIncluded and unitPrice. */
export function recomputeTotals(addition: CwAddition): void {
  addition.billedQuantity = Math.max(0, addition.quantity - addition.lessIncluded)
  addition.extPrice = roundMoney(addition.billedQuantity * addition.unitPrice)
}

function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100
}
