import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { AppContext } from '../app/context.ts'
import type { Store } from '../store/store.ts'
import type { UserRepository } from '../store/users.ts'
import { errorBodySchema } from './errors.ts'
import type { SyncRunner } from './sync-runner.ts'

/** Dependencies of every route module, passed as plugin options. */
export interface RouteDeps {
  store: Store
  users: UserRepository
  runner: SyncRunner
  secureCookies: boolean
  /** Builds the application context of a request: its logger and the signed-in actor. */
  contextFor(request: FastifyRequest): AppContext
}

/** Plugin options of every route module. */
export interface RouteOptions {
  deps: RouteDeps
}

/**
 * Adds the error body to a route's documented responses. Error replies are then checked
 * against it too, so a malformed error fails loudly in tests instead of reaching the UI.
 */
export function withErrors<T extends Record<number, z.ZodType>>(success: T) {
  return { ...success, '4xx': errorBodySchema, '5xx': errorBodySchema }
}

/** A positive whole-number id in the URL path. */
export const idParam = z.coerce.number().int().positive()

/** Builds the schema of a trimmed, non-empty string of at most `max` characters. */
export function text(max = 1000) {
  return z.string().trim().min(1, { error: 'must not be empty' }).max(max)
}

/** A secret field: non-empty, at most 4096 characters, kept exactly as sent. */
export const secret = z.string().min(1, { error: 'must not be empty' }).max(4096)

/** The empty reply of 204 routes. */
export const noContent = z.null()
