/**
 * A fake HaloPSA tenant: authinfo discovery, client-credentials tokens, paged lists of
 * clients, items and recurring invoices, and the array upsert of recurring invoices.
 * It renders a `World` in the record shapes that the adapter in src/psa/halo reads.
 */
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { FaultPlan, installFaults } from '../faults.ts'
import { listenOnLoopback, type RunningFake } from '../server.ts'
import type { World } from '../world/types.ts'
import {
  type FakeClient,
  type FakeInvoice,
  type FakeItem,
  type FakeLine,
  type FakeTenant,
  renderWorld,
} from './render.ts'
import { applyUpsert, UpsertError } from './upsert.ts'

/** Settings of a fake tenant. */
export interface HaloFakeOptions {
  world: World
  clientId: string
  clientSecret: string
  faults?: FaultPlan
  /** Lifetime of issued tokens (3600 s when absent). */
  tokenTtlSeconds?: number
  /** Tenant id that `/api/authinfo` names and the token endpoint then requires. */
  tenantId?: string
  /** Overrides the `auth_url` of `/api/authinfo` (default `{url}/auth`). */
  authUrl?: string
  /** Gives recurring invoices negative ids, as real tenants do (e.g. -94). */
  negativeInvoiceIds?: boolean
}

/**
 * A deliberate paging defect for tests: `repeat-previous-page` serves page N-1 again as
 * page N, and `grow-record-count` raises `record_count` by one on every later page.
 */
export type HaloListQuirk = 'none' | 'repeat-previous-page' | 'grow-record-count'

/** A running fake tenant with switches for tests. */
export interface HaloFake extends RunningFake {
  faults: FaultPlan
  /** Sets a line's quantity, as a person editing the invoice in Halo would. */
  setLineQuantity(invoiceId: number, lineId: number, qty: number): void
  /** A copy of a line as the API renders it; undefined when absent. */
  lineOf(invoiceId: number, lineId: number): object | undefined
  /** Makes every issued token unknown, so the next API call gets a 401. */
  expireTokens(): void
  /** Bodies of the `POST /api/RecurringInvoice` requests that reached the handler. */
  upserts: unknown[]
  listQuirk: HaloListQuirk
}

const DEFAULT_TOKEN_TTL_SECONDS = 3600
const DEFAULT_PAGE_SIZE = 50

type Query = Record<string, string | undefined>

/** Starts a fake HaloPSA tenant on 127.0.0.1; port 0 picks a free port. */
export async function startHaloFake(options: HaloFakeOptions, port = 0): Promise<HaloFake> {
  const faults = options.faults ?? new FaultPlan()
  const tenant = renderWorld(options.world, { negativeInvoiceIds: options.negativeInvoiceIds })
  const tokens = new Map<string, number>()
  const upserts: unknown[] = []
  const state = { url: '', listQuirk: 'none' as HaloListQuirk }

  const app = Fastify({ logger: false })
  installFaults(app, faults)
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  )

  app.get('/api/authinfo', async () => ({
    auth_url: options.authUrl ?? `${state.url}/auth`,
    ...(options.tenantId ? { tenant_id: options.tenantId } : {}),
  }))

  app.post('/auth/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>
    const tenantQuery = (request.query as Query).tenant
    if (options.tenantId && tenantQuery !== options.tenantId) {
      return reply.code(400).send({ error: 'invalid_request', error_description: 'Unknown tenant' })
    }
    if (form.grant_type !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type' })
    }
    if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
      return reply.code(401).send({ error: 'invalid_client' })
    }
    const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS
    const token = randomUUID()
    tokens.set(token, Date.now() + ttl * 1000)
    return { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: form.scope }
  })

  app.register(async (api) => {
    api.addHook('preHandler', async (request, reply) => {
      if (!hasValidToken(request, tokens)) {
        return reply.code(401).send({ message: 'The access token is missing, unknown or expired.' })
      }
    })

    api.get('/api/Client', async (request, reply) => {
      const query = request.query as Query
      const clients = tenant.clients.filter(
        (client) => flag(query.includeinactive) || !client.inactive,
      )
      return sendList(reply, query, 'clients', clients, state.listQuirk)
    })

    api.get('/api/Item', async (request, reply) => {
      return sendList(reply, request.query as Query, 'items', tenant.items, state.listQuirk)
    })

    api.get('/api/RecurringInvoice', async (request, reply) => {
      const query = request.query as Query
      const clientId = query.client_id === undefined ? undefined : Number(query.client_id)
      const invoices = tenant.invoices
        .filter((invoice) => flag(query.includeinactive) || !invoice.disabled)
        .filter((invoice) => clientId === undefined || invoice.client_id === clientId)
        .map((invoice) => renderInvoice(invoice, flag(query.includelines)))
      return sendList(reply, query, 'invoices', invoices, state.listQuirk)
    })

    api.get('/api/RecurringInvoice/:id', async (request, reply) => {
      const query = request.query as Query
      const id = Number((request.params as { id: string }).id)
      const invoice = tenant.invoices.find((candidate) => candidate.id === id)
      if (!invoice) return reply.code(404).send({ message: `Recurring invoice ${id} not found.` })
      return renderInvoice(invoice, flag(query.includelines) || flag(query.includedetails))
    })

    api.post('/api/RecurringInvoice', async (request, reply) => {
      try {
        const saved = applyUpsert(tenant, request.body)
        upserts.push(structuredClone(request.body))
        const rendered = saved.map((invoice) => renderInvoice(invoice, true))
        return reply.code(201).send(rendered.length === 1 ? rendered[0] : rendered)
      } catch (error) {
        if (!(error instanceof UpsertError)) throw error
        return reply.code(error.status).send({ message: error.message })
      }
    })
  })

  const running = await listenOnLoopback(app, port)
  state.url = running.url
  return {
    ...running,
    faults,
    upserts,
    get listQuirk() {
      return state.listQuirk
    },
    set listQuirk(quirk: HaloListQuirk) {
      state.listQuirk = quirk
    },
    setLineQuantity(invoiceId, lineId, qty) {
      const line = findLine(tenant, invoiceId, lineId)
      if (!line) throw new Error(`fake has no line ${lineId} on invoice ${invoiceId}`)
      line.qty_order = qty
    },
    lineOf(invoiceId, lineId) {
      const line = findLine(tenant, invoiceId, lineId)
      return line ? structuredClone(line) : undefined
    },
    expireTokens() {
      tokens.clear()
    },
  }
}

function hasValidToken(request: FastifyRequest, tokens: Map<string, number>): boolean {
  const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')
  const expiresAt = match ? tokens.get(match[1] as string) : undefined
  return expiresAt !== undefined && Date.now() < expiresAt
}

function flag(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true'
}

function findLine(tenant: FakeTenant, invoiceId: number, lineId: number): FakeLine | undefined {
  const invoice = tenant.invoices.find((candidate) => candidate.id === invoiceId)
  return invoice?.lines.find((line) => line.id === lineId)
}

function renderInvoice(invoice: FakeInvoice, withLines: boolean): object {
  const { lines, ...header } = invoice
  return withLines ? { ...header, lines: structuredClone(lines) } : { ...header }
}

/** Sends a list the way Halo does: all rows, or one page when `pageinate=true`. */
function sendList(
  reply: FastifyReply,
  query: Query,
  key: string,
  rows: readonly (FakeClient | FakeItem | object)[],
  quirk: HaloListQuirk,
): object {
  if (!flag(query.pageinate)) return { record_count: rows.length, [key]: rows }

  const pageSize = Number(query.page_size ?? DEFAULT_PAGE_SIZE)
  const pageNumber = Number(query.page_no ?? 1)
  if (
    !Number.isInteger(pageSize) ||
    pageSize < 1 ||
    !Number.isInteger(pageNumber) ||
    pageNumber < 1
  ) {
    return reply.code(400).send({ message: 'page_size and page_no must be positive integers.' })
  }
  const servedPage =
    quirk === 'repeat-previous-page' && pageNumber > 1 ? pageNumber - 1 : pageNumber
  const start = (servedPage - 1) * pageSize
  const recordCount = rows.length + (quirk === 'grow-record-count' ? pageNumber - 1 : 0)
  return {
    page_no: pageNumber,
    page_size: pageSize,
    record_count: recordCount,
    [key]: rows.slice(start, start + pageSize),
  }
}
