import { type ZodType, z } from 'zod'
import type { VendorDevice, VendorOrganization, VendorRole } from '../../core/types.ts'
import { formatIssuePath, parseVendorResponse, type ResponseSource } from '../../net/validate.ts'

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

/** Validates a NinjaOne response body; see {@link parseVendorResponse}. */
export function parseResponse<T>(schema: ZodType<T>, body: unknown, source: ResponseSource): T {
  return parseVendorResponse('NinjaOne', schema, body, source)
}

export { formatIssuePath }

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
