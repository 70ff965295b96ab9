/** True per-service device counts of a world, the figures billed quantities drift from. */
import { SERVICES, type ServiceName, serviceCounts } from '../../src/core/services.ts'
import type { WorldDevice, WorldRole } from './types.ts'

/** Returns a device's class: its own `nodeClass`, else its role's class. */
export function effectiveNodeClass(
  device: Pick<WorldDevice, 'nodeClass' | 'nodeRoleId'>,
  rolesById: ReadonlyMap<number, WorldRole>,
): string | null {
  return device.nodeClass ?? rolesById.get(device.nodeRoleId)?.nodeClass ?? null
}

/** Per organization id, how many devices count in each service (all statuses included). */
export type ServiceCounts = Map<number, Record<ServiceName, number>>

/**
 * Counts every device of every organization per service, by effective class. This is the
 * truth the generated contract quantities drift from.
 */
export function countServicesByOrganization(
  roles: readonly WorldRole[],
  devices: readonly WorldDevice[],
): ServiceCounts {
  const rolesById = new Map(roles.map((role) => [role.id, role]))
  const counts: ServiceCounts = new Map()
  for (const device of devices) {
    const nodeClass = effectiveNodeClass(device, rolesById)
    let record = counts.get(device.organizationId)
    if (!record) {
      record = emptyServiceRecord()
      counts.set(device.organizationId, record)
    }
    for (const service of SERVICES) {
      const counted =
        nodeClass === null ? service.classes === 'all' : serviceCounts(service, nodeClass)
      if (counted) record[service.name]++
    }
  }
  return counts
}

/** Creates a service-to-count record with every service at zero. */
export function emptyServiceRecord(): Record<ServiceName, number> {
  return Object.fromEntries(SERVICES.map((service) => [service.name, 0])) as Record<
    ServiceName,
    number
  >
}
