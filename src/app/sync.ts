import { createRoleResolver, DeviceCounter, effectiveClass } from '../core/classify.ts'
import type { VendorDevice, VendorOrganization } from '../core/types.ts'
import { AppError, isAppError } from '../errors.ts'
import type { PsaAdapter } from '../psa/types.ts'
import type { SyncRun } from '../store/snapshots.ts'
import type { NinjaOneClient } from '../vendors/ninjaone/client.ts'
import type { AppContext } from './context.ts'
import { connectedPsa, ninjaClient } from './integrations.ts'
import { refreshIntegrationStatuses } from './status.ts'

export type SyncPhase =
  | 'organizations'
  | 'roles'
  | 'devices'
  | 'companies'
  | 'products'
  | 'lines'
  | 'saving'

/** A progress report; `done` counts items of the phase fetched so far. */
export interface SyncProgress {
  runId: number
  phase: SyncPhase
  done: number
}

/** How often a running sync records that it is alive. */
const HEARTBEAT_MS = 15_000

export interface SyncOutcome {
  run: SyncRun
  ok: boolean
  /** The reason the run failed; the previous snapshot stays current. */
  error?: string
}

interface SyncCounters {
  vendorRequests: number
  psaRequests: number
  organizationCount: number
  deviceCount: number
  lineCount: number
}

/**
 * Syncs NinjaOne (organizations, roles, every device) and the connected PSA (companies,
 * catalog, active lines) into a new run. The run becomes current only if every page of every
 * listing was read; otherwise it is marked failed and the last good snapshot stays.
 */
export async function runSync(
  ctx: AppContext,
  onProgress: (progress: SyncProgress) => void = () => {},
): Promise<SyncOutcome> {
  const { snapshots } = ctx.store
  const ninja = await ninjaClient(ctx)
  const psa = await connectedPsa(ctx)
  const run = await snapshots.startRun()
  const report = (progress: Omit<SyncProgress, 'runId'>) =>
    onProgress({ runId: run.id, ...progress })
  const heartbeat = setInterval(() => {
    snapshots.heartbeat(run.id).catch((error: unknown) => {
      ctx.logger.warn({ runId: run.id, err: error }, 'sync heartbeat failed')
    })
  }, HEARTBEAT_MS)
  heartbeat.unref()
  const counters: SyncCounters = {
    vendorRequests: 0,
    psaRequests: 0,
    organizationCount: 0,
    deviceCount: 0,
    lineCount: 0,
  }
  const started = Date.now()
  ctx.logger.info({ runId: run.id, psa: psa?.kind ?? null }, 'sync started')
  report({ phase: 'organizations', done: 0 })
  try {
    await syncVendor(ctx, run.id, ninja, counters, report)
    if (psa) await syncPsa(ctx, run.id, psa, counters, report)
    report({ phase: 'saving', done: 0 })
    await snapshots.succeedRun(run.id, counters)
    await refreshIntegrationStatuses(ctx)
    ctx.logger.info({ runId: run.id, ...counters, ms: Date.now() - started }, 'sync succeeded')
    return { run: (await snapshots.getRun(run.id))!, ok: true }
  } catch (error) {
    counters.vendorRequests = ninja.requestCount
    counters.psaRequests = psa?.requestCount ?? 0
    const message = isAppError(error) ? error.message : `Unexpected error: ${String(error)}`
    await snapshots.failRun(run.id, message, counters)
    const failedSide = isAppError(error) && error.details.side === 'psa' ? psa?.kind : 'ninjaone'
    if (failedSide) await ctx.store.integrations.setStatus(failedSide, 'error', message)
    ctx.logger.error({ runId: run.id, err: error, ...counters }, 'sync failed')
    if (!isAppError(error)) throw error
    return { run: (await snapshots.getRun(run.id))!, ok: false, error: message }
  } finally {
    clearInterval(heartbeat)
  }
}

async function syncVendor(
  ctx: AppContext,
  runId: number,
  ninja: NinjaOneClient,
  counters: SyncCounters,
  onProgress: (progress: Omit<SyncProgress, 'runId'>) => void,
): Promise<void> {
  const { snapshots } = ctx.store
  const organizations: VendorOrganization[] = []
  for await (const page of ninja.organizationPages()) {
    organizations.push(...page)
    onProgress({ phase: 'organizations', done: organizations.length })
  }
  await snapshots.addOrganizations(runId, organizations)
  counters.organizationCount = organizations.length

  const roles = await ninja.listRoles()
  onProgress({ phase: 'roles', done: roles.length })
  const resolve = createRoleResolver(roles)
  const billingClass = (device: VendorDevice) => effectiveClass(device, resolve)
  const counter = new DeviceCounter(roles)
  for await (const page of ninja.devicePages()) {
    counter.add(page)
    await snapshots.addDevices(runId, page, billingClass)
    onProgress({ phase: 'devices', done: counter.deviceCount })
  }
  counters.deviceCount = counter.deviceCount
  const { counts, unclassified } = counter.result(organizations.map((org) => org.id))
  await snapshots.addCounts(runId, counts, unclassified)
  counters.vendorRequests = ninja.requestCount
}

async function syncPsa(
  ctx: AppContext,
  runId: number,
  psa: PsaAdapter,
  counters: SyncCounters,
  onProgress: (progress: Omit<SyncProgress, 'runId'>) => void,
): Promise<void> {
  try {
    const companies = await psa.listCompanies()
    onProgress({ phase: 'companies', done: companies.length })
    const products = await psa.listProducts()
    onProgress({ phase: 'products', done: products.length })
    const lines = await psa.listLines()
    onProgress({ phase: 'lines', done: lines.length })
    await ctx.store.snapshots.addPsaData(runId, { companies, products, lines })
    counters.lineCount = lines.length
    counters.psaRequests = psa.requestCount
  } catch (error) {
    if (isAppError(error)) {
      throw new AppError(
        error.code,
        error.message,
        { ...error.details, side: 'psa' },
        {
          cause: error,
        },
      )
    }
    throw error
  }
}
