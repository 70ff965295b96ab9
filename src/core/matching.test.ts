import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { autoMatchAccounts, normalizeName, suggestCompanies } from './matching.ts'
import type { PsaCompany, VendorOrganization } from './types.ts'

const named = (id: number, name: string) => ({ id, name })

/** Returns the score of `companyName` as a suggestion for `orgName`, or 0 when not suggested. */
function scoreOf(orgName: string, companyName: string): number {
  const suggestions = suggestCompanies([named(1, orgName)], [named(2, companyName)], new Set())
  return suggestions.get(1)?.[0]?.score ?? 0
}

describe('normalizeName', () => {
  it('trims, collapses and lower-cases', () => {
    expect(normalizeName('  Contoso \t  Ltd\n')).toBe('contoso ltd')
    expect(normalizeName('ÉCOLE Nord')).toBe('école nord')
  })

  it('keeps punctuation and legal forms', () => {
    expect(normalizeName('Acme, Inc.')).not.toBe(normalizeName('Acme Inc'))
    expect(normalizeName('Contoso Ltd')).not.toBe(normalizeName('Contoso Limited'))
  })

  it('ignores the host locale', () => {
    // Turkish locale rules would lower-case "I" to a dotless "ı".
    expect(normalizeName('INDIGO')).toBe('indigo')
  })
})

describe('autoMatchAccounts', () => {
  it('maps equal normalized names', () => {
    const orgs = [named(1, 'Contoso  Ltd'), named(2, 'Fabrikam')]
    const companies = [named(10, 'contoso ltd '), named(11, 'Fabrikam Inc')]

    expect(autoMatchAccounts(orgs, companies, [])).toEqual([
      { organizationId: 1, companyId: 10, matchedBy: 'exact' },
    ])
  })

  it('skips already mapped accounts', () => {
    const orgs = [named(1, 'Contoso'), named(2, 'Fabrikam')]
    const companies = [named(10, 'Contoso'), named(11, 'Fabrikam')]
    const existing = [
      { organizationId: 1, companyId: 99, matchedBy: 'manual' as const },
      { organizationId: 98, companyId: 11, matchedBy: 'manual' as const },
    ]

    expect(autoMatchAccounts(orgs, companies, existing)).toEqual([])
  })

  it('skips names shared by companies', () => {
    const orgs = [named(1, 'Contoso')]
    const companies = [named(10, 'Contoso'), named(11, 'CONTOSO')]

    expect(autoMatchAccounts(orgs, companies, [])).toEqual([])
  })

  it('skips names shared by organizations', () => {
    const orgs = [named(1, 'Contoso'), named(2, 'contoso')]
    const companies = [named(10, 'Contoso')]

    expect(autoMatchAccounts(orgs, companies, [])).toEqual([])
  })

  it('skips shared names even when mapped', () => {
    const orgs = [named(1, 'Contoso')]
    const companies = [named(10, 'Contoso'), named(11, 'Contoso')]
    const existing = [{ organizationId: 50, companyId: 10, matchedBy: 'manual' as const }]

    expect(autoMatchAccounts(orgs, companies, existing)).toEqual([])
  })

  it('ignores blank names', () => {
    expect(autoMatchAccounts([named(1, '  ')], [named(10, '')], [])).toEqual([])
  })

  it('never maps unequal names', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 4 }), { maxLength: 6 }),
        fc.array(fc.string({ maxLength: 4 }), { maxLength: 6 }),
        (orgNames, companyNames) => {
          const orgs = orgNames.map((name, i) => named(i, name))
          const companies = companyNames.map((name, i) => named(100 + i, name))
          const matches = autoMatchAccounts(orgs, companies, [])
          const orgIds = matches.map((match) => match.organizationId)
          const companyIds = matches.map((match) => match.companyId)

          expect(new Set(orgIds).size).toBe(matches.length)
          expect(new Set(companyIds).size).toBe(matches.length)
          for (const match of matches) {
            const orgName = orgs.find((org) => org.id === match.organizationId)!.name
            const companyName = companies.find((c) => c.id === match.companyId)!.name
            expect(normalizeName(orgName)).toBe(normalizeName(companyName))
          }
        },
      ),
    )
  })
})

describe('suggestCompanies scoring', () => {
  it('treats legal synonyms as equal', () => {
    expect(scoreOf('Contoso Ltd', 'Contoso Limited')).toBeGreaterThanOrEqual(0.9)
    expect(scoreOf('Northwind Corporation', 'Northwind Corp.')).toBeGreaterThanOrEqual(0.9)
    expect(scoreOf('Tailspin Pty Ltd', 'Tailspin Proprietary Limited')).toBeGreaterThanOrEqual(0.9)
  })

  it('ignores punctuation and "the"', () => {
    expect(scoreOf('Acme, Inc.', 'Acme Inc')).toBeGreaterThanOrEqual(0.9)
    expect(scoreOf('The Fourth Coffee Company', 'Fourth Coffee Co')).toBeGreaterThanOrEqual(0.9)
    expect(scoreOf('Smith & Sons', 'Smith and Sons')).toBeGreaterThanOrEqual(0.9)
    expect(scoreOf("O'Brien Dental", 'OBrien Dental')).toBeGreaterThanOrEqual(0.9)
  })

  it('scores spelling variants high', () => {
    expect(scoreOf('Harbor Point Logistics', 'Harbour Point Logistics')).toBeGreaterThanOrEqual(0.9)
    expect(scoreOf('Contosso', 'Contoso')).toBeGreaterThanOrEqual(0.8)
    expect(scoreOf('Café Lumière', 'Cafe Lumiere')).toBeGreaterThanOrEqual(0.9)
  })

  it('tolerates swapped word order', () => {
    expect(scoreOf('Point Harbor Logistics', 'Harbor Point Logistics')).toBeGreaterThanOrEqual(0.7)
  })

  it('rejects unrelated names', () => {
    expect(scoreOf('Acme Corp', 'Contoso Ltd')).toBe(0)
    expect(scoreOf('Smith Dental', 'Smith Plumbing')).toBe(0)
    expect(scoreOf('Northwind Traders', 'Blue Yonder Traders')).toBe(0)
    expect(scoreOf('Alpine Ski House', 'Wide World Importers')).toBe(0)
  })

  it('prefers a matching legal form', () => {
    const companies = [named(10, 'Contoso Inc'), named(11, 'Contoso Ltd')]
    const [best, second] = suggestCompanies(
      [named(1, 'Contoso Limited')],
      companies,
      new Set(),
    ).get(1)!

    expect(best?.companyId).toBe(11)
    expect(second?.companyId).toBe(10)
    expect(second!.score).toBeLessThan(best!.score)
  })
})

describe('suggestCompanies ranking', () => {
  const companies: PsaCompany[] = [
    named(10, 'Harbour Point Logistics'),
    named(11, 'Harbor Point Logistics LLC'),
    named(12, 'Harbor Pointe Logistic'),
    named(13, 'Harbor Freight'),
    named(14, 'Harbor Point Logistics Inc'),
  ]
  const org: VendorOrganization = named(1, 'Harbor Point Logistics')

  it('ranks best first within limit', () => {
    const suggestions = suggestCompanies([org], companies, new Set()).get(1)!

    expect(suggestions).toHaveLength(3)
    expect(suggestions.map((s) => s.score)).toEqual(
      [...suggestions.map((s) => s.score)].sort((a, b) => b - a),
    )
    expect(suggestions[0]!.score).toBe(1)
    expect(suggestions.map((s) => s.companyId)).not.toContain(13)
  })

  it('honors a custom limit', () => {
    expect(suggestCompanies([org], companies, new Set(), 1).get(1)).toHaveLength(1)
    expect(suggestCompanies([org], companies, new Set(), 10).get(1)).toHaveLength(4)
  })

  it('rejects an invalid limit', () => {
    for (const limit of [0, -1, 1.5]) {
      expect(() => suggestCompanies([org], companies, new Set(), limit), `${limit}`).toThrow(
        /Invalid suggestion limit/,
      )
    }
  })

  it('excludes mapped companies', () => {
    const suggestions = suggestCompanies([org], companies, new Set([11, 14])).get(1)!

    expect(suggestions.map((s) => s.companyId)).toEqual([10, 12])
  })

  it('returns an entry per organization', () => {
    const suggestions = suggestCompanies([org, named(2, 'Zebra Kitchens')], companies, new Set())

    expect(suggestions.get(2)).toEqual([])
  })

  it('rounds scores to two decimals', () => {
    const suggestions = suggestCompanies([org], companies, new Set(), 10).get(1)!

    for (const { score } of suggestions) {
      expect(score).toBe(Math.round(score * 100) / 100)
      expect(score).toBeGreaterThanOrEqual(0.6)
      expect(score).toBeLessThanOrEqual(1)
    }
  })

  it('is deterministic across input order', () => {
    const forward = suggestCompanies([org], companies, new Set(), 10).get(1)
    const reversed = suggestCompanies([org], [...companies].reverse(), new Set(), 10).get(1)

    expect(reversed).toEqual(forward)
  })

  it('skips blank names', () => {
    const suggestions = suggestCompanies([named(1, ' . ')], [named(10, '--')], new Set())

    expect(suggestions.get(1)).toEqual([])
  })
})

/** Deterministic pseudo-random numbers 0..1 (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST_WORDS = (
  'Harbor Summit Blue Cedar North Pioneer Granite Silver Oak River Eagle Maple Atlas Beacon ' +
  'Coastal Metro Prairie Liberty Keystone Lakeside Bright Golden Iron Redwood Valley Crescent ' +
  'Union Sterling'
).split(' ')
const SECOND_WORDS = (
  'Point Ridge Creek Park Hill Bay Stone Field Grove Bridge Way Rock Gate Peak Harbor Falls ' +
  'Spring Wood Lane Street Square'
).split(' ')
const TRADES = (
  'Logistics,Dental,Family Medicine,Legal Group,Accounting,Construction,Realty,Insurance,' +
  'Services,Consulting,Manufacturing,Veterinary Clinic,Plumbing,Partners,Holdings,Foods,' +
  'Solutions,Engineering,Credit Union'
).split(',')
const LEGAL = ['', '', ' LLC', ' Inc.', ' Ltd', ', Inc', ' Corp', ' Co.', ' Limited', ' PLC']

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function companyName(random: () => number): string {
  const trade = pick(random, TRADES)
  return `${pick(random, FIRST_WORDS)} ${pick(random, SECOND_WORDS)} ${trade}${pick(random, LEGAL)}`
}

/** Returns a near miss of a company name: no legal form, or a doubled vowel (a typo). */
function nearMiss(name: string, variant: number): string {
  return variant % 2 === 0
    ? name.replace(/,? (LLC|Inc\.?|Ltd|Corp|Co\.|Limited|PLC)$/, '')
    : name.replace(/[aeiou]/, (vowel) => vowel + vowel)
}

describe('suggestCompanies scale', () => {
  it('ranks 2,000 × 2,000 names', () => {
    const random = seededRandom(42)
    const companies = Array.from({ length: 2000 }, (_, i) => named(10_000 + i, companyName(random)))
    // Even organizations carry a near miss of the company at the same position.
    const orgs = Array.from({ length: 2000 }, (_, i) =>
      named(i, i % 2 === 0 ? nearMiss(companies[i]!.name, i / 2) : companyName(random)),
    )

    const suggestions = suggestCompanies(orgs, companies, new Set())

    expect(suggestions.size).toBe(2000)
    const found = orgs.filter(
      (org) =>
        org.id % 2 === 0 &&
        suggestions.get(org.id)!.some((s) => s.companyId === companies[org.id]!.id),
    )
    expect(found.length).toBeGreaterThanOrEqual(950)
  })
})
