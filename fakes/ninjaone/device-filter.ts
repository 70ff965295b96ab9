/**
 * The subset of NinjaOne's device filter (`df`) syntax the fake supports: clauses joined by
 * `AND`, on the fields org, loc, role, id, class and status, with `=`/`eq`, `!=`/`neq`,
 * `in (...)` and `notin (...)`, plus bare `online`/`offline` and `created after|before DATE`.
 *
 * NOTE: this subset follows the filters that public NinjaOne clients send. The real grammar
 * may accept more, such as tag and group clauses.
 */

/** The device fields a filter can test, where `nodeClass` is the effective class. */
export interface FilterableDevice {
  id: number
  organizationId: number
  locationId: number
  nodeRoleId: number
  nodeClass: string | null
  approvalStatus: string
  offline: boolean
  /** Epoch seconds. */
  created: number
}

/** Returns true when the device passes the filter. */
export type DevicePredicate = (device: FilterableDevice) => boolean

/** An unparseable `df` value, which the server returns as a 400. */
export class DeviceFilterError extends Error {
  override name = 'DeviceFilterError'
}

type Field = 'org' | 'loc' | 'role' | 'id' | 'class' | 'status'

const FIELD_VALUES: Record<Field, (device: FilterableDevice) => string | number | null> = {
  org: (device) => device.organizationId,
  loc: (device) => device.locationId,
  role: (device) => device.nodeRoleId,
  id: (device) => device.id,
  class: (device) => device.nodeClass,
  status: (device) => device.approvalStatus,
}

const NUMERIC_FIELDS = new Set<Field>(['org', 'loc', 'role', 'id'])
const STATUSES = new Set(['APPROVED', 'PENDING'])

const COMPARISON = /^(\w+)\s*(=|!=|<>|\s(?:eq|neq|ne)\s)\s*([\w-]+)$/i
const MEMBERSHIP = /^(\w+)\s+(in|notin|nin)\s*\(([^()]*)\)$/i
const CREATED = /^created\s+(after|before)\s+(\d{4}-\d{2}-\d{2})$/i

/**
 * Parses a `df` value into a predicate. An empty value matches every device.
 * Throws {@link DeviceFilterError} naming the clause it cannot parse.
 *
 * @example parseDeviceFilter('class in (WINDOWS_SERVER,LINUX_SERVER) AND org = 12')
 */
export function parseDeviceFilter(filter: string): DevicePredicate {
  const trimmed = filter.trim()
  if (trimmed === '') return () => true
  const predicates = trimmed.split(/\s+and\s+/i).map(parseClause)
  return (device) => predicates.every((predicate) => predicate(device))
}

function parseClause(clause: string): DevicePredicate {
  const keyword = clause.toLowerCase()
  if (keyword === 'online') return (device) => !device.offline
  if (keyword === 'offline') return (device) => device.offline

  const created = CREATED.exec(clause)
  if (created) return parseCreated(clause, created[1] as string, created[2] as string)

  const membership = MEMBERSHIP.exec(clause)
  if (membership) {
    const field = parseField(clause, membership[1] as string)
    const values = (membership[3] as string).split(',').map((value) => value.trim())
    const allowed = new Set(values.map((value) => parseValue(clause, field, value)))
    const negated = (membership[2] as string).toLowerCase() !== 'in'
    const read = FIELD_VALUES[field]
    return (device) => allowed.has(read(device) as string | number) !== negated
  }

  const comparison = COMPARISON.exec(clause)
  if (comparison) {
    const field = parseField(clause, comparison[1] as string)
    const expected = parseValue(clause, field, comparison[3] as string)
    const operator = (comparison[2] as string).trim().toLowerCase()
    const negated = operator !== '=' && operator !== 'eq'
    const read = FIELD_VALUES[field]
    return (device) => (read(device) === expected) !== negated
  }
  throw new DeviceFilterError(
    `Invalid device filter clause "${clause}". Use clauses such as "org = 12", ` +
      '"class in (MAC,WINDOWS_WORKSTATION)", "status eq PENDING" or "online", joined by AND.',
  )
}

function parseField(clause: string, name: string): Field {
  const field = name.toLowerCase()
  if (field in FIELD_VALUES) return field as Field
  throw new DeviceFilterError(
    `Invalid device filter field "${name}" in "${clause}". ` +
      `Supported fields: ${Object.keys(FIELD_VALUES).join(', ')}.`,
  )
}

function parseValue(clause: string, field: Field, raw: string): string | number {
  if (NUMERIC_FIELDS.has(field)) {
    if (!/^\d+$/.test(raw)) {
      throw new DeviceFilterError(
        `Invalid ${field} "${raw}" in "${clause}": expected an integer id.`,
      )
    }
    return Number(raw)
  }
  const value = raw.toUpperCase()
  if (!/^[A-Z_]+$/.test(value) || (field === 'status' && !STATUSES.has(value))) {
    throw new DeviceFilterError(`Invalid ${field} "${raw}" in "${clause}".`)
  }
  return value
}

function parseCreated(clause: string, direction: string, date: string): DevicePredicate {
  const epochSeconds = Date.parse(`${date}T00:00:00Z`) / 1000
  if (Number.isNaN(epochSeconds)) {
    throw new DeviceFilterError(`Invalid date "${date}" in "${clause}": expected YYYY-MM-DD.`)
  }
  if (direction.toLowerCase() === 'after') return (device) => device.created >= epochSeconds
  return (device) => device.created < epochSeconds
}
