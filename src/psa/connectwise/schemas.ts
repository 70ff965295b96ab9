/**
 * Zod schemas for the ConnectWise PSA records the adapter reads. They list only the fields
 * the adapter uses. The API sends many more, and the schemas ignore them.
 */
import { z } from 'zod'
import { AppError } from '../../errors.ts'

const reference = z.object({ id: z.number().int() })
const info = z.object({ lastUpdated: z.string().nullish() }).nullish()
const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'invalid date')

/** A company as `GET /company/companies` returns it. */
export const companySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  deletedFlag: z.boolean().nullish(),
  types: z.array(z.object({ id: z.number().int().nullish(), name: z.string() })).nullish(),
})

/** A catalog item as `GET /procurement/catalog` returns it. */
export const catalogItemSchema = z.object({
  id: z.number().int(),
  identifier: z.string().nullish(),
  description: z.string(),
  inactiveFlag: z.boolean().nullish(),
  price: z.number().nullish(),
})

/** An agreement as `GET /finance/agreements` returns it. */
export const agreementSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  company: reference,
  agreementStatus: z.string().nullish(),
  cancelledFlag: z.boolean().nullish(),
})

/** An agreement addition (a billed product line of an agreement). */
export const additionSchema = z.object({
  id: z.number().int(),
  product: reference,
  quantity: z.number(),
  lessIncluded: z.number().nullish(),
  unitPrice: z.number().nullish(),
  cancelledDate: isoDate.nullish(),
  _info: info,
})

export type Company = z.infer<typeof companySchema>
export type CatalogItem = z.infer<typeof catalogItemSchema>
export type Agreement = z.infer<typeof agreementSchema>
export type Addition = z.infer<typeof additionSchema>

/**
 * Validates `body` against `schema`. Throws `invalid_response` naming the first invalid
 * field, e.g. `item 3, field product.id`, so an operator can find the record.
 */
export function parseResponse<T>(
  schema: z.ZodType<T>,
  body: unknown,
  recordName: string,
  request: string,
): T {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue?.path ?? []
  const [first, ...rest] = path
  const location =
    typeof first === 'number'
      ? `item ${first}${rest.length > 0 ? `, field ${rest.join('.')}` : ''}`
      : path.length > 0
        ? `field ${path.join('.')}`
        : 'the body'
  throw new AppError(
    'invalid_response',
    `ConnectWise PSA returned an invalid ${recordName} for ${request}: ${location}: ` +
      `${issue?.message ?? 'unexpected shape'}. Check that the site runs a supported version.`,
    { request, field: path.join('.') },
  )
}
