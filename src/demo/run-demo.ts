import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DemoFakes, startDemoFakes } from '../../fakes/demo-world.ts'
import { approve } from '../app/approve.ts'
import { type AppContext, createContext } from '../app/context.ts'
import { connectedPsa, connectNinjaOne, connectPsa } from '../app/integrations.ts'
import { autoMapAccounts, listAccounts, mapService } from '../app/mapping.ts'
import { loadReconciliation } from '../app/reconcile.ts'
import { runSync } from '../app/sync.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../log.ts'
import type { PsaKind } from '../psa/types.ts'
import { Store } from '../store/store.ts'

export interface DemoSetup {
  ctx: AppContext
  fakes: DemoFakes
  dataDir: string
  close(): Promise<void>
}

export interface DemoSetupOptions {
  psa: PsaKind
  seed?: number
  devices?: number
  organizations?: number
  dataDir?: string
  logger?: Logger
  /** Receives one line per step, for people watching. */
  say?: (line: string) => void
}

/**
 * Starts the fakes, connects both sides, syncs, auto-maps exact names and maps every service to
 * its catalog product, in a data folder of its own so a real installation is never touched.
 */
export async function setUpDemo(options: DemoSetupOptions): Promise<DemoSetup> {
  const say = options.say ?? (() => {})
  // The fakes listen on 127.0.0.1, which no vendor default allows, so the demo allows it.
  process.env.MSP_RECON_ALLOWED_HOSTS = [process.env.MSP_RECON_ALLOWED_HOSTS, '127.0.0.1']
    .filter(Boolean)
    .join(',')
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'msp-recon-demo-'))
  const fakes = await startDemoFakes({
    psa: options.psa,
    seed: options.seed ?? 42,
    devices: options.devices ?? 2500,
    organizations: options.organizations ?? 60,
  })
  const store = await Store.open(
    { dataDir, databaseUrl: undefined },
    {
      ...process.env,
      DATABASE_URL: undefined,
    },
  )
  const ctx = createContext(store, { logger: options.logger, actor: 'demo' })
  const close = async () => {
    await store.close()
    await fakes.close()
    // The folder contains a key file next to the encrypted demo credentials, so remove it all.
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    say(`Demo data folder (removed at exit): ${dataDir}`)
    say(`NinjaOne fake: ${fakes.ninja.url}   ${options.psa} fake: ${fakes.psa.fake.url}`)
    await connectNinjaOne(ctx, {
      apiUrl: fakes.ninja.url,
      clientId: fakes.ninja.clientId,
      clientSecret: fakes.ninja.clientSecret,
    })
    await connectPsa(ctx, {
      kind: options.psa,
      settings: fakes.psa.settings,
      secrets: fakes.psa.secrets,
    })
    say('Connected NinjaOne and the PSA; credentials are stored encrypted.')
    const outcome = await runSync(ctx)
    if (!outcome.ok) throw new AppError('sync_failed', `Demo sync failed: ${outcome.error}`)
    say(
      `Synced ${outcome.run.deviceCount} devices in ${outcome.run.organizationCount} ` +
        `organizations and ${outcome.run.lineCount} PSA lines.`,
    )
    await mapDemoAccountsAndServices(ctx, fakes, say)
    return { ctx, fakes, dataDir, close }
  } catch (error) {
    await close()
    throw error
  }
}

async function mapDemoAccountsAndServices(
  ctx: AppContext,
  fakes: DemoFakes,
  say: (line: string) => void,
): Promise<void> {
  const exact = await autoMapAccounts(ctx)
  const rows = await listAccounts(ctx)
  const suggested = rows.filter((row) => row.companyId === null && row.suggestions.length > 0)
  say(
    `Auto-mapped ${exact} of ${rows.length} organizations by exact name; ${suggested.length} ` +
      'more have suggestions waiting for a person to confirm.',
  )
  const snapshot = (await ctx.store.snapshots.current())!
  const syncedProductIds = new Set(snapshot.products.map((product) => product.id))
  let mapped = 0
  for (const product of fakes.world.products) {
    if (product.service === null || !syncedProductIds.has(product.id)) continue
    await mapService(ctx, product.service, product.id)
    mapped++
  }
  say(`Mapped ${mapped} catalog products to the 8 NinjaOne services.`)
}

/** Approves the under-billed line with the largest monthly impact, if any. */
export async function approveLargestLeak(ctx: AppContext) {
  const { items } = await loadReconciliation(ctx)
  const leak = items
    .filter((item) => item.status === 'under-billed' && item.vendorCount > 0)
    .sort((a, b) => b.monthlyImpact - a.monthlyImpact)[0]
  if (!leak) return undefined
  const [result] = await approve(ctx, { items: [leak.id] })
  const psa = await connectedPsa(ctx)
  const line = await psa!.getLine({ agreementId: leak.agreementId!, lineId: leak.additionId! })
  return { item: leak, result: result!, psaQuantityNow: line?.quantity ?? null, psa: psa!.kind }
}
