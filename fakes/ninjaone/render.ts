/**
 * Renders world records in the shapes of the NinjaOne public API v2 (organizations, roles,
 * devices with references). Fields the world does not model (locations, policies, uids) are
 * derived from ids, so the same world always renders the same JSON.
 */
import { createHash } from 'node:crypto'
import { worldEpochSeconds } from '../world/generate.ts'
import type { World, WorldDevice, WorldOrganization, WorldRole } from '../world/types.ts'

const LOCATION_NAMES = ['Main Office', 'Branch Office', 'Warehouse'] as const
const YEAR_SECONDS = 365 * 86_400

/** Lookups over one snapshot of a world. Build one per request, because tests mutate worlds. */
export class WorldView {
  readonly world: World
  readonly organizationsById: Map<number, WorldOrganization>
  readonly rolesById: Map<number, WorldRole>
  readonly #epochSeconds: number
  readonly #rendered = new Map<string, unknown>()

  constructor(world: World) {
    this.world = world
    this.organizationsById = new Map(world.organizations.map((org) => [org.id, org]))
    this.rolesById = new Map(world.roles.map((role) => [role.id, role]))
    this.#epochSeconds = worldEpochSeconds(world.seed)
  }

  /** Returns the device's class, or its role's class when the device has none. */
  effectiveClass(device: WorldDevice): string | null {
    return device.nodeClass ?? this.rolesById.get(device.nodeRoleId)?.nodeClass ?? null
  }

  /** Returns the value stored under `key`, built on first use, because pages repeat references. */
  cached<T>(key: string, build: () => T): T {
    let value = this.#rendered.get(key) as T | undefined
    if (value === undefined) {
      value = build()
      this.#rendered.set(key, value)
    }
    return value
  }

  /** Returns a role's creation time, spread over the three years before the world's epoch. */
  roleCreated(role: WorldRole): number {
    return this.#epochSeconds - 3 * YEAR_SECONDS + (role.id % 1000) * 3600
  }
}

function locationCount(organizationId: number): number {
  return 1 + (organizationId % LOCATION_NAMES.length)
}

/** Location ids derive from the organization id: 1042 has locations 10421, 10422, ... */
function locationId(organizationId: number, index: number): number {
  return organizationId * 10 + index + 1
}

/** Picks one of the organization's one to three locations for a device, by device id. */
function locationIndexOf(device: WorldDevice): number {
  return device.id % locationCount(device.organizationId)
}

/** Returns the id of the location a device sits in. */
export function deviceLocationId(device: WorldDevice): number {
  return locationId(device.organizationId, locationIndexOf(device))
}

/** Renders a NinjaOne `Location`. */
function renderLocation(organizationId: number, index: number): object {
  return {
    id: locationId(organizationId, index),
    name: LOCATION_NAMES[index],
    address: '',
    description: '',
    tags: [],
    fields: {},
  }
}

/** Renders a NinjaOne `Organization`, as `GET /v2/organizations` lists it. */
export function renderOrganization(organization: WorldOrganization): object {
  return {
    id: organization.id,
    name: organization.name,
    description: '',
    userData: {},
    nodeApprovalMode: organization.id % 7 === 0 ? 'MANUAL' : 'AUTOMATIC',
    tags: [],
    fields: {},
  }
}

/** Renders a NinjaOne `OrganizationDetailed`: the organization, locations, policies, settings. */
export function renderOrganizationDetailed(
  organization: WorldOrganization,
  view: WorldView,
): object {
  const locations = Array.from({ length: locationCount(organization.id) }, (_, index) => {
    return renderLocation(organization.id, index)
  })
  const policies = view.world.roles.map((role) => ({
    nodeRoleId: role.id,
    policyId: policyIdOf(role),
  }))
  return {
    ...renderOrganization(organization),
    locations,
    policies,
    settings: {
      trayicon: { product: 'trayicon', enabled: true, targets: [], options: {} },
      splashtop: { product: 'splashtop', enabled: false, targets: [], options: {} },
    },
  }
}

function chassisTypeOf(nodeClass: string): string {
  if (nodeClass === 'WINDOWS_WORKSTATION' || nodeClass === 'LINUX_WORKSTATION') return 'DESKTOP'
  if (nodeClass === 'MAC') return 'LAPTOP'
  if (nodeClass === 'ANDROID' || nodeClass.startsWith('APPLE_')) return 'MOBILE'
  return 'UNKNOWN'
}

/** Renders a NinjaOne `NodeRole`. Only custom roles carry `nodeRoleParentId`. */
export function renderRole(role: WorldRole, view: WorldView): object {
  return {
    id: role.id,
    name: role.name,
    description: role.custom ? `Custom role based on ${parentName(role, view)}` : '',
    nodeClass: role.nodeClass,
    custom: role.custom,
    chassisType: chassisTypeOf(role.nodeClass),
    created: view.roleCreated(role),
    tags: [],
    fields: {},
    ...(role.parentId === null ? {} : { nodeRoleParentId: role.parentId }),
  }
}

function parentName(role: WorldRole, view: WorldView): string {
  return view.rolesById.get(role.parentId ?? -1)?.name ?? 'a built-in role'
}

/** Returns the id of a role's own default policy, derived from the role id. */
function policyIdOf(role: WorldRole): number {
  return 500 + role.id
}

function renderPolicy(role: WorldRole): object {
  return {
    id: policyIdOf(role),
    parentPolicyId: role.parentId === null ? null : 500 + role.parentId,
    name: `${role.name} Policy`,
    description: '',
    nodeClass: role.nodeClass,
    updated: 0,
    nodeClassDefault: !role.custom,
    tags: [],
    fields: {},
  }
}

/** Derives a stable UUID for a device from the world seed and the device id. */
function deviceUid(seed: number, deviceId: number): string {
  const hex = createHash('sha1').update(`${seed}:${deviceId}`).digest('hex')
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16)
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-')
}

function domainOf(organization: WorldOrganization | undefined): string {
  const slug = (organization?.name ?? 'unknown')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 20)
  return `${slug || 'client'}.local`
}

/**
 * Renders a NinjaOne `NodeWithDetailedReferences`, as `GET /v2/devices` lists it. `nodeClass` is
 * absent when the world device has none, so clients must fall back to the role.
 */
export function renderDevice(device: WorldDevice, view: WorldView): Record<string, unknown> {
  const organization = view.organizationsById.get(device.organizationId)
  const role = view.rolesById.get(device.nodeRoleId)
  const locationIndex = locationIndexOf(device)
  const systemName = device.displayName.toUpperCase()
  const policyId = role ? policyIdOf(role) : null
  const domain = view.cached(`domain:${device.organizationId}`, () => domainOf(organization))
  return {
    id: device.id,
    uid: deviceUid(view.world.seed, device.id),
    organizationId: device.organizationId,
    locationId: locationId(device.organizationId, locationIndex),
    ...(device.nodeClass === null ? {} : { nodeClass: device.nodeClass }),
    nodeRoleId: device.nodeRoleId,
    rolePolicyId: policyId,
    policyId,
    approvalStatus: device.approvalStatus,
    offline: device.offline,
    displayName: device.displayName,
    systemName,
    dnsName: `${device.displayName.toLowerCase()}.${domain}`,
    netbiosName: systemName.slice(0, 15),
    created: device.created,
    lastContact: device.lastContact,
    lastUpdate: device.lastContact,
    userData: {},
    tags: [],
    fields: {},
    references: renderReferences(device, locationIndex, view),
  }
}

/** Renders a device's `references`, sharing the objects of one organization or role. */
function renderReferences(device: WorldDevice, locationIndex: number, view: WorldView): object {
  const organization = view.organizationsById.get(device.organizationId)
  const role = view.rolesById.get(device.nodeRoleId)
  const policy = role ? view.cached(`policy:${role.id}`, () => renderPolicy(role)) : null
  return {
    organization: organization
      ? view.cached(`organization:${organization.id}`, () => renderOrganization(organization))
      : null,
    location: view.cached(`location:${device.organizationId}:${locationIndex}`, () =>
      renderLocation(device.organizationId, locationIndex),
    ),
    role: role ? view.cached(`role:${role.id}`, () => renderRole(role, view)) : null,
    rolePolicy: policy,
    policy,
  }
}

/** Renders a NinjaOne `Device`, as `/v2/devices-detailed` and `/v2/device/{id}` return it. */
export function renderDeviceDetailed(device: WorldDevice, view: WorldView): object {
  const octet = (device.id % 250) + 2
  return {
    ...renderDevice(device, view),
    ipAddresses: [`10.${device.organizationId % 250}.${(device.id >> 8) % 250}.${octet}`],
    macAddresses: [macAddressOf(device.id)],
    publicIP: `203.0.113.${(device.organizationId % 250) + 1}`,
    notes: [],
  }
}

function macAddressOf(deviceId: number): string {
  const hex = deviceId.toString(16).padStart(6, '0').slice(-6)
  return `00:15:5d:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`
}
