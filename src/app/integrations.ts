import { AppError } from '../errors.ts'
import { createPsaAdapter, PSA_NAMES, resolvePsaConnection } from '../psa/registry.ts'
import type { PsaAdapter, PsaKind } from '../psa/types.ts'
import type { IntegrationKind } from '../store/integrations.ts'
import { NinjaOneClient } from '../vendors/ninjaone/client.ts'
import { resolveNinjaBaseUrl } from '../vendors/ninjaone/regions.ts'
import type { AppContext } from './context.ts'
import { refreshIntegrationStatuses } from './status.ts'

/** Input of `connect ninjaone`: exactly one of region and apiUrl, plus the credentials. */
export interface NinjaConnectInput {
  region?: string
  apiUrl?: string
  clientId: string
  clientSecret: string
}

/** Input of `connect <psa>`: the PSA's own settings and secrets. */
export interface PsaConnectInput {
  kind: PsaKind
  settings: Record<string, string | undefined>
  secrets: Record<string, string>
  /** Confirms replacing another connected PSA, which clears every mapping. */
  replace?: boolean
}

function requireValue(value: string | undefined, label: string): string {
  if (value === undefined || value.trim() === '') {
    throw new AppError('bad_request', `Missing ${label}.`)
  }
  return value.trim()
}

/**
 * Checks NinjaOne credentials with a real token request and stores them encrypted. Nothing is
 * stored when NinjaOne rejects them, so the integration stays disconnected.
 */
export async function connectNinjaOne(ctx: AppContext, input: NinjaConnectInput) {
  const baseUrl = resolveNinjaBaseUrl({ region: input.region, apiUrl: input.apiUrl })
  const clientId = requireValue(input.clientId, 'NinjaOne client ID')
  const clientSecret = requireValue(input.clientSecret, 'NinjaOne client secret')
  const client = new NinjaOneClient({ baseUrl, clientId, clientSecret }, clientOptions(ctx))
  await client.authenticate()
  const settings: Record<string, string> = { apiUrl: baseUrl.href.replace(/\/$/, ''), clientId }
  if (input.region) settings.region = input.region.toLowerCase()
  await ctx.store.integrations.save({
    kind: 'ninjaone',
    role: 'vendor',
    status: 'pending',
    settings,
    secrets: { clientSecret },
  })
  await ctx.store.approvals.audit('connect', 'ninjaone', { apiUrl: settings.apiUrl }, ctx.actor)
  ctx.logger.info({ integration: 'ninjaone', apiUrl: settings.apiUrl }, 'connected')
  return (await ctx.store.integrations.get('ninjaone'))!
}

/** Checks PSA credentials with one call and stores them encrypted; one PSA at a time. */
export async function connectPsa(ctx: AppContext, input: PsaConnectInput) {
  const connection = resolvePsaConnection(input.kind, input.settings, input.secrets)
  const other = (await ctx.store.integrations.list()).find(
    (integration) => integration.role === 'psa' && integration.kind !== input.kind,
  )
  if (other && !input.replace) {
    throw new AppError(
      'conflict',
      `${PSA_NAMES[other.kind as PsaKind]} is already connected. Switching PSA clears every ` +
        'account and service mapping, so confirm the replacement (CLI: --replace).',
    )
  }
  const adapter = createPsaAdapter(input.kind, connection, clientOptions(ctx))
  await adapter.verifyCredentials()
  await ctx.store.db.transaction().execute(async (trx) => {
    if (other) {
      await ctx.store.integrations.remove(other.kind, trx)
      await ctx.store.mappings.clearAll(trx)
      await ctx.store.snapshots.clearPsaData(trx)
    }
  })
  await ctx.store.integrations.save({
    kind: input.kind,
    role: 'psa',
    status: 'pending',
    settings: connection.settings,
    secrets: connection.secrets,
  })
  await ctx.store.approvals.audit(
    'connect',
    input.kind,
    { replaced: other?.kind ?? null },
    ctx.actor,
  )
  ctx.logger.info({ integration: input.kind }, 'connected')
  return (await ctx.store.integrations.get(input.kind))!
}

/** Retry and timeout options shared by every client the context builds. */
export function clientOptions(ctx: AppContext) {
  return { logger: ctx.logger, ...ctx.http }
}

/** Builds a NinjaOne client from the stored integration. */
export async function ninjaClient(ctx: AppContext): Promise<NinjaOneClient> {
  const integration = await ctx.store.integrations.get('ninjaone')
  if (!integration) {
    throw new AppError(
      'not_connected',
      'NinjaOne is not connected. Run: msp-recon connect ninjaone',
    )
  }
  const secrets = await ctx.store.integrations.secrets('ninjaone')
  return new NinjaOneClient(
    {
      baseUrl: new URL(integration.settings.apiUrl!),
      clientId: integration.settings.clientId!,
      clientSecret: secrets.clientSecret!,
    },
    clientOptions(ctx),
  )
}

/** Builds the connected PSA's adapter; undefined when no PSA is connected. */
export async function connectedPsa(ctx: AppContext): Promise<PsaAdapter | undefined> {
  const integration = (await ctx.store.integrations.list()).find((entry) => entry.role === 'psa')
  if (!integration) return undefined
  const secrets = await ctx.store.integrations.secrets(integration.kind)
  const connection = resolvePsaConnection(
    integration.kind as PsaKind,
    integration.settings,
    secrets,
  )
  return createPsaAdapter(integration.kind as PsaKind, connection, clientOptions(ctx))
}

/**
 * Disconnects an integration: deletes its credentials, every account and service mapping and
 * the synced data of that side. Past approvals stay in the audit log.
 */
export async function disconnect(ctx: AppContext, kind: IntegrationKind): Promise<boolean> {
  const integration = await ctx.store.integrations.get(kind)
  // Mappings belong to the connected pair, so disconnecting an absent PSA must not clear them.
  if (!integration) return false
  const { store } = ctx
  await store.db.transaction().execute(async (trx) => {
    await store.integrations.remove(kind, trx)
    await store.mappings.clearAll(trx)
    await store.approvals.clearDismissals(trx)
    if (kind === 'ninjaone') await store.snapshots.clearVendorData(trx)
    else await store.snapshots.clearPsaData(trx)
  })
  await store.approvals.audit('disconnect', kind, {}, ctx.actor)
  // The other side stays connected but lost its mappings, so it goes back to `mapping`.
  await refreshIntegrationStatuses(ctx)
  ctx.logger.info({ integration: kind }, 'disconnected')
  return true
}
