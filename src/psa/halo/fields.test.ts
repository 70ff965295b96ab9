import { describe, expect, it } from 'vitest'
import {
  type HaloInvoice,
  invoiceName,
  isActiveInvoice,
  parseHaloTime,
  quantityUpsertBody,
  toPsaCompany,
  toPsaLines,
  toPsaProduct,
} from './fields.ts'

function invoice(overrides: Partial<HaloInvoice> = {}): HaloInvoice {
  return {
    id: -94,
    client_id: 420,
    reference: 'Managed services',
    last_modified: '2023-06-22T14:00:19.463',
    lines: [
      { id: 24963, _itemid: 1402, qty_order: 1, unit_price: 825, isinactive: false },
      { id: 24964, _itemid: 1394, qty_order: 3, unit_price: 119, isinactive: true },
      { id: 24965, _itemid: 0, qty_order: 1, unit_price: 0, isinactive: false },
      { id: 24966, _itemid: 783, qty_order: null, unit_price: 15, isinactive: false },
    ],
    ...overrides,
  }
}

describe('toPsaLines', () => {
  it('keeps active lines that bill an item', () => {
    expect(toPsaLines(invoice())).toEqual([
      {
        id: 24963,
        agreementId: -94,
        agreementName: 'Managed services',
        companyId: 420,
        productId: 1402,
        quantity: 1,
        lessIncluded: 0,
        unitPrice: 825,
        updatedAt: '2023-06-22T14:00:19.463Z',
      },
    ])
  })

  it('drops every line of a disabled invoice', () => {
    expect(toPsaLines(invoice({ disabled: true }))).toEqual([])
  })

  it('drops every line of an inactive invoice', () => {
    expect(toPsaLines(invoice({ inactive: true }))).toEqual([])
  })
})

describe('isActiveInvoice', () => {
  it('treats absent flags as active', () => {
    expect(isActiveInvoice(invoice())).toBe(true)
    expect(isActiveInvoice(invoice({ inactive: false, disabled: null }))).toBe(true)
  })
})

describe('invoiceName', () => {
  it('falls back through the name fields', () => {
    expect(invoiceName(invoice({ reference: ' ', contract_ref: 'C-17' }))).toBe('C-17')
    expect(invoiceName(invoice({ reference: null, name: 'Acme Ltd' }))).toBe('Acme Ltd')
    expect(invoiceName(invoice({ reference: '' }))).toBe('Recurring invoice -94')
  })
})

describe('parseHaloTime', () => {
  it('reads zone-less times as UTC', () => {
    expect(parseHaloTime('2023-06-22T14:00:19.463')).toBe('2023-06-22T14:00:19.463Z')
  })

  it('keeps an explicit offset', () => {
    expect(parseHaloTime('2023-06-22T14:00:00+02:00')).toBe('2023-06-22T12:00:00.000Z')
  })

  it('maps the empty date to null', () => {
    expect(parseHaloTime('1899-12-30T00:00:00')).toBeNull()
    expect(parseHaloTime('not a date')).toBeNull()
    expect(parseHaloTime(undefined)).toBeNull()
  })
})

describe('record mapping', () => {
  it('drops inactive clients', () => {
    expect(toPsaCompany({ id: 1, name: 'Acme', inactive: true })).toBeNull()
    expect(toPsaCompany({ id: 1, name: 'Acme' })).toEqual({ id: 1, name: 'Acme' })
  })

  it('maps a blank item code to null', () => {
    expect(toPsaProduct({ id: 7, name: 'Backup', code: '  ', baseprice: null })).toEqual({
      id: 7,
      name: 'Backup',
      identifier: null,
      unitPrice: null,
    })
  })

  it('builds an upsert of one line', () => {
    expect(quantityUpsertBody(-94, 24963, 12)).toEqual([
      { id: -94, lines: [{ id: 24963, qty_order: 12 }] },
    ])
  })
})
