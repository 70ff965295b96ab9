import { describe, expect, it } from 'vitest'
import { ConditionsError, checkFields, fieldPaths, matches, parseConditions } from './conditions.ts'

const agreement = {
  id: 7,
  name: 'Managed Plus',
  agreementStatus: 'Active',
  cancelledFlag: false,
  dateCancelled: null,
  startDate: '2024-01-01T00:00:00Z',
  company: { id: 250, name: 'Acme Dental' },
  types: [{ name: 'Client' }, { name: 'Partner' }],
}

function holdsFor(conditions: string): boolean {
  return matches(parseConditions(conditions), agreement)
}

describe('parseConditions', () => {
  it('compares nested fields', () => {
    expect(holdsFor('company/id=250')).toBe(true)
    expect(holdsFor('company/id != 250')).toBe(false)
    expect(holdsFor('company/id<300 and company/id>=250')).toBe(true)
  })

  it('compares strings without case', () => {
    expect(holdsFor('agreementStatus="active"')).toBe(true)
    expect(holdsFor('name like "managed%"')).toBe(true)
    expect(holdsFor('name like "Managed"')).toBe(false)
    expect(holdsFor('name not like "%Plus"')).toBe(false)
    expect(holdsFor('company/name contains "DENT"')).toBe(true)
  })

  it('gives and precedence over or', () => {
    expect(holdsFor('id=1 and id=2 or id=7')).toBe(true)
    expect(holdsFor('id=1 and (id=2 or id=7)')).toBe(false)
    expect(holdsFor('not (id=1) and cancelledFlag=false')).toBe(true)
  })

  it('handles in lists', () => {
    expect(holdsFor('id in (1, 7, 9)')).toBe(true)
    expect(holdsFor('agreementStatus in ("Cancelled", "Expired")')).toBe(false)
    expect(holdsFor('id not in (1, 2)')).toBe(true)
  })

  it('handles nulls and datetimes', () => {
    expect(holdsFor('dateCancelled=null')).toBe(true)
    expect(holdsFor('dateCancelled!=null')).toBe(false)
    expect(holdsFor('startDate<[2024-06-01T00:00:00Z]')).toBe(true)
    expect(holdsFor('startDate>[2024-06-01T00:00:00Z]')).toBe(false)
  })

  it('matches any array element', () => {
    expect(holdsFor('types/name="Partner"')).toBe(true)
    expect(holdsFor('types/name="Vendor"')).toBe(false)
  })

  it('escapes like patterns', () => {
    expect(holdsFor('name like "Managed_Plus"')).toBe(true)
    expect(matches(parseConditions('name like "a.c%"'), { id: 1, name: 'abcd' })).toBe(false)
    expect(matches(parseConditions('name like "a.c%"'), { id: 1, name: 'a.cd' })).toBe(true)
  })

  it('unescapes quoted strings', () => {
    const record = { id: 1, name: 'The "Best" Co' }

    expect(matches(parseConditions('name="The \\"Best\\" Co"'), record)).toBe(true)
  })

  it('rejects syntax errors', () => {
    for (const text of [
      'id=',
      'id 5',
      '(id=5',
      'id=5 and',
      'id=5)',
      'name = Acme',
      'id=[yesterday]',
    ]) {
      expect(() => parseConditions(text), text).toThrow(ConditionsError)
    }
  })
})

describe('checkFields', () => {
  const fields = new Set(fieldPaths(agreement))

  it('accepts known paths', () => {
    expect(() =>
      checkFields(parseConditions('company/id=1 and types/name="x"'), fields),
    ).not.toThrow()
  })

  it('rejects unknown paths', () => {
    expect(() => checkFields(parseConditions('id=1 or company/colour="red"'), fields)).toThrow(
      'Unknown field company/colour',
    )
  })
})
