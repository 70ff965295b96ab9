/**
 * Zod schemas for the Autotask REST responses the adapter reads. They list only the fields
 * the adapter uses. Autotask sends many more, which the schemas ignore.
 */
import { z } from 'zod'
import { AppError } from '../../errors.ts'

const id = z.number().int()
/** An Autotask date-time such as `2025-06-01T00:00:00`. The adapter uses only its day. */
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date')

/** The response of `GET {zoneUrl}v1.0/zoneInformation?user=`. */
export const zoneSchema = z.object({
  zoneName: z.string().nullish(),
  url: z.string().min(1),
  webUrl: z.string().nullish(),
})

/** A company of the `Companies` entity. */
export const companySchema = z.object({
  id,
  companyName: z.string(),
})

/** A catalog entry of the `Services` entity. */
export const serviceSchema = z.object({
  id,
  name: z.string(),
  unitPrice: z.number().nullish(),
})

/** A contract of the `Contracts` entity (status 1 is active). */
export const contractSchema = z.object({
  id,
  companyID: id,
  contractName: z.string(),
  status: z.number().int(),
})

/** A service billed on a contract (`ContractServices`). It has no quantity of its own. */
export const contractServiceSchema = z.object({
  id,
  contractID: id,
  serviceID: id,
  unitPrice: z.number().nullish(),
})

/** The units one contract service bills for one period (`ContractServiceUnits`). */
export const unitPeriodSchema = z.object({
  id,
  contractID: id,
  serviceID: id,
  contractServiceID: id.nullish(),
  startDate: dateTime,
  endDate: dateTime,
  units: z.number(),
})

/** The envelope of `POST {Entity}/query` and of its next pages. */
export const pageSchema = z.object({
  items: z.array(z.unknown()),
  pageDetails: z.object({ nextPageUrl: z.string().nullish() }),
})

/** The envelope of `GET {Entity}/{id}`. Its `item` is null when no record has that id. */
export const itemSchema = z.object({ item: z.unknown().nullish() })

export type Company = z.infer<typeof companySchema>
export type Service = z.infer<typeof serviceSchema>
export type Contract = z.infer<typeof contractSchema>
export type ContractService = z.infer<typeof contractServiceSchema>
export type UnitPeriod = z.infer<typeof unitPeriodSchema>

/**
 * Validates `body` against `schema`. Throws `invalid_response` that names the request and
 * the first invalid field, so an operator can find the record.
 */
export function parseAnswer<T>(
  schema: z.ZodType<T>,
  body: unknown,
  recordName: string,
  request: string,
): T {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = (issue?.path ?? []).join('.')
  throw new AppError(
    'invalid_response',
    `Autotask returned an invalid ${recordName} for ${request}` +
      `${field ? ` (field ${field})` : ''}: ${issue?.message ?? 'unexpected shape'}.`,
    { request, field },
  )
}
