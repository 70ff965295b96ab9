import { describe, expect, it } from 'vitest'
import { NODE_CLASSES, SERVICE_NAMES, type ServiceName } from '../../src/core/services.ts'
import { isAppError } from '../../src/errors.ts'
import {
  countServicesByOrganization,
  effectiveNodeClass,
  generateWorld,
  worldEpochSeconds,
} from './generate.ts'
import { normalizeName } from './naming.ts'
import type { World, WorldContract, WorldLine } from './types.ts'

const world = generateWorld({ seed: 7, devices: 20_000, organizations: 400 })
const rolesById = new Map(world.roles.map((role) => [role.id, role]))
const productsById = new Map(world.products.map((product) => [product.id, product]))
const organizationsByName = new Map(
  world.organizations.map((organization) => [normalizeName(organization.name), organization]),
)

function share(count: number, total: number): number {
  return count / total
}

function expectAscendingWithGaps(ids: readonly number[]): void {
  const outOfOrder = ids.findIndex((id, index) => index > 0 && id <= (ids[index - 1] as number))
  expect(outOfOrder).toBe(-1)
  const span = (ids.at(-1) as number) - (ids[0] as number) + 1
  expect(span).toBeGreaterThan(ids.length)
}

function activeServiceLines(contract: WorldContract): WorldLine[] {
  return contract.lines.filter(
    (line) => line.cancelledDate === null && productsById.get(line.productId)?.service != null,
  )
}

describe('generateWorld determinism', () => {
  it('repeats a world for one seed', () => {
    const options = { seed: 99, devices: 3000, organizations: 80 }
    expect(generateWorld(options)).toEqual(generateWorld(options))
  })

  it('varies the world with the seed', () => {
    const first = generateWorld({ seed: 1, devices: 500, organizations: 20 })
    const second = generateWorld({ seed: 2, devices: 500, organizations: 20 })
    expect(first.organizations.map((organization) => organization.name)).not.toEqual(
      second.organizations.map((organization) => organization.name),
    )
    expect(first.devices).not.toEqual(second.devices)
  })

  it('keeps timestamps off the wall clock', () => {
    const epoch = worldEpochSeconds(7)
    expect(epoch).toBe(worldEpochSeconds(7))
    expect(epoch).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1) / 1000)
    expect(epoch).toBeLessThanOrEqual(Date.UTC(2026, 6, 1) / 1000)
    const newest = Math.max(...world.devices.map((device) => device.lastContact))
    expect(newest).toBeLessThanOrEqual(epoch)
  })
})

describe('generateWorld organizations and devices', () => {
  it('creates the requested counts', () => {
    expect(world.organizations).toHaveLength(400)
    expect(world.devices).toHaveLength(20_000)
  })

  it('assigns ascending ids with gaps', () => {
    expectAscendingWithGaps(world.organizations.map((organization) => organization.id))
    expectAscendingWithGaps(world.devices.map((device) => device.id))
  })

  it('gives organizations unique names', () => {
    expect(organizationsByName.size).toBe(world.organizations.length)
    for (const organization of world.organizations) {
      expect(organization.name).toMatch(/^[A-Z][\w&.,' -]+$/)
    }
  })

  it('skews organization sizes', () => {
    const sizes = new Map<number, number>()
    for (const device of world.devices) {
      sizes.set(device.organizationId, (sizes.get(device.organizationId) ?? 0) + 1)
    }
    expect(sizes.size).toBe(world.organizations.length)
    const sorted = [...sizes.values()].sort((left, right) => left - right)
    const median = sorted[sorted.length >> 1] as number
    expect(sorted[0]).toBeGreaterThanOrEqual(1)
    expect(sorted.at(-1)).toBeGreaterThan(median * 8)
    expect(sorted.at(-1)).toBeLessThan(world.devices.length * 0.25)
  })

  it('places every class at 200 devices', () => {
    const small = generateWorld({ seed: 3, devices: 200, organizations: 10 })
    const smallRoles = new Map(small.roles.map((role) => [role.id, role]))
    const classes = new Set(small.devices.map((device) => effectiveNodeClass(device, smallRoles)))
    for (const nodeClass of NODE_CLASSES) expect(classes).toContain(nodeClass)
    const usedRoles = new Set(small.devices.map((device) => device.nodeRoleId))
    for (const role of small.roles) expect(usedRoles).toContain(role.id)
  })

  it('favors Windows workstations', () => {
    const byClass = new Map<string | null, number>()
    for (const device of world.devices) {
      const nodeClass = effectiveNodeClass(device, rolesById)
      byClass.set(nodeClass, (byClass.get(nodeClass) ?? 0) + 1)
    }
    const ranked = [...byClass].sort((left, right) => right[1] - left[1])
    expect(ranked[0]?.[0]).toBe('WINDOWS_WORKSTATION')
    expect(share(ranked[0]?.[1] ?? 0, world.devices.length)).toBeGreaterThan(0.5)
    expect(ranked.slice(1, 3).map(([nodeClass]) => nodeClass)).toContain('MAC')
  })

  it('matches the stated device shares', () => {
    const total = world.devices.length
    const custom = world.devices.filter((device) => rolesById.get(device.nodeRoleId)?.custom)
    const classless = world.devices.filter((device) => device.nodeClass === null)
    const pending = world.devices.filter((device) => device.approvalStatus === 'PENDING')
    const offline = world.devices.filter((device) => device.offline)
    expect(share(custom.length, total)).toBeCloseTo(0.1, 1)
    expect(share(classless.length, total)).toBeGreaterThan(0.002)
    expect(share(classless.length, total)).toBeLessThan(0.01)
    expect(share(pending.length, total)).toBeGreaterThan(0.01)
    expect(share(pending.length, total)).toBeLessThan(0.03)
    expect(share(offline.length, total)).toBeCloseTo(0.1, 1)
  })

  it('gives custom-role devices the role class', () => {
    const mismatched = world.devices.filter((device) => {
      const role = rolesById.get(device.nodeRoleId)
      return (
        role === undefined || (device.nodeClass !== null && device.nodeClass !== role.nodeClass)
      )
    })
    expect(mismatched).toEqual([])
  })

  it('orders contact after creation', () => {
    for (const device of world.devices.slice(0, 2000)) {
      expect(device.lastContact).toBeGreaterThanOrEqual(device.created)
      expect(Number.isInteger(device.created * 1000)).toBe(true)
    }
  })

  it('leaves no organization empty', () => {
    const tiny = generateWorld({ seed: 5, devices: 30, organizations: 30 })
    const used = new Set(tiny.devices.map((device) => device.organizationId))
    expect(used.size).toBe(30)
  })
})

describe('generateWorld roles', () => {
  const builtIn = world.roles.filter((role) => !role.custom)
  const custom = world.roles.filter((role) => role.custom)

  it('has one built-in role per class', () => {
    expect(builtIn.map((role) => role.nodeClass).sort()).toEqual([...NODE_CLASSES].sort())
    for (const role of builtIn) expect(role.parentId).toBeNull()
  })

  it('derives custom roles from parents', () => {
    expect(custom.length).toBeGreaterThanOrEqual(8)
    expect(custom.map((role) => role.name)).toEqual(
      expect.arrayContaining(['Kiosk Workstation', 'SQL Server', 'Core Switch']),
    )
    for (const role of custom) {
      const parent = rolesById.get(role.parentId as number)
      expect(parent).toBeDefined()
      expect(role.nodeClass).toBe(parent?.nodeClass)
    }
  })

  it('chains one custom role', () => {
    const chained = custom.filter((role) => rolesById.get(role.parentId as number)?.custom)
    expect(chained).toHaveLength(1)
    const device = world.devices.find((candidate) => candidate.nodeRoleId === chained[0]?.id)
    expect(device).toBeDefined()
  })
})

describe('generateWorld companies', () => {
  const activeCustomers = world.companies.filter((company) => company.active && company.customer)
  const organizationIds = new Set(world.organizations.map((organization) => organization.id))
  const billedCompanyIds = new Set(
    world.contracts.filter((contract) => contract.active).map((contract) => contract.companyId),
  )

  it('keeps company ids apart from organizations', () => {
    for (const company of world.companies) {
      expect(company.id).toBeGreaterThanOrEqual(19_000)
      expect(organizationIds.has(company.id)).toBe(false)
    }
    expect(new Set(world.companies.map((company) => company.id)).size).toBe(world.companies.length)
  })

  it('names most companies exactly', () => {
    const exactNames = new Set(activeCustomers.map((company) => normalizeName(company.name)))
    const matched = world.organizations.filter((organization) =>
      exactNames.has(normalizeName(organization.name)),
    )
    expect(share(matched.length, world.organizations.length)).toBeCloseTo(0.8, 2)
    const respelled = activeCustomers.filter((company) => {
      const organization = organizationsByName.get(normalizeName(company.name))
      return organization !== undefined && organization.name !== company.name
    })
    expect(respelled.length).toBeGreaterThan(5)
  })

  it('names some companies nearly', () => {
    const nearMisses = activeCustomers.filter(
      (company) =>
        billedCompanyIds.has(company.id) && !organizationsByName.has(normalizeName(company.name)),
    )
    expect(share(nearMisses.length, world.organizations.length)).toBeCloseTo(0.12, 2)
  })

  it('adds non-customers and inactive companies', () => {
    expect(world.companies.some((company) => !company.customer && company.active)).toBe(true)
    const inactiveNamesakes = world.companies.filter(
      (company) => !company.active && organizationsByName.has(normalizeName(company.name)),
    )
    expect(inactiveNamesakes.length).toBeGreaterThanOrEqual(1)
  })
})

describe('generateWorld products', () => {
  it('has one product per service', () => {
    for (const service of SERVICE_NAMES) {
      const products = world.products.filter((product) => product.service === service)
      const expected = service === 'Total Workstations' ? 2 : 1
      expect(products).toHaveLength(expected)
      expect(products[0]?.identifier).toMatch(/^NINJA-/)
    }
    expect(world.products.filter((product) => product.service === null).length).toBeGreaterThan(2)
  })

  it('prices products realistically', () => {
    const priceOf = (identifier: string) =>
      world.products.find((product) => product.identifier === identifier)?.unitPrice ?? 0
    expect(priceOf('NINJA-WKS')).toBeGreaterThanOrEqual(45)
    expect(priceOf('NINJA-WKS-PREM')).toBeLessThanOrEqual(95)
    expect(priceOf('NINJA-SRV')).toBeGreaterThanOrEqual(120)
    expect(priceOf('NINJA-SRV')).toBeLessThanOrEqual(250)
    expect(priceOf('NINJA-NET')).toBeGreaterThanOrEqual(15)
    expect(priceOf('NINJA-NET')).toBeLessThanOrEqual(30)
    expect(priceOf('NINJA-MOBILE')).toBeGreaterThanOrEqual(5)
    expect(priceOf('NINJA-MOBILE')).toBeLessThanOrEqual(10)
    expect(priceOf('NINJA-DEVICES')).toBeGreaterThanOrEqual(20)
    expect(priceOf('NINJA-DEVICES')).toBeLessThanOrEqual(40)
  })
})

describe('generateWorld contracts', () => {
  const counts = countServicesByOrganization(world.roles, world.devices)
  const companiesById = new Map(world.companies.map((company) => [company.id, company]))
  const epochMs = worldEpochSeconds(world.seed) * 1000

  function exactlyNamedContracts(): Array<{ contract: WorldContract; organizationId: number }> {
    return world.contracts.flatMap((contract) => {
      const company = companiesById.get(contract.companyId)
      const organization = organizationsByName.get(normalizeName(company?.name ?? ''))
      const billed = contract.active && company?.active && contract.name === 'Managed Services'
      return billed && organization ? [{ contract, organizationId: organization.id }] : []
    })
  }

  it('keeps contract and line ids unique', () => {
    const contractIds = world.contracts.map((contract) => contract.id)
    expect(new Set(contractIds).size).toBe(contractIds.length)
    const lineIds = world.contracts.flatMap((contract) => contract.lines.map((line) => line.id))
    expect(new Set(lineIds).size).toBe(lineIds.length)
  })

  it('bills workstations with 2-4 services', () => {
    for (const { contract, organizationId } of exactlyNamedContracts()) {
      const services = new Set(
        activeServiceLines(contract).map((line) => productsById.get(line.productId)?.service),
      )
      expect(services.size).toBeGreaterThanOrEqual(2)
      expect(services.size).toBeLessThanOrEqual(4)
      if ((counts.get(organizationId)?.['Total Workstations'] ?? 0) > 0) {
        expect(services).toContain('Total Workstations')
      }
    }
  })

  it('drifts quantities from true counts', () => {
    const tally = { exact: 0, lower: 0, higher: 0 }
    for (const { contract, organizationId } of exactlyNamedContracts()) {
      const seen = new Set<number>()
      for (const line of activeServiceLines(contract)) {
        if (seen.has(line.productId)) continue
        seen.add(line.productId)
        const service = productsById.get(line.productId)?.service as ServiceName
        const trueCount = counts.get(organizationId)?.[service] ?? 0
        expect(line.quantity).toBeGreaterThanOrEqual(0)
        if (line.quantity === trueCount) tally.exact++
        else if (line.quantity < trueCount) tally.lower++
        else tally.higher++
      }
    }
    const total = tally.exact + tally.lower + tally.higher
    expect(share(tally.exact, total)).toBeGreaterThan(0.5)
    expect(share(tally.exact, total)).toBeLessThan(0.65)
    expect(share(tally.lower, total)).toBeGreaterThan(0.15)
    expect(share(tally.higher, total)).toBeGreaterThan(0.15)
  })

  it('dates changes within 90 days', () => {
    const lines = world.contracts.flatMap((contract) => contract.lines)
    for (const line of lines.filter((candidate) => candidate.cancelledDate === null)) {
      const updated = Date.parse(line.updatedAt)
      expect(updated).toBeLessThanOrEqual(epochMs)
      expect(updated).toBeGreaterThanOrEqual(epochMs - 90 * 86_400_000)
    }
  })

  it('includes cancelled lines and inactive contracts', () => {
    const cancelled = world.contracts
      .flatMap((contract) => contract.lines)
      .filter((line) => line.cancelledDate !== null)
    expect(cancelled.length).toBeGreaterThan(0)
    for (const line of cancelled) expect(Date.parse(line.cancelledDate ?? '')).toBeLessThan(epochMs)
    const inactive = world.contracts.filter((contract) => !contract.active)
    expect(inactive.some((contract) => contract.lines.length > 0)).toBe(true)
  })

  it('bills one product twice somewhere', () => {
    expect(companiesWithDuplicateLines(world).length).toBeGreaterThanOrEqual(1)
    expect(companiesWithDuplicateLines(world).length).toBeLessThanOrEqual(2)
    const small = generateWorld({ seed: 7, devices: 400, organizations: 19 })
    expect(companiesWithDuplicateLines(small)).toHaveLength(0)
  })
})

function companiesWithDuplicateLines(target: World): number[] {
  const seen = new Map<string, number>()
  for (const contract of target.contracts.filter((candidate) => candidate.active)) {
    for (const line of contract.lines.filter((candidate) => candidate.cancelledDate === null)) {
      const key = `${contract.companyId}:${line.productId}`
      seen.set(key, (seen.get(key) ?? 0) + 1)
    }
  }
  const duplicated = [...seen].filter(([, count]) => count > 1)
  return [...new Set(duplicated.map(([key]) => Number(key.split(':')[0])))]
}

describe('generateWorld limits', () => {
  it('builds an empty world', () => {
    const empty = generateWorld({ seed: 1, devices: 0, organizations: 0 })
    expect(empty.devices).toEqual([])
    expect(empty.organizations).toEqual([])
    expect(empty.roles.length).toBeGreaterThan(33)
  })

  it('rejects invalid sizes', () => {
    const attempts = [
      { seed: 1, devices: -1, organizations: 5 },
      { seed: 1, devices: 10, organizations: 0 },
      { seed: 1.5, devices: 10, organizations: 2 },
    ]
    for (const options of attempts) {
      let caught: unknown
      try {
        generateWorld(options)
      } catch (error) {
        caught = error
      }
      expect(isAppError(caught, 'bad_request')).toBe(true)
    }
  })

  it('generates the benchmark size', () => {
    const large = generateWorld({ seed: 11, devices: 100_000, organizations: 2000 })
    expect(large.devices).toHaveLength(100_000)
    expect(large.organizations).toHaveLength(2000)
  })
})
