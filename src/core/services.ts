/**
 * The NinjaOne billing services and the device classes each one counts. This table is the
 * only place that decides which class bills under which service.
 */

/** Every `nodeClass` value of the NinjaOne public API v2 (33 values). */
export const NODE_CLASSES = [
  'WINDOWS_SERVER',
  'WINDOWS_WORKSTATION',
  'LINUX_WORKSTATION',
  'MAC',
  'ANDROID',
  'APPLE_IOS',
  'APPLE_IPADOS',
  'VMWARE_VM_HOST',
  'VMWARE_VM_GUEST',
  'HYPERV_VMM_HOST',
  'HYPERV_VMM_GUEST',
  'LINUX_SERVER',
  'MAC_SERVER',
  'CLOUD_MONITOR_TARGET',
  'NMS_SWITCH',
  'NMS_ROUTER',
  'NMS_FIREWALL',
  'NMS_PRIVATE_NETWORK_GATEWAY',
  'NMS_PRINTER',
  'NMS_SCANNER',
  'NMS_DIAL_MANAGER',
  'NMS_WAP',
  'NMS_IPSLA',
  'NMS_COMPUTER',
  'NMS_VM_HOST',
  'NMS_APPLIANCE',
  'NMS_OTHER',
  'NMS_SERVER',
  'NMS_PHONE',
  'NMS_VIRTUAL_MACHINE',
  'NMS_NETWORK_MANAGEMENT_AGENT',
  'UNMANAGED_DEVICE',
  'MANAGED_DEVICE',
] as const

export type NodeClass = (typeof NODE_CLASSES)[number]

const KNOWN_CLASSES: ReadonlySet<string> = new Set(NODE_CLASSES)

/** Returns true when `value` is one of the device classes listed in NODE_CLASSES. */
export function isKnownNodeClass(value: string | null | undefined): value is NodeClass {
  return value != null && KNOWN_CLASSES.has(value)
}

const PHYSICAL_SERVERS = ['WINDOWS_SERVER', 'LINUX_SERVER', 'MAC_SERVER', 'NMS_SERVER'] as const
const VIRTUAL_SERVERS = [
  'VMWARE_VM_HOST',
  'HYPERV_VMM_HOST',
  'VMWARE_VM_GUEST',
  'HYPERV_VMM_GUEST',
  'NMS_VM_HOST',
  'NMS_VIRTUAL_MACHINE',
] as const
const WORKSTATIONS = ['WINDOWS_WORKSTATION', 'LINUX_WORKSTATION', 'MAC', 'NMS_COMPUTER'] as const
const NETWORK_DEVICES = [
  'NMS_SWITCH',
  'NMS_ROUTER',
  'NMS_PRIVATE_NETWORK_GATEWAY',
  'NMS_WAP',
  'NMS_FIREWALL',
  'NMS_PRINTER',
  'NMS_APPLIANCE',
  'NMS_SCANNER',
  'NMS_OTHER',
  'CLOUD_MONITOR_TARGET',
  'NMS_DIAL_MANAGER',
  'NMS_PHONE',
  'NMS_IPSLA',
  'NMS_NETWORK_MANAGEMENT_AGENT',
] as const
const MOBILE_DEVICES = ['ANDROID', 'APPLE_IOS'] as const
const SERVERS = [...PHYSICAL_SERVERS, ...VIRTUAL_SERVERS] as const

/** One billable service: its display name, a short stable key and the classes it counts. */
export interface ServiceDefinition {
  readonly name: ServiceName
  /** Short key used in item ids and URLs, e.g. `workstations`. */
  readonly key: string
  /** `all` counts every device, whatever its class. */
  readonly classes: 'all' | ReadonlySet<NodeClass>
}

export const SERVICE_NAMES = [
  'Total Devices',
  'Total Servers',
  'Total Physical Servers',
  'Total Virtual Servers',
  'Total Workstations',
  'Total Workstations and Servers',
  'Total Network Devices',
  'Total Mobile Devices',
] as const

export type ServiceName = (typeof SERVICE_NAMES)[number]

const define = (
  name: ServiceName,
  key: string,
  classes: 'all' | readonly NodeClass[],
): ServiceDefinition => ({ name, key, classes: classes === 'all' ? 'all' : new Set(classes) })

/** The services in display order. */
export const SERVICES: readonly ServiceDefinition[] = [
  define('Total Devices', 'devices', 'all'),
  define('Total Servers', 'servers', SERVERS),
  define('Total Physical Servers', 'physical-servers', PHYSICAL_SERVERS),
  define('Total Virtual Servers', 'virtual-servers', VIRTUAL_SERVERS),
  define('Total Workstations', 'workstations', WORKSTATIONS),
  define('Total Workstations and Servers', 'workstations-and-servers', [
    ...WORKSTATIONS,
    ...SERVERS,
  ]),
  define('Total Network Devices', 'network-devices', NETWORK_DEVICES),
  define('Total Mobile Devices', 'mobile-devices', MOBILE_DEVICES),
]

const BY_NAME = new Map(SERVICES.map((service) => [service.name.toLowerCase(), service]))
const BY_KEY = new Map(SERVICES.map((service) => [service.key, service]))

/** Finds a service by its display name (any case) or its key; undefined when unknown. */
export function findService(nameOrKey: string): ServiceDefinition | undefined {
  const needle = nameOrKey.trim().toLowerCase()
  return BY_NAME.get(needle) ?? BY_KEY.get(needle)
}

/** Returns true when a device of `nodeClass` counts in `service`. */
export function serviceCounts(service: ServiceDefinition, nodeClass: string): boolean {
  return service.classes === 'all' || (service.classes as ReadonlySet<string>).has(nodeClass)
}

/**
 * Returns true when a known class bills under some service beyond Total Devices. Known
 * classes outside every list (UNMANAGED_DEVICE, MANAGED_DEVICE, APPLE_IPADOS) count in
 * Total Devices only and are reported as unclassified.
 */
export function isClassified(nodeClass: string): boolean {
  return SERVICES.some(
    (service) => service.classes !== 'all' && service.classes.has(nodeClass as NodeClass),
  )
}
