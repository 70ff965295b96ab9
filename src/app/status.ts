import type { IntegrationKind } from '../store/integrations.ts'
import type { IntegrationStatus } from '../store/schema.ts'
import type { AppContext } from './context.ts'

const ALL_KINDS: IntegrationKind[] = ['ninjaone', 'connectwise', 'autotask', 'halo']

/** The `status` report: integrations, mapping counts and the last sync. */
export interface StatusReport {
  integrations: {
    vendor: IntegrationKind
    role: 'vendor' | 'psa'
    status: IntegrationStatus
    statusReason: string | null
    hasCredentials: boolean
  }[]
  accountMappings: number
  serviceMappings: number
  lastSync: {
    id: number
    status: string
    startedAt: string
    finishedAt: string | null
    error: string | null
    deviceCount: number
    vendorRequests: number
    psaRequests: number
  } | null
  lastGoodSync: { id: number; finishedAt: string | null } | null
}

/** Reports every integration (absent ones as `disconnected`), mapping counts and sync state. */
export async function getStatus(ctx: AppContext): Promise<StatusReport> {
  const { store } = ctx
  const stored = await store.integrations.list()
  const integrations = ALL_KINDS.map((kind) => {
    const found = stored.find((entry) => entry.kind === kind)
    return {
      vendor: kind,
      role: kind === 'ninjaone' ? ('vendor' as const) : ('psa' as const),
      status: found?.status ?? ('disconnected' as const),
      statusReason: found?.statusReason ?? null,
      hasCredentials: found?.hasCredentials ?? false,
    }
  })
  const [accounts, services, last, good] = await Promise.all([
    store.mappings.accountMappings(),
    store.mappings.serviceMappings(),
    store.snapshots.latestRun(),
    store.snapshots.latestSucceededRun(),
  ])
  return {
    integrations,
    accountMappings: accounts.length,
    serviceMappings: services.length,
    lastSync: last
      ? {
          id: last.id,
          status: last.status,
          startedAt: last.startedAt,
          finishedAt: last.finishedAt,
          error: last.error,
          deviceCount: last.deviceCount,
          vendorRequests: last.vendorRequests,
          psaRequests: last.psaRequests,
        }
      : null,
    lastGoodSync: good ? { id: good.id, finishedAt: good.finishedAt } : null,
  }
}

/**
 * Moves connected integrations to `mapping` while accounts or services are unmapped and to
 * `connected` once both have mappings; `pending` stays until the first successful sync.
 */
export async function refreshIntegrationStatuses(ctx: AppContext): Promise<void> {
  const { store } = ctx
  const run = await store.snapshots.latestSucceededRun()
  if (!run) return
  const [accounts, services] = await Promise.all([
    store.mappings.accountMappings(),
    store.mappings.serviceMappings(),
  ])
  const next: IntegrationStatus =
    accounts.length > 0 && services.length > 0 ? 'connected' : 'mapping'
  for (const integration of await store.integrations.list()) {
    // An integration connected after the run started has no synced data yet.
    if (integration.connectedAt > run.startedAt) continue
    if (integration.status !== next) await store.integrations.setStatus(integration.kind, next)
  }
}
