/**
 * The fake's `POST /api/RecurringInvoice`: an array of invoices, where an element with an
 * `id` updates that invoice and one without creates a new one. Within an update, a line
 * with an `id` updates that line, a line without one is added, and lines left out stay.
 */
import { type FakeInvoice, type FakeLine, type FakeTenant, haloTime } from './render.ts'

/** A rejected upsert, with the HTTP status of the fake's response. */
export class UpsertError extends Error {
  readonly status: number

  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

type Fields = Record<string, unknown>

const LINE_NUMBERS = ['qty_order', 'unit_price', '_itemid'] as const

/** Checks the whole body first, then applies it, so a rejected body changes nothing. */
export function applyUpsert(tenant: FakeTenant, body: unknown): FakeInvoice[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new UpsertError(400, 'Send a non-empty JSON array of recurring invoices.')
  }
  const elements = body.map((element, index) => checkElement(tenant, element, index))
  return elements.map(({ fields, invoice }) =>
    invoice ? updateInvoice(tenant, invoice, fields) : createInvoice(tenant, fields),
  )
}

function checkElement(
  tenant: FakeTenant,
  element: unknown,
  index: number,
): { fields: Fields; invoice: FakeInvoice | undefined } {
  if (element === null || typeof element !== 'object' || Array.isArray(element)) {
    throw new UpsertError(400, `Element ${index} is not an object.`)
  }
  const fields = element as Fields
  const id = fields.id
  let invoice: FakeInvoice | undefined
  if (id !== undefined && id !== 0) {
    invoice = tenant.invoices.find((candidate) => candidate.id === id)
    if (!invoice) throw new UpsertError(404, `Recurring invoice ${String(id)} not found.`)
  } else if (typeof fields.client_id !== 'number') {
    throw new UpsertError(400, `Element ${index} creates an invoice but has no client_id.`)
  }
  checkLines(fields.lines, invoice, index)
  return { fields, invoice }
}

function checkLines(lines: unknown, invoice: FakeInvoice | undefined, index: number): void {
  if (lines === undefined) return
  if (!Array.isArray(lines)) throw new UpsertError(400, `Element ${index}: lines is not an array.`)
  for (const line of lines as Fields[]) {
    if (line === null || typeof line !== 'object') {
      throw new UpsertError(400, `Element ${index}: a line is not an object.`)
    }
    for (const key of LINE_NUMBERS) {
      if (line[key] !== undefined && !Number.isFinite(line[key])) {
        throw new UpsertError(400, `Element ${index}: ${key} must be a number.`)
      }
    }
    if (line.id !== undefined && !invoice?.lines.some((existing) => existing.id === line.id)) {
      throw new UpsertError(400, `Element ${index}: line ${String(line.id)} is not on the invoice.`)
    }
  }
}

function updateInvoice(tenant: FakeTenant, invoice: FakeInvoice, fields: Fields): FakeInvoice {
  if (typeof fields.reference === 'string') invoice.reference = fields.reference
  if (typeof fields.disabled === 'boolean') invoice.disabled = fields.disabled
  for (const line of (fields.lines ?? []) as Fields[]) {
    const existing = invoice.lines.find((candidate) => candidate.id === line.id)
    if (existing) updateLine(existing, line)
    else invoice.lines.push(newLine(tenant, invoice.id, line))
  }
  invoice.last_modified = haloTime(new Date())
  return invoice
}

function createInvoice(tenant: FakeTenant, fields: Fields): FakeInvoice {
  const sequence = tenant.nextInvoiceId++
  const id = tenant.negativeInvoiceIds ? -sequence : sequence
  const clientId = fields.client_id as number
  const invoice: FakeInvoice = {
    id,
    client_id: clientId,
    client_name: tenant.clients.find((client) => client.id === clientId)?.name ?? '',
    reference: typeof fields.reference === 'string' ? fields.reference : '',
    disabled: fields.disabled === true,
    last_modified: haloTime(new Date()),
    lines: [],
  }
  for (const line of (fields.lines ?? []) as Fields[]) invoice.lines.push(newLine(tenant, id, line))
  tenant.invoices.push(invoice)
  return invoice
}

function updateLine(line: FakeLine, fields: Fields): void {
  if (typeof fields.qty_order === 'number') line.qty_order = fields.qty_order
  if (typeof fields.unit_price === 'number') line.unit_price = fields.unit_price
  if (typeof fields._itemid === 'number') line._itemid = fields._itemid
  if (typeof fields.isinactive === 'boolean') line.isinactive = fields.isinactive
}

function newLine(tenant: FakeTenant, invoiceId: number, fields: Fields): FakeLine {
  const itemId = typeof fields._itemid === 'number' ? fields._itemid : 0
  const item = tenant.items.find((candidate) => candidate.id === itemId)
  const line: FakeLine = {
    id: tenant.nextLineId++,
    ihid: invoiceId,
    _itemid: itemId,
    item_code: item?.code ?? '',
    item_shortdescription: item?.name ?? '',
    qty_order: 0,
    unit_price: item?.baseprice ?? 0,
    isinactive: false,
  }
  updateLine(line, fields)
  return line
}
