/** Renders a `World` into the records of a fake HaloPSA tenant, in Halo's field names. */
import type { World, WorldContract, WorldProduct } from '../world/types.ts'

/** A client (Halo `Area`). */
export interface FakeClient {
  id: number
  name: string
  inactive: boolean
}

/** A catalog item. */
export interface FakeItem {
  id: number
  name: string
  code: string
  baseprice: number
}

/** A recurring-invoice line (Halo `InvoiceDetail`). */
export interface FakeLine {
  id: number
  ihid: number
  _itemid: number
  item_code: string
  item_shortdescription: string
  qty_order: number
  unit_price: number
  isinactive: boolean
}

/** A recurring invoice (Halo `InvoiceHeader`) with its lines. */
export interface FakeInvoice {
  id: number
  client_id: number
  client_name: string
  reference: string
  disabled: boolean
  /** Halo style: UTC without a zone designator, e.g. `2024-05-01T10:00:00.000`. */
  last_modified: string
  lines: FakeLine[]
}

/** The mutable records of a fake tenant. */
export interface FakeTenant {
  clients: FakeClient[]
  items: FakeItem[]
  invoices: FakeInvoice[]
  nextInvoiceId: number
  nextLineId: number
  negativeInvoiceIds: boolean
}

/**
 * Builds the tenant: customer companies become clients (inactive when the company is),
 * products become items, and contracts of customers become recurring invoices, disabled
 * when the contract is inactive, whose cancelled lines are marked `isinactive`.
 * Non-customer companies are left out, because Halo keeps suppliers apart from clients.
 */
export function renderWorld(world: World, options: { negativeInvoiceIds?: boolean }): FakeTenant {
  const negative = options.negativeInvoiceIds === true
  const customers = world.companies.filter((company) => company.customer)
  const clientNames = new Map(customers.map((company) => [company.id, company.name]))
  const products = new Map(world.products.map((product) => [product.id, product]))
  const contracts = world.contracts.filter((contract) => clientNames.has(contract.companyId))

  const maxContractId = Math.max(0, ...world.contracts.map((contract) => contract.id))
  const lineIds = world.contracts.flatMap((contract) => contract.lines.map((line) => line.id))
  return {
    clients: customers.map((company) => ({
      id: company.id,
      name: company.name,
      inactive: !company.active,
    })),
    items: world.products.map((product) => ({
      id: product.id,
      name: product.name,
      code: product.identifier,
      baseprice: product.unitPrice,
    })),
    invoices: contracts.map((contract) =>
      renderContract(contract, clientNames.get(contract.companyId) ?? '', products, negative),
    ),
    nextInvoiceId: maxContractId + 1,
    nextLineId: Math.max(0, ...lineIds) + 1,
    negativeInvoiceIds: negative,
  }
}

/** Formats a time the way Halo sends it: UTC without a zone designator. */
export function haloTime(time: Date | string): string {
  return new Date(time).toISOString().replace(/Z$/, '')
}

function renderContract(
  contract: WorldContract,
  clientName: string,
  products: Map<number, WorldProduct>,
  negative: boolean,
): FakeInvoice {
  const id = negative ? -contract.id : contract.id
  const changes = contract.lines.map((line) => Date.parse(line.updatedAt))
  const lastModified = changes.length > 0 ? new Date(Math.max(...changes)) : new Date(0)
  return {
    id,
    client_id: contract.companyId,
    client_name: clientName,
    reference: contract.name,
    disabled: !contract.active,
    last_modified: haloTime(lastModified),
    lines: contract.lines.map((line) => {
      const product = products.get(line.productId)
      return {
        id: line.id,
        ihid: id,
        _itemid: line.productId,
        item_code: product?.identifier ?? '',
        item_shortdescription: product?.name ?? '',
        qty_order: line.quantity,
        unit_price: line.unitPrice,
        isinactive: line.cancelledDate !== null,
      }
    }),
  }
}
