/**
 * Builds a deterministic MSP world from a seed: NinjaOne organizations, roles and devices, and
 * the PSA-side companies, catalog and contracts that bill them.
 */
import { NODE_CLASSES, type NodeClass } from '../../src/core/services.ts'
import { AppError } from '../../src/errors.ts'
import { generateBilling } from './billing.ts'
import { countServicesByOrganization } from './counts.ts'
import {
  BUILT_IN_ROLE_NAMES,
  CLASS_WEIGHTS,
  CUSTOM_ROLES,
  type CustomRoleTemplate,
  DEVICE_NAME_PREFIXES,
} from './names.ts'
import { composeUniqueName } from './naming.ts'
import { Random, WeightedTable } from './random.ts'
import type { World, WorldDevice, WorldOptions, WorldOrganization, WorldRole } from './types.ts'

export { countServicesByOrganization, effectiveNodeClass, type ServiceCounts } from './counts.ts'

const DAY_SECONDS = 86_400
const EPOCH_BASE_SECONDS = Date.UTC(2026, 0, 1) / 1000

/** Below this many devices the generator does not force every class and custom role to appear. */
const FULL_COVERAGE_MIN_DEVICES = 200

const CUSTOM_ROLE_SHARE = 0.1
const NULL_CLASS_SHARE = 0.005
const PENDING_SHARE = 0.02
const OFFLINE_SHARE = 0.1

/**
 * Returns the world's "now" in epoch seconds: midnight UTC of a day in the first half of 2026
 * chosen by the seed. Timestamps of a world are relative to it, never to the wall clock.
 */
export function worldEpochSeconds(seed: number): number {
  return EPOCH_BASE_SECONDS + Random.fromSeed(seed).stream(0).int(0, 180) * DAY_SECONDS
}

/**
 * Generates the world for `options`. The same options always yield the same world.
 *
 * @example generateWorld({ seed: 42, devices: 5000, organizations: 120 })
 */
export function generateWorld(options: WorldOptions): World {
  validateOptions(options)
  const root = Random.fromSeed(options.seed)
  const epochSeconds = worldEpochSeconds(options.seed)
  const takenNames = new Set<string>()

  const organizations = generateOrganizations(root.stream(1), options.organizations, takenNames)
  const roles = generateRoles()
  const devices = generateDevices(root.stream(2), organizations, roles, options.devices, {
    epochSeconds,
  })
  const counts = countServicesByOrganization(roles, devices)

  const billing = generateBilling(root.stream(3), {
    organizations,
    counts,
    epochSeconds,
    takenNames,
  })
  return { seed: options.seed, organizations, roles, devices, ...billing }
}

function validateOptions(options: WorldOptions): void {
  const { seed, devices, organizations } = options
  if (!Number.isInteger(seed) || !Number.isInteger(devices) || !Number.isInteger(organizations)) {
    throw new AppError(
      'bad_request',
      `Invalid world options: seed, devices and organizations must be integers ` +
        `(got ${seed}, ${devices}, ${organizations}).`,
      { seed, devices, organizations },
    )
  }
  if (devices < 0 || organizations < 0 || (devices > 0 && organizations === 0)) {
    throw new AppError(
      'bad_request',
      `Invalid world sizes: got ${devices} devices in ${organizations} organizations. ` +
        'Use non-negative sizes and at least one organization when there are devices.',
      { devices, organizations },
    )
  }
}

function generateOrganizations(
  random: Random,
  count: number,
  takenNames: Set<string>,
): WorldOrganization[] {
  const organizations: WorldOrganization[] = []
  let id = random.int(1, 9)
  for (let index = 0; index < count; index++) {
    organizations.push({ id, name: composeUniqueName(random, takenNames) })
    id += random.int(1, 6)
  }
  return organizations
}

/** The built-in role ids start at 1; custom roles start here, after a gap. */
const FIRST_CUSTOM_ROLE_ID = 1001

function generateRoles(): WorldRole[] {
  const builtIn = NODE_CLASSES.map(
    (nodeClass, index): WorldRole => ({
      id: index + 1,
      name: BUILT_IN_ROLE_NAMES[nodeClass],
      nodeClass,
      custom: false,
      parentId: null,
    }),
  )
  const roles = [...builtIn]
  CUSTOM_ROLES.forEach((template, index) => {
    const parent = findParentRole(roles, template)
    roles.push({
      id: FIRST_CUSTOM_ROLE_ID + index * 3,
      name: template.name,
      nodeClass: parent.nodeClass,
      custom: true,
      parentId: parent.id,
    })
  })
  return roles
}

function findParentRole(roles: readonly WorldRole[], template: CustomRoleTemplate): WorldRole {
  const { parent } = template
  const found =
    typeof parent === 'string'
      ? roles.find((role) => !role.custom && role.nodeClass === parent)
      : roles.find((role) => role.custom && role.name === parent.custom)
  if (!found) throw new Error(`custom role ${template.name} lists a parent defined after it`)
  return found
}

interface DeviceContext {
  epochSeconds: number
}

function generateDevices(
  random: Random,
  organizations: readonly WorldOrganization[],
  roles: readonly WorldRole[],
  total: number,
  context: DeviceContext,
): WorldDevice[] {
  const organizationIndexes = assignOrganizations(random, organizations.length, total)
  const roleChoices = chooseRoles(random, roles, total)
  const createdTimes = drawCreatedTimes(random, total, context.epochSeconds)
  const namer = new DeviceNamer(random, organizations)

  const devices: WorldDevice[] = new Array(total)
  let id = random.int(1000, 1999)
  for (let index = 0; index < total; index++) {
    const organizationIndex = organizationIndexes[index] as number
    const choice = roleChoices[index] as RoleChoice
    const offline = random.chance(OFFLINE_SHARE)
    const created = createdTimes[index] as number
    devices[index] = {
      id,
      organizationId: (organizations[organizationIndex] as WorldOrganization).id,
      nodeClass: choice.nullClass ? null : choice.role.nodeClass,
      nodeRoleId: choice.role.id,
      displayName: namer.name(organizationIndex, choice.role.nodeClass as NodeClass),
      approvalStatus: random.chance(PENDING_SHARE) ? 'PENDING' : 'APPROVED',
      offline,
      created,
      lastContact: drawLastContact(random, created, offline, context.epochSeconds),
    }
    id += random.int(1, 3)
  }
  return devices
}

/**
 * Returns each device's organization index. Sizes follow a Pareto law (a few large clients,
 * many small ones), every organization gets a device when there are enough, and devices of
 * different organizations interleave by id as they do when clients enroll over time.
 */
function assignOrganizations(random: Random, organizationCount: number, total: number): number[] {
  const sizes = drawOrganizationSizes(random, organizationCount, total)
  const indexes: number[] = new Array(total)
  let position = 0
  sizes.forEach((size, organizationIndex) => {
    indexes.fill(organizationIndex, position, position + size)
    position += size
  })
  return random.shuffle(indexes)
}

const PARETO_SHAPE = 1.16
/** Caps the Pareto weight so that one client cannot take most devices of a large world. */
const PARETO_MAX_WEIGHT = 200

function drawOrganizationSizes(random: Random, organizationCount: number, total: number): number[] {
  if (organizationCount === 0) return []
  const minimum = total >= organizationCount ? 1 : 0
  const tail = 1 - PARETO_MAX_WEIGHT ** -PARETO_SHAPE
  const weights = Array.from({ length: organizationCount }, () => {
    return (1 - random.float() * tail) ** (-1 / PARETO_SHAPE)
  })
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0)
  const spread = total - minimum * organizationCount

  const shares = weights.map((weight) => (spread * weight) / weightSum)
  const sizes = shares.map((share) => minimum + Math.floor(share))
  const leftover = total - sizes.reduce((sum, size) => sum + size, 0)
  const byRemainder = shares
    .map((share, index) => ({ index, remainder: share - Math.floor(share) }))
    .sort((left, right) => right.remainder - left.remainder || left.index - right.index)
  for (let rank = 0; rank < leftover; rank++) {
    const index = (byRemainder[rank] as { index: number }).index
    sizes[index] = (sizes[index] as number) + 1
  }
  return sizes
}

interface RoleChoice {
  role: WorldRole
  nullClass: boolean
}

/**
 * Picks each device's role: about 10% custom roles, the rest built-in roles by class weight.
 * In worlds of 200+ devices, every class and every custom role is placed at least once, and
 * the device on the chained custom role has no class, so classification must walk the roles.
 */
function chooseRoles(random: Random, roles: readonly WorldRole[], total: number): RoleChoice[] {
  const builtIn = roles.filter((role) => !role.custom)
  const custom = roles.filter((role) => role.custom)
  const builtInTable = new WeightedTable(
    builtIn.map((role) => [role, CLASS_WEIGHTS[role.nodeClass as NodeClass]] as const),
  )
  const customTable = new WeightedTable(
    custom.map(
      (role, index) => [role, (CUSTOM_ROLES[index] as CustomRoleTemplate).weight] as const,
    ),
  )

  const choices: RoleChoice[] = new Array(total)
  for (let index = 0; index < total; index++) {
    const table = random.chance(CUSTOM_ROLE_SHARE) ? customTable : builtInTable
    choices[index] = { role: table.draw(random), nullClass: random.chance(NULL_CLASS_SHARE) }
  }
  if (total >= FULL_COVERAGE_MIN_DEVICES) placeEveryRole(random, choices, [...builtIn, ...custom])
  return choices
}

function placeEveryRole(random: Random, choices: RoleChoice[], roles: readonly WorldRole[]): void {
  const positions = new Set<number>()
  while (positions.size < roles.length) positions.add(random.int(0, choices.length - 1))
  let roleIndex = 0
  for (const position of positions) {
    const role = roles[roleIndex++] as WorldRole
    const chained =
      role.custom && roles.some((parent) => parent.id === role.parentId && parent.custom)
    choices[position] = { role, nullClass: chained }
  }
}

const YEAR_SECONDS = 365 * DAY_SECONDS

/** Enrollment times, ascending so that newer devices have higher ids. */
function drawCreatedTimes(random: Random, total: number, epochSeconds: number): Float64Array {
  const times = new Float64Array(total)
  for (let index = 0; index < total; index++) {
    times[index] = toMilliseconds(epochSeconds - random.between(20 * DAY_SECONDS, 6 * YEAR_SECONDS))
  }
  return times.sort()
}

function drawLastContact(
  random: Random,
  created: number,
  offline: boolean,
  epochSeconds: number,
): number {
  const ago = offline ? random.between(3600, 200 * DAY_SECONDS) : random.between(5, 900)
  return Math.max(created, toMilliseconds(epochSeconds - ago))
}

/** Rounds epoch seconds to millisecond precision, as NinjaOne's fractional timestamps are. */
function toMilliseconds(seconds: number): number {
  return Math.round(seconds * 1000) / 1000
}

/** Host names in the styles MSPs see: `DESKTOP-4KQ9Z2M` defaults and `HPL-SRV014` schemes. */
class DeviceNamer {
  readonly #random: Random
  readonly #initials: string[]
  readonly #sequence: Int32Array

  constructor(random: Random, organizations: readonly WorldOrganization[]) {
    this.#random = random
    this.#initials = organizations.map((organization) => initialsOf(organization.name))
    this.#sequence = new Int32Array(organizations.length)
  }

  name(organizationIndex: number, nodeClass: NodeClass): string {
    if (nodeClass === 'WINDOWS_WORKSTATION' && this.#random.chance(0.4)) {
      const prefix = this.#random.chance(0.5) ? 'DESKTOP' : 'LAPTOP'
      return `${prefix}-${this.#windowsSuffix()}`
    }
    const number = ++this.#sequence[organizationIndex]!
    const initials = this.#initials[organizationIndex] as string
    return `${initials}-${DEVICE_NAME_PREFIXES[nodeClass]}${String(number).padStart(3, '0')}`
  }

  #windowsSuffix(): string {
    const high = this.#random.int(0, 36 ** 4 - 1).toString(36)
    const low = this.#random.int(0, 36 ** 3 - 1).toString(36)
    return `${high.padStart(4, '0')}${low.padStart(3, '0')}`.toUpperCase()
  }
}

const MINOR_WORDS = new Set(['&', 'and', 'of', 'the'])

function initialsOf(name: string): string {
  const letters = name
    .split(/[\s,]+/)
    .filter((word) => word !== '' && !MINOR_WORDS.has(word.toLowerCase()))
    .map((word) => word.replace(/[^A-Za-z]/g, '').charAt(0))
    .join('')
  return letters.slice(0, 3).toUpperCase() || 'ORG'
}
