import type { ZodType } from 'zod'
import { AppError } from '../../errors.ts'

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
  const result = schema.safeParse(body)
  if (result.success) return result.data

  const issue = result.error.issues[0]!
  const path = issue.path.map(formatPathKey).join('')
  const problem = issue.message.replace(/^Invalid input: /, '')
  throw new AppError(
    'invalid_response',
    `HaloPSA returned an invalid ${entity} at ${endpoint}: ${path ? `${path} ` : ''}${problem}.`,
    { endpoint, path },
  )
}

function formatPathKey(key: PropertyKey, index: number): string {
  if (typeof key === 'number') return `[${key}]`
  return index === 0 ? String(key) : `.${String(key)}`
}
