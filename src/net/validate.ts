import type { ZodType } from 'zod'
import { AppError } from '../errors.ts'

/** Where a response body came from, for error messages: `device` at `/v2/devices`. */
export interface ResponseSource {
  entity: string
  endpoint: string
}

/**
 * Validates a vendor's response body and returns the parsed value. Throws `invalid_response`
 * naming the endpoint and the first failing field, e.g. "NinjaOne returned an invalid device
 * at /v2/devices: [3].organizationId expected number, received string."
 */
export function parseVendorResponse<T>(
  vendor: string,
  schema: ZodType<T>,
  body: unknown,
  source: ResponseSource,
): T {
  const result = schema.safeParse(body)
  if (result.success) return result.data

  const issue = result.error.issues[0]!
  const path = formatIssuePath(issue.path)
  const problem = issue.message.replace(/^Invalid input: /, '')
  throw new AppError(
    'invalid_response',
    `${vendor} returned an invalid ${source.entity} at ${source.endpoint}: ` +
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
