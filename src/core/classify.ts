/** Device classification: which class each NinjaOne device bills as, and counts per service. */
import { isClassified, isKnownNodeClass, SERVICES, serviceCounts } from './services.ts'
import type { OrgServiceCount, UnclassifiedCount, VendorDevice, VendorRole } from './types.ts'

/** Maps a device's `nodeRoleId` to the class its role bills as, or null when none is known. */
export type RoleResolver = (roleId: number | null) => string | null

/** Class reported for a device when neither the device nor its role names one. */
export const UNKNOWN_CLASS = 'UNKNOWN'

/** Returns the string itself, or null when it is missing or blank. */
function presentClass(nodeClass: string | null | undefined): string | null {
  return nodeClass != null && nodeClass.trim() !== '' ? nodeClass : null
}

/**
 * Walks from a role up its `parentId` chain and returns the first known class. When no role
 * in the chain has a known class, returns the first class string met (a class newer than
 * this release), else null. A visited set stops the walk on a cycle.
 */
function resolveRoleClass(roleId: number, rolesById: ReadonlyMap<number, VendorRole>) {
  const visited = new Set<number>()
  let firstRawClass: string | null = null
  let role = rolesById.get(roleId)

  while (role !== undefined && !visited.has(role.id)) {
    visited.add(role.id)
    if (isKnownNodeClass(role.nodeClass)) return role.nodeClass
    firstRawClass ??= presentClass(role.nodeClass)
    role = role.parentId == null ? undefined : rolesById.get(role.parentId)
  }

  return firstRawClass
}

/**
 * Creates a resolver from role id to the class the role bills as. A custom role carries its
 * parent's class in NinjaOne, but the resolver follows `parentId` when that class is missing
 * or unknown. Results are cached per role id, so resolving stays O(1) per device.
 */
export function createRoleResolver(roles: VendorRole[]): RoleResolver {
  const rolesById = new Map(roles.map((role) => [role.id, role]))
  const cache = new Map<number, string | null>()

  return (roleId) => {
    if (roleId == null) return null
    let roleClass = cache.get(roleId)
    if (roleClass === undefined) {
      roleClass = resolveRoleClass(roleId, rolesById)
      cache.set(roleId, roleClass)
    }
    return roleClass
  }
}

/**
 * Returns the class a device bills as: its own class when known, else its role's known
 * class, else the raw class of the device or of its role, else `UNKNOWN`.
 */
export function effectiveClass(
  device: Pick<VendorDevice, 'nodeClass' | 'nodeRoleId'>,
  resolve: RoleResolver,
): string {
  if (isKnownNodeClass(device.nodeClass)) return device.nodeClass

  const roleClass = resolve(device.nodeRoleId)
  if (isKnownNodeClass(roleClass)) return roleClass

  return presentClass(device.nodeClass) ?? roleClass ?? UNKNOWN_CLASS
}

/** Counts per organization and service, and the devices no service but Total Devices bills. */
export interface DeviceCounts {
  counts: OrgServiceCount[]
  unclassified: UnclassifiedCount[]
}

/**
 * Counts devices per organization and service, one page at a time. It keeps one number per
 * (organization, class) and never the devices, so memory does not grow with the device count.
 */
export class DeviceCounter {
  readonly #resolve: RoleResolver
  readonly #classCounts = new Map<number, Map<string, number>>()
  #deviceCount = 0

  constructor(roles: VendorRole[]) {
    this.#resolve = createRoleResolver(roles)
  }

  /** Adds one page of devices. Add each device once, because nothing here removes duplicates. */
  add(devices: Iterable<VendorDevice>): void {
    for (const device of devices) {
      let orgCounts = this.#classCounts.get(device.organizationId)
      if (orgCounts === undefined) {
        orgCounts = new Map()
        this.#classCounts.set(device.organizationId, orgCounts)
      }
      const nodeClass = effectiveClass(device, this.#resolve)
      orgCounts.set(nodeClass, (orgCounts.get(nodeClass) ?? 0) + 1)
      this.#deviceCount += 1
    }
  }

  /** Number of devices added so far. */
  get deviceCount(): number {
    return this.#deviceCount
  }

  /**
   * Returns a count for every service of every organization in `organizationIds` (zeros
   * included) and of every organization seen in the devices, sorted by organization id and
   * service order. Also returns, per organization and class, the devices whose class bills
   * under no service but Total Devices.
   */
  result(organizationIds: Iterable<number>): DeviceCounts {
    const orgIds = new Set(organizationIds)
    for (const orgId of this.#classCounts.keys()) orgIds.add(orgId)
    const sortedOrgIds = [...orgIds].sort((a, b) => a - b)

    const counts: OrgServiceCount[] = []
    const unclassified: UnclassifiedCount[] = []
    for (const organizationId of sortedOrgIds) {
      const classCounts = this.#classCounts.get(organizationId) ?? new Map<string, number>()
      counts.push(...serviceCountsOf(organizationId, classCounts))
      unclassified.push(...unclassifiedCountsOf(organizationId, classCounts))
    }
    return { counts, unclassified }
  }
}

function serviceCountsOf(
  organizationId: number,
  classCounts: ReadonlyMap<string, number>,
): OrgServiceCount[] {
  return SERVICES.map((service) => {
    let count = 0
    for (const [nodeClass, classCount] of classCounts) {
      if (serviceCounts(service, nodeClass)) count += classCount
    }
    return { organizationId, service: service.name, count }
  })
}

/** Orders strings by UTF-16 code units, the same on every host locale. */
function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}

function unclassifiedCountsOf(
  organizationId: number,
  classCounts: ReadonlyMap<string, number>,
): UnclassifiedCount[] {
  return [...classCounts]
    .filter(([nodeClass]) => !isClassified(nodeClass))
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([nodeClass, count]) => ({ organizationId, nodeClass, count }))
}
