import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isAppError } from '../errors.ts'
import { monthlyImpact, type ReconcileInput, reconcile, totals } from './reconcile.ts'
import { SERVICES, type ServiceName } from './services.ts'
import type { OrgServiceCount, PsaLine, ReconciliationItem } from './types.ts'

const SYNCED_AT = '2025-03-01T06:00:00.000Z'

const WORKSTATION_PRODUCT = 100
const SERVER_PRODUCT = 101
const SERVER_PREMIUM_PRODUCT = 102

let nextLineId = 5000

function line(companyId: number, productId: number, fields: Partial<PsaLine> = {}): PsaLine {
  return {
    id: nextLineId++,
    agreementId: 700,
    agreementName: 'Managed Services',
    companyId,
    productId,
    quantity: 10,
    lessIncluded: 0,
    unitPrice: 12.5,
    updatedAt: null,
    ...fields,
  }
}

function count(organizationId: number, service: ServiceName, value: number): OrgServiceCount {
  return { organizationId, service, count: value }
}

/** Builds an input: organization 1 maps to company 10, workstations and 2 server tiers map. */
function input(overrides: Partial<ReconcileInput> = {}): ReconcileInput {
  return {
    organizations: [
      { id: 1, name: 'Contoso' },
      { id: 2, name: 'Fabrikam' },
    ],
    companies: [
      { id: 10, name: 'Contoso Ltd' },
      { id: 20, name: 'Fabrikam Inc' },
    ],
    products: [
      { id: WORKSTATION_PRODUCT, name: 'Workstation care', identifier: 'WS', unitPrice: 30 },
      { id: SERVER_PRODUCT, name: 'Server care', identifier: 'SRV', unitPrice: 90 },
      { id: SERVER_PREMIUM_PRODUCT, name: 'Server care+', identifier: 'SRV+', unitPrice: 120 },
    ],
    counts: [],
    countsSyncedAt: SYNCED_AT,
    lines: [],
    accountMappings: [{ organizationId: 1, companyId: 10, matchedBy: 'exact' }],
    serviceMappings: [
      { service: 'Total Workstations', productId: WORKSTATION_PRODUCT },
      { service: 'Total Servers', productId: SERVER_PRODUCT },
      { service: 'Total Servers', productId: SERVER_PREMIUM_PRODUCT },
    ],
    ...overrides,
  }
}

function only(items: ReconciliationItem[]): ReconciliationItem {
  expect(items).toHaveLength(1)
  return items[0]!
}

describe('reconcile statuses', () => {
  it('reports a matching quantity', () => {
    const billed = line(10, WORKSTATION_PRODUCT, { quantity: 7 })
    const item = only(
      reconcile(input({ counts: [count(1, 'Total Workstations', 7)], lines: [billed] })),
    )

    expect(item).toEqual({
      id: '1:workstations',
      organizationId: 1,
      organizationName: 'Contoso',
      companyId: 10,
      companyName: 'Contoso Ltd',
      service: 'Total Workstations',
      productId: WORKSTATION_PRODUCT,
      agreementId: 700,
      additionId: billed.id,
      vendorCount: 7,
      psaQuantity: 7,
      lessIncluded: 0,
      delta: 0,
      unitPrice: 12.5,
      monthlyImpact: 0,
      status: 'match',
      lastUpdated: SYNCED_AT,
      candidateLineIds: [],
    })
  })

  it('reports under-billed devices', () => {
    const lines = [line(10, WORKSTATION_PRODUCT, { quantity: 7, unitPrice: 19.99 })]
    const item = only(reconcile(input({ counts: [count(1, 'Total Workstations', 10)], lines })))

    expect(item.status).toBe('under-billed')
    expect(item.delta).toBe(3)
    expect(item.monthlyImpact).toBe(59.97)
  })

  it('reports over-billed devices', () => {
    const lines = [line(10, WORKSTATION_PRODUCT, { quantity: 7, unitPrice: 19.99 })]
    const item = only(reconcile(input({ counts: [count(1, 'Total Workstations', 5)], lines })))

    expect(item.status).toBe('over-billed')
    expect(item.delta).toBe(-2)
    expect(item.monthlyImpact).toBe(-39.98)
  })

  it('counts a missing count as zero', () => {
    const item = only(reconcile(input({ lines: [line(10, WORKSTATION_PRODUCT, { quantity: 4 })] })))

    expect(item.vendorCount).toBe(0)
    expect(item.status).toBe('over-billed')
    expect(item.delta).toBe(-4)
  })

  it('prices new revenue from catalog', () => {
    const item = only(reconcile(input({ counts: [count(1, 'Total Workstations', 4)] })))

    expect(item.status).toBe('new-revenue')
    expect(item.productId).toBe(WORKSTATION_PRODUCT)
    expect(item.psaQuantity).toBeNull()
    expect(item.agreementId).toBeNull()
    expect(item.additionId).toBeNull()
    expect(item.delta).toBe(4)
    expect(item.unitPrice).toBe(30)
    expect(item.monthlyImpact).toBe(120)
    expect(item.lastUpdated).toBe(SYNCED_AT)
  })

  it('leaves tiered new revenue unpriced', () => {
    const item = only(reconcile(input({ counts: [count(1, 'Total Servers', 3)] })))

    expect(item.status).toBe('new-revenue')
    expect(item.productId).toBeNull()
    expect(item.unitPrice).toBe(0)
    expect(item.monthlyImpact).toBe(0)
    expect(item.delta).toBe(3)
  })

  it('prices unknown catalog products at zero', () => {
    const item = only(
      reconcile(input({ products: [], counts: [count(1, 'Total Workstations', 2)] })),
    )

    expect(item.productId).toBe(WORKSTATION_PRODUCT)
    expect(item.unitPrice).toBe(0)
    expect(item.monthlyImpact).toBe(0)
  })

  it('skips zero counts without lines', () => {
    expect(reconcile(input({ counts: [count(1, 'Total Workstations', 0)] }))).toEqual([])
  })

  it('never picks between two lines', () => {
    const lines = [
      line(10, WORKSTATION_PRODUCT, { id: 9002, updatedAt: '2025-03-02T00:00:00Z' }),
      line(10, WORKSTATION_PRODUCT, { id: 9001 }),
    ]
    const item = only(reconcile(input({ counts: [count(1, 'Total Workstations', 12)], lines })))

    expect(item.status).toBe('ambiguous')
    expect(item.candidateLineIds).toEqual([9001, 9002])
    expect(item.productId).toBeNull()
    expect(item.agreementId).toBeNull()
    expect(item.additionId).toBeNull()
    expect(item.psaQuantity).toBeNull()
    expect(item.delta).toBe(0)
    expect(item.monthlyImpact).toBe(0)
    expect(item.vendorCount).toBe(12)
    expect(item.lastUpdated).toBe('2025-03-02T00:00:00.000Z')
  })
})

describe('monthlyImpact', () => {
  it('bills only units above included', () => {
    expect(monthlyImpact(3, 8, 5, 10)).toBe(30)
    expect(monthlyImpact(2, 4, 5, 10)).toBe(0)
    expect(monthlyImpact(8, 3, 5, 10)).toBe(-30)
    expect(monthlyImpact(6, 9, 5, 10)).toBe(30)
  })

  it('rounds to cents', () => {
    expect(monthlyImpact(0, 3, 0, 0.1)).toBe(0.3)
    expect(monthlyImpact(0, 1, 0, 1.005)).toBe(1.01)
    expect(monthlyImpact(1, 0, 0, 1.005)).toBe(-1.01)
    expect(monthlyImpact(0, 1, 0, 0.001)).toBe(0)
    expect(Object.is(monthlyImpact(1, 0, 0, 0.001), 0)).toBe(true)
  })

  it('matches delta sign without included units', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000 }),
        fc.nat({ max: 10_000 }),
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        (oldQuantity, newQuantity, unitPrice) => {
          const impact = monthlyImpact(oldQuantity, newQuantity, 0, unitPrice)
          expect(Math.sign(impact)).toBe(Math.sign(newQuantity - oldQuantity))
        },
      ),
    )
  })

  it('applies the line to reconcile items', () => {
    const lines = [line(10, WORKSTATION_PRODUCT, { quantity: 3, lessIncluded: 5, unitPrice: 10 })]
    const item = only(reconcile(input({ counts: [count(1, 'Total Workstations', 8)], lines })))

    expect(item.lessIncluded).toBe(5)
    expect(item.delta).toBe(5)
    expect(item.monthlyImpact).toBe(30)
    expect(item.status).toBe('under-billed')
  })
})

describe('reconcile tiers', () => {
  it('flags one line per tier', () => {
    const lines = [line(10, SERVER_PREMIUM_PRODUCT), line(10, SERVER_PRODUCT)]
    const item = only(reconcile(input({ counts: [count(1, 'Total Servers', 4)], lines })))

    expect(item.status).toBe('ambiguous')
    expect(item.candidateLineIds).toEqual(lines.map((l) => l.id).sort((a, b) => a - b))
  })

  it('uses the one tier line', () => {
    const premium = line(10, SERVER_PREMIUM_PRODUCT, { quantity: 2, unitPrice: 120 })
    const item = only(
      reconcile(input({ counts: [count(1, 'Total Servers', 4)], lines: [premium] })),
    )

    expect(item.status).toBe('under-billed')
    expect(item.productId).toBe(SERVER_PREMIUM_PRODUCT)
    expect(item.additionId).toBe(premium.id)
    expect(item.monthlyImpact).toBe(240)
  })
})

describe('reconcile scope', () => {
  it('ignores unmapped accounts', () => {
    const items = reconcile(
      input({
        counts: [count(2, 'Total Workstations', 5)],
        lines: [line(20, WORKSTATION_PRODUCT)],
      }),
    )

    expect(items).toEqual([])
  })

  it('ignores unmapped services', () => {
    const items = reconcile(
      input({
        counts: [count(1, 'Total Mobile Devices', 5), count(1, 'Total Devices', 9)],
        lines: [line(10, 999)],
      }),
    )

    expect(items).toEqual([])
  })

  it('ignores other companies lines', () => {
    const lines = [line(20, WORKSTATION_PRODUCT, { quantity: 3 })]
    const item = only(reconcile(input({ counts: [count(1, 'Total Workstations', 3)], lines })))

    expect(item.status).toBe('new-revenue')
  })

  it('names accounts missing from lists', () => {
    const item = only(
      reconcile(
        input({
          organizations: [],
          companies: [],
          lines: [line(10, WORKSTATION_PRODUCT)],
        }),
      ),
    )

    expect(item.organizationName).toBe('(unknown organization 1)')
    expect(item.companyName).toBe('(unknown company 10)')
  })

  it('tolerates a repeated mapping', () => {
    const mapping = { organizationId: 1, companyId: 10, matchedBy: 'exact' as const }
    const items = reconcile(
      input({
        accountMappings: [mapping, { ...mapping, matchedBy: 'manual' }],
        serviceMappings: [
          { service: 'Total Workstations', productId: WORKSTATION_PRODUCT },
          { service: 'Total Workstations', productId: WORKSTATION_PRODUCT },
        ],
        lines: [line(10, WORKSTATION_PRODUCT)],
      }),
    )

    expect(items).toHaveLength(1)
    expect(items[0]!.status).toBe('over-billed')
  })
})

describe('reconcile rejects', () => {
  function rejection(overrides: Partial<ReconcileInput>): unknown {
    try {
      reconcile(input(overrides))
    } catch (error) {
      return error
    }
    return undefined
  }

  it('rejects organization mapped twice', () => {
    const error = rejection({
      accountMappings: [
        { organizationId: 1, companyId: 10, matchedBy: 'exact' },
        { organizationId: 1, companyId: 20, matchedBy: 'manual' },
      ],
    })

    expect(isAppError(error, 'conflict')).toBe(true)
    expect((error as Error).message).toContain('Organization 1 is mapped to two PSA companies')
  })

  it('rejects company mapped twice', () => {
    const error = rejection({
      accountMappings: [
        { organizationId: 1, companyId: 10, matchedBy: 'exact' },
        { organizationId: 2, companyId: 10, matchedBy: 'manual' },
      ],
    })

    expect(isAppError(error, 'conflict')).toBe(true)
    expect((error as Error).message).toContain('PSA company 10 is mapped to two organizations')
  })

  it('rejects product in two services', () => {
    const error = rejection({
      serviceMappings: [
        { service: 'Total Workstations', productId: WORKSTATION_PRODUCT },
        { service: 'Total Devices', productId: WORKSTATION_PRODUCT },
      ],
    })

    expect(isAppError(error, 'conflict')).toBe(true)
    expect((error as Error).message).toContain(`PSA product ${WORKSTATION_PRODUCT}`)
  })

  it('rejects an invalid sync time', () => {
    const error = rejection({ countsSyncedAt: 'yesterday' })

    expect(isAppError(error, 'bad_request')).toBe(true)
    expect((error as Error).message).toContain('"yesterday" is not an ISO 8601 time')
  })
})

describe('reconcile lastUpdated', () => {
  it('takes the later change time', () => {
    const lines = [line(10, WORKSTATION_PRODUCT, { updatedAt: '2025-03-01T08:30:00+02:00' })]
    const item = only(reconcile(input({ lines })))

    // 08:30+02:00 is 06:30Z, later than the 06:00Z sync.
    expect(item.lastUpdated).toBe('2025-03-01T06:30:00.000Z')
  })

  it('keeps sync time when older', () => {
    const lines = [line(10, WORKSTATION_PRODUCT, { updatedAt: '2024-12-01T00:00:00Z' })]

    expect(only(reconcile(input({ lines }))).lastUpdated).toBe(SYNCED_AT)
  })

  it('ignores an invalid change time', () => {
    const lines = [line(10, WORKSTATION_PRODUCT, { updatedAt: 'not a time' })]

    expect(only(reconcile(input({ lines }))).lastUpdated).toBe(SYNCED_AT)
  })

  it('sorts newest first, then id', () => {
    const items = reconcile(
      input({
        accountMappings: [
          { organizationId: 1, companyId: 10, matchedBy: 'exact' },
          { organizationId: 2, companyId: 20, matchedBy: 'manual' },
        ],
        counts: [count(1, 'Total Servers', 1), count(2, 'Total Servers', 1)],
        lines: [
          line(10, WORKSTATION_PRODUCT),
          line(20, WORKSTATION_PRODUCT, { updatedAt: '2025-04-01T00:00:00Z' }),
        ],
      }),
    )

    expect(items.map((item) => item.id)).toEqual([
      '2:workstations',
      '1:servers',
      '1:workstations',
      '2:servers',
    ])
  })
})

/** Builds `orgCount` mapped accounts with random counts and about 5 lines each. */
function largeInput(orgCount: number, seed: number): ReconcileInput {
  let state = seed
  const random = (max: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state % max
  }
  const products = SERVICES.map((service, i) => ({
    id: 1000 + i,
    name: service.name,
    identifier: null,
    unitPrice: 5 + i,
  }))
  const base = input()
  const lines: PsaLine[] = []
  const counts: OrgServiceCount[] = []
  for (let org = 1; org <= orgCount; org++) {
    for (const [i, service] of SERVICES.entries()) {
      counts.push(count(org, service.name, random(40)))
      // Most services get one line, a few none or two.
      const lineCount = [0, 1, 1, 1, 1, 2][random(6)]!
      for (let n = 0; n < lineCount; n++) {
        lines.push(line(10_000 + org, 1000 + i, { quantity: random(40), unitPrice: 5 + i }))
      }
    }
  }
  return {
    ...base,
    organizations: Array.from({ length: orgCount }, (_, i) => ({ id: i + 1, name: `Org ${i}` })),
    companies: Array.from({ length: orgCount }, (_, i) => ({ id: 10_001 + i, name: `Co ${i}` })),
    products,
    counts,
    lines,
    accountMappings: Array.from({ length: orgCount }, (_, i) => ({
      organizationId: i + 1,
      companyId: 10_001 + i,
      matchedBy: 'exact' as const,
    })),
    serviceMappings: products.map((product, i) => ({
      service: SERVICES[i]!.name,
      productId: product.id,
    })),
  }
}

describe('reconcile at scale', () => {
  it('is deterministic across input order', () => {
    const forward = largeInput(50, 7)
    const reversed: ReconcileInput = {
      ...forward,
      organizations: [...forward.organizations].reverse(),
      counts: [...forward.counts].reverse(),
      lines: [...forward.lines].reverse(),
      accountMappings: [...forward.accountMappings].reverse(),
      serviceMappings: [...forward.serviceMappings].reverse(),
    }

    expect(reconcile(reversed)).toEqual(reconcile(forward))
  })

  it('reconciles 2,000 accounts', () => {
    const large = largeInput(2000, 42)

    const items = reconcile(large)

    expect(large.lines.length).toBeGreaterThan(9000)
    expect(items.length).toBeGreaterThan(2000 * 7)
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length)
  })
})

describe('totals', () => {
  it('sums impact by direction', () => {
    const items = reconcile(
      input({
        accountMappings: [
          { organizationId: 1, companyId: 10, matchedBy: 'exact' },
          { organizationId: 2, companyId: 20, matchedBy: 'manual' },
        ],
        counts: [
          count(1, 'Total Workstations', 10),
          count(2, 'Total Workstations', 1),
          count(1, 'Total Servers', 2),
          count(2, 'Total Servers', 5),
        ],
        lines: [
          line(10, WORKSTATION_PRODUCT, { quantity: 7, unitPrice: 0.1 }),
          line(20, WORKSTATION_PRODUCT, { quantity: 4, unitPrice: 0.2 }),
          line(10, SERVER_PRODUCT, { quantity: 2 }),
          line(20, SERVER_PRODUCT),
          line(20, SERVER_PREMIUM_PRODUCT),
        ],
      }),
    )
    const result = totals(items)

    expect(result.underBilled).toBe(0.3)
    expect(result.overBilled).toBe(0.6)
    expect(result.byStatus).toEqual({
      match: 1,
      'under-billed': 1,
      'over-billed': 1,
      ambiguous: 1,
      'new-revenue': 0,
    })
  })

  it('keeps new revenue apart', () => {
    const items = reconcile(input({ counts: [count(1, 'Total Workstations', 3)] }))

    expect(totals(items).newRevenue).toBe(90)
    expect(totals(items).underBilled).toBe(0)
    expect(totals(items).byStatus['new-revenue']).toBe(1)
  })

  it('returns zeros for no items', () => {
    expect(totals([])).toEqual({
      underBilled: 0,
      newRevenue: 0,
      overBilled: 0,
      byStatus: { match: 0, 'under-billed': 0, 'over-billed': 0, ambiguous: 0, 'new-revenue': 0 },
    })
  })

  it('agrees with item impacts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (seed) => {
        const items = reconcile(largeInput(5, seed))
        const result = totals(items)
        const impactOf = (statuses: string[]) =>
          items
            .filter((item) => statuses.includes(item.status))
            .reduce((sum, item) => sum + Math.round(item.monthlyImpact * 100), 0) / 100

        expect(result.underBilled).toBe(impactOf(['under-billed']))
        expect(result.newRevenue).toBe(impactOf(['new-revenue']))
        expect(result.overBilled).toBe(-impactOf(['over-billed']))
        expect(Object.values(result.byStatus).reduce((a, b) => a + b, 0)).toBe(items.length)
      }),
      { numRuns: 50 },
    )
  })
})
