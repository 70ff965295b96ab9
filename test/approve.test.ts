import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approve } from '../src/app/approve.ts'
import { loadReconciliation } from '../src/app/reconcile.ts'
import { type DemoSetup, setUpDemo } from '../src/demo/run-demo.ts'
import { makeDataDir } from './stores.ts'

describe('parallel approvals', () => {
  let demo: DemoSetup

  beforeAll(async () => {
    const { dataDir } = makeDataDir()
    demo = await setUpDemo({ psa: 'autotask', devices: 400, organizations: 12, dataDir })
  })

  afterAll(async () => {
    await demo?.close()
  })

  it('write one Autotask delta once', async () => {
    const { items } = await loadReconciliation(demo.ctx)
    const target = items.find((item) => item.status === 'under-billed' && item.vendorCount > 0)!
    const today = new Date().toISOString().slice(0, 10)
    const control = demo.fakes.psa.control

    const results = await Promise.all(
      [1, 2, 3].map(() => approve(demo.ctx, { items: [target.id], effectiveDate: today })),
    )

    const outcomes = results.map(([result]) => result!.outcome).sort()
    expect(outcomes.filter((outcome) => outcome === 'written')).toHaveLength(1)
    expect(outcomes.every((outcome) => ['written', 'skipped', 'unchanged'].includes(outcome))).toBe(
      true,
    )
    expect(control.writes()).toBe(1)
    expect(control.quantityOf(target.agreementId!, target.additionId!)).toBe(target.vendorCount)
  })
})
