import { type ZodType, z } from 'zod'
import type { VendorDevice, VendorOrganization, VendorRole } from '../../core/types.ts'
import { AppError } from '../../errors.ts'

// The object schemas are not strict because NinjaOne adds fields over time. Unknown fields
// are dropped.

/** The response of `POST /ws/oauth/token` to a client-credentials request. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  /** Lifetime in seconds. */
  expires_in: z.number().positive().nullish(),
  scope: z.string().nullish(),
})

export type TokenResponse = z.infer<typeof tokenResponseSchema>

/** An organization of `GET /v2/organizations`. */
export const organizationSchema = z.object({
  id: z.number().int(),
  name: z.string(),
})

/** A device role of `GET /v2/roles`. A custom role points at a built-in parent role. */
export const roleSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  nodeClass: z.string().nullish(),
  custom: z.boolean().nullish(),
  nodeRoleParentId: z.number().int().nullish(),
})

/**
 * The billing fields of a device of `GET /v2/devices`. `nodeClass` is a plain string, not
 * the 33-value enum of the API specification, so that a class added by NinjaOne passes
 * validation instead of failing the sync.
 */
export const deviceSchema = z.object({
  id: z.number().int(),
  organizationId: z.number().int(),
  nodeClass: z.string().nullish(),
  nodeRoleId: z.number().int().nullish(),
  displayName: z.string().nullish(),
  systemName: z.string().nullish(),
  approvalStatus: z.string().nullish(),
  offline: z.boolean().nullish(),
  /** Epoch seconds, possibly fractional. */
  lastContact: z.number().nullish(),
})

export type NinjaOrganization = z.infer<typeof organizationSchema>
export type NinjaRole = z.infer<typeof roleSchema>
export type NinjaDevice = z.infer<typeof deviceSchema>

/** Array schemas for the list endpoints, which return a bare JSON array. */
export const organizationListSchema = z.array(organizationSchema)
export const roleListSchema = z.array(roleSchema)
export const deviceListSchema = z.array(deviceSchema)

/**
 * Validates an API response body and returns the parsed value. Throws AppError `invalid_response`
 * naming the endpoint and the first failing field path, e.g.
 * "NinjaOne returned an invalid device at /v2/devices: [3].organizationId expected number,
 * received string".
 */
export function parseResponse<T>(
  schema: ZodType<T>,
  body: unknown,
  source: { entity: string; endpoint: string },
): T {
  const result = schema.safeParse(body)
  if (result.success) return result.data

  const issue = result.error.issues[0]!
  const path = formatIssuePath(issue.path)
  const problem = issue.message.replace(/^Invalid input: /, '')
  throw new AppError(
    'invalid_response',
    `NinjaOne returned an invalid ${source.entity} at ${source.endpoint}: ` +
      `${path ? `${path} ` : ''}${problem}.`,
    { endpoint: source.endpoint, path, issues: result.error.issues.length },
  )
}

/** Formats a zod issue path as `[3].organizationId`, or as an empty string for the root. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`
      const name = String(key)
      return index === 0 ? name : `.${name}`
    })
    .join('')
}

/** Maps an API organization to the domain type. */
export function toVendorOrganization(organization: NinjaOrganization): VendorOrganization {
  return { id: organization.id, name: organization.name }
}

/** Maps an API role to the domain type, taking `parentId` from `nodeRoleParentId`. */
export function toVendorRole(role: NinjaRole): VendorRole {
  return {
    id: role.id,
    name: role.name,
    nodeClass: role.nodeClass ?? null,
    custom: role.custom ?? false,
    parentId: role.nodeRoleParentId ?? null,
  }
}

/** Maps an API device to the domain type, naming it by `displayName`, else `systemName`. */
export function toVendorDevice(device: NinjaDevice): VendorDevice {
  return {
    id: device.id,
    organizationId: device.organizationId,
    nodeClass: device.nodeClass ?? null,
    nodeRoleId: device.nodeRoleId ?? null,
    displayName: nonEmpty(device.displayName) ?? nonEmpty(device.systemName) ?? null,
    approvalStatus: device.approvalStatus ?? null,
    offline: device.offline ?? null,
    lastContact: device.lastContact ?? null,
  }
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value?.trim() ? value : undefined
}
