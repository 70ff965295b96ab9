import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isAppError } from '../errors.ts'

/** The body of every error response. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
})

/** An error response body. */
export type ErrorBody = z.infer<typeof errorBodySchema>

/**
 * An error of the HTTP layer itself (sign-in, CSRF, rate limit) with its status and code.
 * Application failures use AppError instead.
 */
export class ApiError extends Error {
  readonly statusCode: number
  readonly code: string

  constructor(statusCode: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.code = code
  }
}

/** Builds the contract's error body. */
export function errorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } }
}

const LOCATIONS: Record<string, string> = {
  body: 'the request body',
  querystring: 'the query string',
  params: 'the URL path',
  headers: 'the request headers',
}

/** Turns the first zod issue of a request into a 400 body that names the field. */
function validationBody(error: FastifyError & { validation: { instancePath: string }[] }) {
  const issue = error.validation[0] as { instancePath: string; message?: string }
  const location = LOCATIONS[error.validationContext ?? 'body'] ?? 'the request'
  const field = issue.instancePath.split('/').filter(Boolean).join('.')
  const detail = (issue.message ?? 'invalid value').replace(/\.$/, '')
  const missing = /received (undefined|null)$/.test(detail)
  if (field === '') {
    const message = missing
      ? 'Missing request body: send a JSON object.'
      : `Invalid ${location.replace(/^the /, '')}: ${detail}.`
    return errorBody('validation', message)
  }
  const message = missing
    ? `Missing field "${field}" in ${location}.`
    : `Invalid field "${field}" in ${location}: ${detail}.`
  return errorBody('validation', message, field)
}

/**
 * Messages for the framework's own client errors. Their original messages are not sent
 * because a JSON parse error quotes part of the body, which may hold a secret.
 */
function frameworkMessage(error: FastifyError, status: number): string {
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return 'The request body is not valid JSON.'
  }
  if (status === 415) return 'Send the request body as JSON with Content-Type: application/json.'
  if (status === 413) return 'The request body is too large.'
  return `Invalid request (HTTP ${status}).`
}

function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).type('application/json').send(body)
}

/** Maps every error to the contract's shape. Unexpected errors become a logged 500. */
function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return sendError(reply, 400, validationBody(error))
  }
  if (error instanceof ApiError) {
    return sendError(reply, error.statusCode, errorBody(error.code, error.message))
  }
  if (isAppError(error)) {
    const fields = { code: error.code, message: error.message }
    if (error.httpStatus >= 500) request.log.warn(fields, 'request failed upstream')
    else request.log.info(fields, 'request rejected')
    return sendError(reply, error.httpStatus, errorBody(error.code, error.message))
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    return sendError(reply, status, errorBody('bad_request', frameworkMessage(error, status)))
  }
  request.log.error({ err: error }, 'request failed with an unexpected error')
  return sendError(reply, 500, errorBody('internal', 'Internal error.'))
}

/** Installs the error handler: one error shape for every route, secrets never echoed. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(handleError)
}
