import type { ZodType } from 'zod'
import { parseVendorResponse } from '../../net/validate.ts'

/**
 * Validates a HaloPSA response body and returns the parsed value. Throws AppError
 * `invalid_response` naming the endpoint and the first failing field, e.g.
 * "HaloPSA returned an invalid client at /api/Client: [3].name expected string, received
 * undefined."
 */
export function parseHaloResponse<T>(
  schema: ZodType<T>,
  body: unknown,
  entity: string,
  endpoint: string,
): T {
  return parseVendorResponse('HaloPSA', schema, body, { entity, endpoint })
}
