/**
 * The same scenarios against every PSA fake through the common adapter interface: what an
 * adapter lists, how it reads one line, and how quantity updates behave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PsaFakeConnection, startPsaFake } from '../fakes/demo-world.ts'
import { generateWorld } from '../fakes/world/generate.ts'
import type { World } from '../fakes/world/types.ts'
import type { PsaLine } from '../src/core/types.ts'
import { isAppError } from '../src/errors.ts'
import { createPsaAdapter, resolvePsaConnection } from '../src/psa/registry.ts'
import type { PsaAdapter, PsaKind } from '../src/psa/types.ts'

const KINDS: PsaKind[] = ['connectwise', 'autotask', 'halo']
const HTTP = { timeoutMs: 5000, maxRetries: 1, baseDelayMs: 1 }
const world: World = generateWorld({ seed: 5, devices: 600, organizations: 30 })
const today = new Date().toISOString().slice(0, 10)

function adapterFor(connection: PsaFakeConnection, secrets = connection.secrets): PsaAdapter {
  const resolved = resolvePsaConnection(connection.kind, connection.settings, secrets)
  return createPsaAdapter(connection.kind, resolved, HTTP)
}

describe.each(KINDS)('%s adapter contract', (kind) => {
  let connection: PsaFakeConnection
  let adapter: PsaAdapter
  let lines: PsaLine[]

  beforeAll(async () => {
    process.env.MSP_RECON_ALLOWED_HOSTS = '127.0.0.1'
    connection = await startPsaFake(kind, world)
    adapter = adapterFor(connection)
    lines = await adapter.listLines()
  })

  afterAll(async () => {
    await connection?.fake.close()
  })

  it('accepts good credentials', async () => {
    await expect(adapter.verifyCredentials()).resolves.toBeUndefined()
  })

  it('rejects a wrong secret', async () => {
    const wrong = Object.fromEntries(
      Object.keys(connection.secrets).map((key) => [key, 'not-the-secret']),
    )
    const error = await adapterFor(connection, wrong)
      .verifyCredentials()
      .catch((caught: unknown) => caught)
    expect(isAppError(error, 'auth_failed')).toBe(true)
    expect(String((error as Error).message)).not.toContain('not-the-secret')
  })

  it('lists active customer companies only', async () => {
    const ids = new Set((await adapter.listCompanies()).map((company) => company.id))
    for (const company of world.companies) {
      if (!company.active) expect(ids.has(company.id), `inactive ${company.id}`).toBe(false)
    }
    const activeCustomers = world.companies.filter((c) => c.active && c.customer)
    expect(activeCustomers.every((company) => ids.has(company.id))).toBe(true)
  })

  it('lists the catalog with prices', async () => {
    const products = await adapter.listProducts()
    for (const product of world.products) {
      const listed = products.find((candidate) => candidate.id === product.id)
      expect(listed?.name).toBeTruthy()
      expect(listed?.unitPrice).toBeCloseTo(product.unitPrice, 2)
    }
  })

  it('lists active lines of active agreements only', () => {
    const active = new Set<number>()
    const inactive = new Set<number>()
    for (const contract of world.contracts) {
      const company = world.companies.find((candidate) => candidate.id === contract.companyId)
      for (const line of contract.lines) {
        const live = contract.active && line.cancelledDate === null && company?.active === true
        ;(live ? active : inactive).add(line.id)
      }
    }
    const listed = new Set(lines.map((line) => line.id))
    for (const id of inactive) expect(listed.has(id), `line ${id}`).toBe(false)
    const customerLines = world.contracts
      .filter((contract) => world.companies.find((c) => c.id === contract.companyId)?.customer)
      .flatMap((contract) => contract.lines.map((line) => line.id))
      .filter((id) => active.has(id))
    expect(customerLines.every((id) => listed.has(id))).toBe(true)
  })

  it('reads one line fresh', async () => {
    const line = lines[0]!
    const fresh = await adapter.getLine({ agreementId: line.agreementId, lineId: line.id })
    expect(fresh?.quantity).toBe(line.quantity)
    expect(fresh?.productId).toBe(line.productId)
  })

  it('writes a quantity once', async () => {
    const line = lines[1]!
    const ref = { agreementId: line.agreementId, lineId: line.id }
    const next = line.quantity + 4
    const writes = connection.control.writes()
    const first = await adapter.updateQuantity(ref, line.quantity, next, { effectiveDate: today })
    expect(first).toMatchObject({ outcome: 'written', before: line.quantity, after: next })
    expect(connection.control.quantityOf(line.agreementId, line.id)).toBe(next)
    expect(connection.control.writes()).toBe(writes + 1)

    const again = await adapter.updateQuantity(ref, line.quantity, next, { effectiveDate: today })
    expect(again.outcome).toBe('unchanged')
    expect(connection.control.writes()).toBe(writes + 1)
  })

  it('refuses a quantity changed in the PSA', async () => {
    const line = lines[2]!
    connection.control.setQuantity(line.agreementId, line.id, line.quantity + 7)
    const writes = connection.control.writes()
    const result = await adapter.updateQuantity(
      { agreementId: line.agreementId, lineId: line.id },
      line.quantity,
      line.quantity + 1,
      { effectiveDate: today },
    )
    expect(result.outcome).toBe('refused')
    expect(result.reason).toMatch(/changed/i)
    expect(connection.control.writes()).toBe(writes)
    expect(connection.control.quantityOf(line.agreementId, line.id)).toBe(line.quantity + 7)
  })

  it('reports a missing line', async () => {
    const ref = { agreementId: lines[0]!.agreementId, lineId: 987_654 }
    expect(await adapter.getLine(ref)).toBeNull()
    const error = await adapter.updateQuantity(ref, 1, 2).catch((caught: unknown) => caught)
    expect(isAppError(error, 'not_found')).toBe(true)
  })
})
