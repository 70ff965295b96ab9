import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import { requireSnapshot } from '../../app/mapping.ts'
import type { SyncPhase, SyncProgress } from '../../app/sync.ts'
import { runSync } from '../../app/sync.ts'
import { AppError } from '../../errors.ts'
import { json, table } from '../format.ts'
import type { CliIo } from '../io.ts'
import { parseChoice, withContext } from '../runtime.ts'

const PHASE_LABELS: Record<SyncPhase, string> = {
  organizations: 'NinjaOne organizations',
  roles: 'NinjaOne roles',
  devices: 'NinjaOne devices',
  companies: 'PSA companies',
  products: 'PSA catalog',
  lines: 'PSA billed lines',
  saving: 'Saving',
}

/** Shows sync progress as a live line on a terminal; prints nothing when piped. */
function progressReporter(io: CliIo) {
  if (!io.stderr.isTTY) return { update: (_: SyncProgress) => {}, stop: () => {} }
  const bar = new cliProgress.SingleBar(
    { format: '{phase}: {value} fetched', clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    update(progress: SyncProgress) {
      const payload = { phase: PHASE_LABELS[progress.phase] }
      if (!started) {
        bar.start(0, progress.done, payload)
        started = true
      }
      bar.update(progress.done, payload)
    },
    stop: () => bar.stop(),
  }
}

/** Registers `sync` and `counts`. */
export function registerSync(program: Command, io: CliIo): void {
  program
    .command('sync')
    .description('Read every NinjaOne device and the PSA lines into a new snapshot')
    .action(async () => {
      const reporter = progressReporter(io)
      const outcome = await withContext(io, (ctx) => runSync(ctx, (p) => reporter.update(p)))
      reporter.stop()
      const { run } = outcome
      if (!outcome.ok) {
        throw new AppError(
          'sync_failed',
          `Sync failed: ${outcome.error} The previous counts stay in use.`,
        )
      }
      io.stdout.write(
        `Synced ${run.deviceCount} devices in ${run.organizationCount} organizations and ` +
          `${run.lineCount} PSA lines (${run.vendorRequests} NinjaOne and ${run.psaRequests} ` +
          'PSA requests).\n',
      )
    })

  program
    .command('counts')
    .description('Show device counts per organization and service from the last good sync')
    .option('--format <format>', 'table or json', 'table')
    .action(async (flags: { format: string }) => {
      const format = parseChoice(flags.format, ['table', 'json'] as const)
      const snapshot = await withContext(io, requireSnapshot)
      const names = new Map(snapshot.organizations.map((org) => [org.id, org.name]))
      const rows = snapshot.counts.map((count) => ({
        organizationId: count.organizationId,
        organizationName: names.get(count.organizationId) ?? null,
        service: count.service,
        count: count.count,
      }))
      if (format === 'json') {
        io.stdout.write(json(rows))
        return
      }
      const headers = ['Org ID', 'Organization', 'Service', 'Count']
      const cells = rows.map((row) => [
        String(row.organizationId),
        row.organizationName ?? '(unknown)',
        row.service,
        String(row.count),
      ])
      io.stdout.write(`${table(headers, cells, [0, 3])}\n`)
      if (snapshot.unclassified.length > 0) {
        const total = snapshot.unclassified.reduce((sum, entry) => sum + entry.count, 0)
        io.stdout.write(
          `\n${total} devices have a class that bills under Total Devices only ` +
            `(${[...new Set(snapshot.unclassified.map((entry) => entry.nodeClass))].join(', ')}).\n`,
        )
      }
    })
}
