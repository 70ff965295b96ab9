import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRoleResolver, DeviceCounter, effectiveClass } from './classify.ts'
import { NODE_CLASSES, SERVICES, type ServiceName } from './services.ts'
import type { OrgServiceCount, VendorDevice, VendorRole } from './types.ts'

let nextDeviceId = 1

function device(
  organizationId: number,
  nodeClass: string | null,
  nodeRoleId: number | null = null,
): VendorDevice {
  return {
    id: nextDeviceId++,
    organizationId,
    nodeClass,
    nodeRoleId,
    displayName: null,
    approvalStatus: 'APPROVED',
    offline: false,
    lastContact: null,
  }
}

function role(
  id: number,
  nodeClass: string | null,
  parentId: number | null = null,
  custom = parentId !== null,
): VendorRole {
  return { id, name: `role ${id}`, nodeClass, custom, parentId }
}

/** Counts of one organization keyed by service name. */
function countsOf(counts: OrgServiceCount[], organizationId: number): Record<ServiceName, number> {
  const byService = {} as Record<ServiceName, number>
  for (const row of counts) {
    if (row.organizationId === organizationId) byService[row.service] = row.count
  }
  return byService
}

/** Services beyond Total Devices that count a device of `nodeClass`, in display order. */
function servicesFor(
  nodeClass: string | null,
  roles: VendorRole[] = [],
  roleId: number | null = null,
) {
  const counter = new DeviceCounter(roles)
  counter.add([device(1, nodeClass, roleId)])
  const counts = countsOf(counter.result([]).counts, 1)
  return SERVICES.filter((s) => s.name !== 'Total Devices' && counts[s.name] === 1).map(
    (s) => s.name,
  )
}

describe('service table', () => {
  it('counts a Windows server', () => {
    expect(servicesFor('WINDOWS_SERVER')).toEqual([
      'Total Servers',
      'Total Physical Servers',
      'Total Workstations and Servers',
    ])
  })

  it('counts a Hyper-V guest', () => {
    expect(servicesFor('HYPERV_VMM_GUEST')).toEqual([
      'Total Servers',
      'Total Virtual Servers',
      'Total Workstations and Servers',
    ])
  })

  it('counts an NMS virtual machine', () => {
    expect(servicesFor('NMS_VIRTUAL_MACHINE')).toEqual([
      'Total Servers',
      'Total Virtual Servers',
      'Total Workstations and Servers',
    ])
  })

  it('counts a Mac as workstation', () => {
    expect(servicesFor('MAC')).toEqual(['Total Workstations', 'Total Workstations and Servers'])
  })

  it('counts an NMS computer as workstation', () => {
    expect(servicesFor('NMS_COMPUTER')).toEqual([
      'Total Workstations',
      'Total Workstations and Servers',
    ])
  })

  it('counts network device classes', () => {
    for (const nodeClass of ['NMS_SWITCH', 'CLOUD_MONITOR_TARGET', 'NMS_IPSLA', 'NMS_PHONE']) {
      expect(servicesFor(nodeClass), nodeClass).toEqual(['Total Network Devices'])
    }
  })

  it('counts mobile device classes', () => {
    expect(servicesFor('ANDROID')).toEqual(['Total Mobile Devices'])
    expect(servicesFor('APPLE_IOS')).toEqual(['Total Mobile Devices'])
  })

  it('leaves unbilled known classes unclassified', () => {
    for (const nodeClass of ['UNMANAGED_DEVICE', 'MANAGED_DEVICE', 'APPLE_IPADOS']) {
      const counter = new DeviceCounter([])
      counter.add([device(7, nodeClass)])
      const { counts, unclassified } = counter.result([])

      expect(servicesFor(nodeClass), nodeClass).toEqual([])
      expect(countsOf(counts, 7)['Total Devices'], nodeClass).toBe(1)
      expect(unclassified, nodeClass).toEqual([{ organizationId: 7, nodeClass, count: 1 }])
    }
  })

  it('reports a new class unclassified', () => {
    const counter = new DeviceCounter([])
    counter.add([device(3, 'NMS_TOASTER'), device(3, 'NMS_TOASTER'), device(3, 'MAC')])
    const { counts, unclassified } = counter.result([])
    const orgCounts = countsOf(counts, 3)

    expect(orgCounts['Total Devices']).toBe(3)
    expect(orgCounts['Total Workstations']).toBe(1)
    expect(orgCounts['Total Network Devices']).toBe(0)
    expect(unclassified).toEqual([{ organizationId: 3, nodeClass: 'NMS_TOASTER', count: 2 }])
  })
})

describe('role resolution', () => {
  const roles = [
    role(10, 'WINDOWS_SERVER'),
    role(20, 'WINDOWS_SERVER', 10),
    role(30, null, 20),
    role(31, 'NMS_FUTURE_CLASS', 30),
    role(40, null, 41),
    role(41, null, 40),
    role(50, 'NMS_FUTURE_CLASS'),
  ]
  const resolve = createRoleResolver(roles)

  it('rolls custom role up', () => {
    expect(servicesFor('WINDOWS_SERVER', roles, 20)).toContain('Total Physical Servers')
    expect(resolve(20)).toBe('WINDOWS_SERVER')
  })

  it('follows chain of custom roles', () => {
    expect(resolve(30)).toBe('WINDOWS_SERVER')
    expect(resolve(31)).toBe('WINDOWS_SERVER')
  })

  it('stops on a role cycle', () => {
    expect(resolve(40)).toBeNull()
  })

  it('returns null for unknown roles', () => {
    expect(resolve(999)).toBeNull()
    expect(resolve(null)).toBeNull()
  })

  it('uses role for null class', () => {
    expect(effectiveClass({ nodeClass: null, nodeRoleId: 31 }, resolve)).toBe('WINDOWS_SERVER')
    expect(servicesFor(null, roles, 31)).toContain('Total Servers')
  })

  it('uses role for unknown class', () => {
    expect(effectiveClass({ nodeClass: 'NMS_TOASTER', nodeRoleId: 20 }, resolve)).toBe(
      'WINDOWS_SERVER',
    )
  })

  it('prefers a known device class', () => {
    expect(effectiveClass({ nodeClass: 'MAC', nodeRoleId: 20 }, resolve)).toBe('MAC')
  })

  it('falls back to raw classes', () => {
    expect(effectiveClass({ nodeClass: 'NMS_TOASTER', nodeRoleId: 50 }, resolve)).toBe(
      'NMS_TOASTER',
    )
    expect(effectiveClass({ nodeClass: null, nodeRoleId: 50 }, resolve)).toBe('NMS_FUTURE_CLASS')
    expect(effectiveClass({ nodeClass: '  ', nodeRoleId: 40 }, resolve)).toBe('UNKNOWN')
    expect(effectiveClass({ nodeClass: null, nodeRoleId: null }, resolve)).toBe('UNKNOWN')
  })
})

describe('DeviceCounter', () => {
  it('reports zeros for empty organizations', () => {
    const counter = new DeviceCounter([])
    const { counts, unclassified } = counter.result([5, 6])

    expect(counts).toHaveLength(2 * SERVICES.length)
    expect(counts.every((row) => row.count === 0)).toBe(true)
    expect(counts.map((row) => row.organizationId)).toEqual([
      ...SERVICES.map(() => 5),
      ...SERVICES.map(() => 6),
    ])
    expect(unclassified).toEqual([])
  })

  it('adds organizations seen in devices', () => {
    const counter = new DeviceCounter([])
    counter.add([device(9, 'MAC')])
    counter.add([device(2, null)])
    const { counts, unclassified } = counter.result([4])

    expect([...new Set(counts.map((row) => row.organizationId))]).toEqual([2, 4, 9])
    expect(countsOf(counts, 9)['Total Workstations']).toBe(1)
    expect(unclassified).toEqual([{ organizationId: 2, nodeClass: 'UNKNOWN', count: 1 }])
    expect(counter.deviceCount).toBe(2)
  })

  it('counts 100k devices exactly', () => {
    const roles = [role(1, 'WINDOWS_WORKSTATION'), role(2, null, 1)]
    const page: VendorDevice[] = []
    for (let i = 0; i < 1000; i++) {
      page.push(device(i % 200, i % 3 === 0 ? null : NODE_CLASSES[i % NODE_CLASSES.length]!, 2))
    }
    const counter = new DeviceCounter(roles)

    for (let pageIndex = 0; pageIndex < 100; pageIndex++) counter.add(page)
    const { counts } = counter.result([])

    expect(counter.deviceCount).toBe(100_000)
    const total = counts.filter((row) => row.service === 'Total Devices')
    expect(total.reduce((sum, row) => sum + row.count, 0)).toBe(100_000)
  })
})

const classArbitrary = fc.oneof(
  fc.constantFrom(...NODE_CLASSES),
  fc.constantFrom('NMS_TOASTER', 'FUTURE_CLASS', ''),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
)

const rolesArbitrary = fc.array(
  fc.record({
    id: fc.integer({ min: 1, max: 8 }),
    name: fc.constant('role'),
    nodeClass: classArbitrary,
    custom: fc.boolean(),
    parentId: fc.option(fc.integer({ min: 1, max: 8 })),
  }),
  { maxLength: 8 },
)

const devicesArbitrary = fc.array(
  fc.record({
    id: fc.nat(),
    organizationId: fc.integer({ min: 1, max: 4 }),
    nodeClass: classArbitrary,
    nodeRoleId: fc.option(fc.integer({ min: 1, max: 9 })),
    displayName: fc.constant(null),
    approvalStatus: fc.constant(null),
    offline: fc.constant(null),
    lastContact: fc.constant(null),
  }),
  { maxLength: 60 },
)

describe('DeviceCounter properties', () => {
  it('keeps service totals consistent', () => {
    fc.assert(
      fc.property(rolesArbitrary, devicesArbitrary, (roles, devices) => {
        const counter = new DeviceCounter(roles)
        counter.add(devices.slice(0, 20))
        counter.add(devices.slice(20))
        const { counts, unclassified } = counter.result([1, 2, 3, 4])

        expect(counter.deviceCount).toBe(devices.length)
        for (const organizationId of [1, 2, 3, 4]) {
          const orgCounts = countsOf(counts, organizationId)
          const orgDevices = devices.filter((d) => d.organizationId === organizationId)
          const orgUnclassified = unclassified
            .filter((row) => row.organizationId === organizationId)
            .reduce((sum, row) => sum + row.count, 0)
          const billed =
            orgCounts['Total Workstations and Servers'] +
            orgCounts['Total Network Devices'] +
            orgCounts['Total Mobile Devices']

          expect(orgCounts['Total Devices']).toBe(orgDevices.length)
          for (const service of SERVICES) {
            expect(orgCounts['Total Devices']).toBeGreaterThanOrEqual(orgCounts[service.name])
          }
          expect(orgCounts['Total Servers']).toBe(
            orgCounts['Total Physical Servers'] + orgCounts['Total Virtual Servers'],
          )
          expect(orgCounts['Total Workstations and Servers']).toBe(
            orgCounts['Total Workstations'] + orgCounts['Total Servers'],
          )
          expect(billed + orgUnclassified).toBe(orgDevices.length)
        }
      }),
    )
  })
})
