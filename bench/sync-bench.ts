/**
 * Benchmark: sync and reconcile 100,000 devices in 2,000 organizations from the fakes, with
 * 20 ms added to every NinjaOne request. Prints requests against the minimum, wall time against
 * the minimum times the latency, peak RSS and reconcile compute time, and checks the targets.
 *
 *   npm run bench [-- --devices 100000 --organizations 2000 --latency 20]
 */
import '../src/runtime-flags.ts'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createContext } from '../src/app/context.ts'
import { connectNinjaOne, connectPsa } from '../src/app/integrations.ts'
import { autoMapAccounts, listAccounts, mapService } from '../src/app/mapping.ts'
import { loadReconciliation } from '../src/app/reconcile.ts'
import { runSync } from '../src/app/sync.ts'
import { Store } from '../src/store/store.ts'
import { NINJA_PAGE_SIZE } from '../src/vendors/ninjaone/client.ts'

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '100000' },
    organizations: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '20' },
  },
})
const devices = Number(values.devices)
const organizations = Number(values.organizations)
const latencyMs = Number(values.latency)

interface FakeInfo {
  ninja: { url: string; clientId: string; secret: string }
  psa: { settings: Record<string, string>; secrets: Record<string, string> }
  products: { id: number; service: string }[]
}

// The fakes run from the same build as this file: compiled JavaScript or TypeScript under tsx.
const compiled = import.meta.url.endsWith('.js')
const fakesScript = fileURLToPath(
  new URL(`fakes-process.${compiled ? 'js' : 'ts'}`, import.meta.url),
)

async function startFakes() {
  const child = spawn(
    process.execPath,
    [
      ...(compiled ? [] : ['--import', 'tsx']),
      fakesScript,
      '--devices',
      String(devices),
      '--organizations',
      String(organizations),
      '--latency',
      String(latencyMs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const lines = createInterface({ input: child.stdout })
  const [first] = await Promise.race([
    new Promise<string[]>((resolve) => lines.once('line', (line) => resolve([line]))),
    new Promise<never>((_, reject) => child.once('exit', () => reject(new Error('fakes exited')))),
  ])
  return { child, info: JSON.parse(first!) as FakeInfo }
}

// Samples RSS every 20 ms and at every phase change (synchronous work can starve the timer),
// so the report shows which phase needed the memory.
const phasePeakMb: Record<string, number> = {}
let phase = 'start'
function sample(): void {
  const rssMb = process.memoryUsage().rss / 1048576
  phasePeakMb[phase] = Math.max(phasePeakMb[phase] ?? 0, +rssMb.toFixed(1))
}
function enterPhase(next: string): void {
  sample()
  phase = next
}
const sampler = setInterval(sample, 20)

const { child, info } = await startFakes()
process.env.MSP_RECON_ALLOWED_HOSTS = '127.0.0.1'
const dataDir = mkdtempSync(join(tmpdir(), 'msp-recon-bench-'))
const store = await Store.open({ dataDir }, { ...process.env, DATABASE_URL: undefined })
const ctx = createContext(store, { actor: 'bench' })
try {
  await connectNinjaOne(ctx, {
    apiUrl: info.ninja.url,
    clientId: info.ninja.clientId,
    clientSecret: info.ninja.secret,
  })
  await connectPsa(ctx, { kind: 'connectwise', ...info.psa })

  enterPhase('sync')
  const started = performance.now()
  let vendorMs = 0
  const outcome = await runSync(ctx, (progress) => {
    enterPhase(`sync:${progress.phase}`)
    if (progress.phase === 'companies' && vendorMs === 0) vendorMs = performance.now() - started
  })
  const syncMs = performance.now() - started
  if (!outcome.ok) throw new Error(`sync failed: ${outcome.error}`)

  enterPhase('map')
  await autoMapAccounts(ctx)
  for (const product of info.products) await mapService(ctx, product.service, product.id)
  enterPhase('suggest')
  const suggestStarted = performance.now()
  const accounts = await listAccounts(ctx)
  const suggestMs = performance.now() - suggestStarted

  enterPhase('reconcile')
  const reconciliation = await loadReconciliation(ctx)
  enterPhase('report')

  const orgPages = Math.ceil(organizations / NINJA_PAGE_SIZE)
  const minimum = Math.ceil(devices / NINJA_PAGE_SIZE) + orgPages + 1
  const { run } = outcome
  const peakRssMb = process.resourceUsage().maxRSS / 1024
  const report = {
    devices: run.deviceCount,
    organizations: run.organizationCount,
    ninjaRequests: run.vendorRequests,
    minimumRequests: minimum,
    requestRatio: +(run.vendorRequests / minimum).toFixed(3),
    psaRequests: run.psaRequests,
    syncSeconds: +(syncMs / 1000).toFixed(2),
    vendorSyncSeconds: +(vendorMs / 1000).toFixed(2),
    minimumSeconds: +((minimum * latencyMs) / 1000).toFixed(2),
    peakRssMb: +peakRssMb.toFixed(1),
    reconcileItems: reconciliation.items.length,
    reconcileComputeMs: +reconciliation.computeMs.toFixed(1),
    accountsListed: accounts.length,
    accountListWithSuggestionsMs: +suggestMs.toFixed(0),
    phasePeakRssMb: phasePeakMb,
  }
  console.log(JSON.stringify(report, null, 2))
  const failures = [
    report.requestRatio > 1.05 && `requests ${report.requestRatio} × minimum > 1.05`,
    report.peakRssMb > 150 && `peak RSS ${report.peakRssMb} MB > 150 MB`,
    report.reconcileComputeMs > 200 && `reconcile compute ${report.reconcileComputeMs} ms > 200 ms`,
  ].filter(Boolean)
  if (failures.length > 0) {
    console.error(`Targets missed: ${failures.join('; ')}`)
    process.exitCode = 1
  } else {
    console.log('All targets met.')
  }
} finally {
  clearInterval(sampler)
  await store.close()
  child.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
}
