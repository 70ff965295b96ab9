/**
 * Every HaloPSA name the adapter depends on (paths, query parameters, list keys, record
 * fields) and the mapping of Halo records to the domain types.
 *
 * Sources checked, all public GitHub repositories:
 * - the Halo swagger as generated into covenanttechnologysolutions/halopsa-rest and into the
 *   provisiondata/ProvisionData.HaloPSA.ApiClient DTOs `Area`, `Item`, `InvoiceHeader` and
 *   `InvoiceDetail`;
 * - the homotechsual/HaloAPI PowerShell module (authinfo discovery, paging, list keys);
 * - a recurring-invoice upsert body posted to a live tenant, in
 *   jakesiney/HaloPSA-Update-Invoice-Lines.
 * Names that no source confirmed carry a NOTE.
 */
import { z } from 'zod'
import type { PsaCompany, PsaLine, PsaProduct } from '../../core/types.ts'

/** API paths, relative to the tenant base URL. */
export const HALO_PATHS = {
  authInfo: '/api/authinfo',
  clients: '/api/Client',
  items: '/api/Item',
  recurringInvoices: '/api/RecurringInvoice',
  /** Fallback token endpoint when `/api/authinfo` names no authorisation server. */
  fallbackToken: '/auth/token',
} as const

/** Query parameters of paged lists; Halo spells the switch `pageinate`. */
export const PAGING_PARAMS = { enable: 'pageinate', size: 'page_size', number: 'page_no' } as const

/**
 * Rows asked for per page.
 * NOTE: no source checked states the largest `page_size` Halo accepts; 100 is a cautious pick.
 */
export const PAGE_SIZE = 100

/** Key of the total row count in a paged list response. */
export const RECORD_COUNT_KEY = 'record_count'

/** Keys that wrap the rows of each list response. */
export const LIST_KEYS = { clients: 'clients', items: 'items', invoices: 'invoices' } as const

/** Filters sent on every page of the client list; Halo lists active clients by default. */
export const CLIENT_LIST_QUERY = { includeinactive: false } as const

/**
 * Filters sent on every page of the recurring-invoice list.
 * NOTE: `includeinactive` comes from the HaloAPI PowerShell module; the generated swagger
 * clients do not list it, so inactive invoices are also filtered after reading.
 */
export const INVOICE_LIST_QUERY = { includelines: true, includeinactive: false } as const

/**
 * Query of the single recurring-invoice read.
 * NOTE: the swagger and the HaloAPI module name only `includedetails` for
 * `GET /api/RecurringInvoice/{id}`; `includelines`, the list's switch, is sent as well.
 */
export const INVOICE_READ_QUERY = { includelines: true, includedetails: true } as const

/** Response of `GET /api/authinfo`: the authorisation server of the tenant. */
export const authInfoSchema = z.object({
  auth_url: z.string().nullish(),
  tenant_id: z.union([z.string(), z.number()]).nullish(),
})

/** Response of the token endpoint to a client-credentials request. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  /** Lifetime in seconds. */
  expires_in: z.number().positive().nullish(),
})

/** A client (swagger type `Area`) of `GET /api/Client`. */
export const clientSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  inactive: z.boolean().nullish(),
})

/**
 * An item of `GET /api/Item`.
 * NOTE: the swagger `Item` type has no `code` field; recurring-invoice lines carry
 * `item_code`, so the list is assumed to return it as `code`. When absent, the product has
 * no identifier. `baseprice` is the catalog selling price; `recurringprice` is not read.
 */
export const itemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  code: z.string().nullish(),
  baseprice: z.number().nullish(),
})

/** A recurring-invoice line (swagger type `InvoiceDetail`). */
export const invoiceLineSchema = z.object({
  id: z.number().int(),
  /** The item the line bills; 0 or absent on text and group lines. */
  _itemid: z.number().int().nullish(),
  qty_order: z.number().nullish(),
  unit_price: z.number().nullish(),
  isinactive: z.boolean().nullish(),
})

/**
 * A recurring invoice (swagger type `InvoiceHeader`) with its lines. Real tenants use
 * negative ids for recurring invoices (e.g. -94), so ids are not assumed positive.
 * NOTE: which header flag marks an inactive recurring invoice is unconfirmed. The swagger
 * has `disabled`, and clients use `inactive`, so either one set to true excludes the invoice.
 * NOTE: the display name is read from `reference`, then `contract_ref`, then `name`. The
 * swagger `name` may be the billing name printed on the invoice rather than a title.
 */
export const invoiceSchema = z.object({
  id: z.number().int(),
  client_id: z.number().int(),
  reference: z.string().nullish(),
  contract_ref: z.string().nullish(),
  name: z.string().nullish(),
  inactive: z.boolean().nullish(),
  disabled: z.boolean().nullish(),
  last_modified: z.string().nullish(),
  lines: z.array(invoiceLineSchema).nullish(),
})

export type HaloClient = z.infer<typeof clientSchema>
export type HaloItem = z.infer<typeof itemSchema>
export type HaloInvoice = z.infer<typeof invoiceSchema>
export type HaloInvoiceLine = z.infer<typeof invoiceLineSchema>

/** Maps an active client to a company; null for an inactive one. */
export function toPsaCompany(client: HaloClient): PsaCompany | null {
  return client.inactive === true ? null : { id: client.id, name: client.name }
}

/** Maps an item to a catalog product. */
export function toPsaProduct(item: HaloItem): PsaProduct {
  const code = item.code?.trim()
  return {
    id: item.id,
    name: item.name,
    identifier: code ? code : null,
    unitPrice: item.baseprice ?? null,
  }
}

/** Returns whether the recurring invoice bills, that is neither inactive flag is set. */
export function isActiveInvoice(invoice: HaloInvoice): boolean {
  return invoice.inactive !== true && invoice.disabled !== true
}

/** Returns the display name of a recurring invoice (see the NOTE on {@link invoiceSchema}). */
export function invoiceName(invoice: HaloInvoice): string {
  for (const candidate of [invoice.reference, invoice.contract_ref, invoice.name]) {
    const name = candidate?.trim()
    if (name) return name
  }
  return `Recurring invoice ${invoice.id}`
}

/**
 * Maps one line of an active invoice; null when the line bills no item, lacks a quantity
 * or price, or is inactive.
 */
export function toPsaLine(invoice: HaloInvoice, line: HaloInvoiceLine): PsaLine | null {
  const itemId = line._itemid ?? 0
  if (line.isinactive === true || itemId <= 0) return null
  if (line.qty_order == null || line.unit_price == null) return null
  return {
    id: line.id,
    agreementId: invoice.id,
    agreementName: invoiceName(invoice),
    companyId: invoice.client_id,
    productId: itemId,
    quantity: line.qty_order,
    // Halo lines have no included quantity: the whole qty_order bills.
    lessIncluded: 0,
    unitPrice: line.unit_price,
    updatedAt: parseHaloTime(invoice.last_modified),
  }
}

/** Returns the billable lines of an invoice, or none when the invoice is inactive. */
export function toPsaLines(invoice: HaloInvoice): PsaLine[] {
  if (!isActiveInvoice(invoice)) return []
  return (invoice.lines ?? []).flatMap((line) => toPsaLine(invoice, line) ?? [])
}

/**
 * Converts a Halo timestamp to ISO 8601 UTC; null when absent, invalid or Halo's empty
 * date (1899-12-30).
 * NOTE: Halo sends times without a zone, e.g. `2023-06-22T14:00:19.463`; they are read as
 * UTC, which the sources checked neither confirm nor contradict. The invoice's
 * `last_modified` is used as the line's change time because lines have none.
 */
export function parseHaloTime(value: string | null | undefined): string | null {
  if (!value) return null
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`
  const time = Date.parse(zoned)
  if (Number.isNaN(time)) return null
  const date = new Date(time)
  return date.getUTCFullYear() <= 1900 ? null : date.toISOString()
}

/**
 * Builds the body of `POST /api/RecurringInvoice` that sets one line's quantity: an array of
 * invoices, each with only the lines to change. The value is absolute, so a repeat is safe.
 * NOTE: the sources do not say whether Halo deletes lines left out of an upsert. So the
 * adapter re-reads the invoice after writing and fails when another line changed.
 */
export function quantityUpsertBody(invoiceId: number, lineId: number, quantity: number): unknown[] {
  return [{ id: invoiceId, lines: [{ id: lineId, qty_order: quantity }] }]
}

/** Returns the fields of a line that a quantity update must leave alone, for comparing reads. */
export function lineFingerprint(line: HaloInvoiceLine): string {
  const fields = [line._itemid ?? null, line.qty_order ?? null, line.unit_price ?? null]
  return JSON.stringify([...fields, line.isinactive === true])
}
