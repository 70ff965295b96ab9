import type { Command } from 'commander'
import { type ApprovalResult, approve } from '../../app/approve.ts'
import { type ItemView, loadReconciliation } from '../../app/reconcile.ts'
import type { ReconcileTotals } from '../../core/reconcile.ts'
import { ITEM_STATUSES } from '../../core/types.ts'
import { AppError } from '../../errors.ts'
import { csv, json, money, signed, table } from '../format.ts'
import type { CliIo } from '../io.ts'
import { parseChoice, withContext } from '../runtime.ts'

const JSON_FIELDS = [
  'id',
  'organizationId',
  'organizationName',
  'companyId',
  'companyName',
  'service',
  'productId',
  'agreementId',
  'additionId',
  'vendorCount',
  'psaQuantity',
  'lessIncluded',
  'delta',
  'unitPrice',
  'monthlyImpact',
  'status',
  'lastUpdated',
] as const

interface ReconcileFlags {
  format: string
  status?: string
  service?: string
  sort: string
  includeDismissed?: boolean
}

function filterItems(items: ItemView[], flags: ReconcileFlags): ItemView[] {
  let selected = flags.includeDismissed ? items : items.filter((item) => !item.dismissed)
  if (flags.status) {
    const statuses = flags.status.split(',').map((status) => status.trim())
    for (const status of statuses) parseChoice(status, ITEM_STATUSES, '--status')
    selected = selected.filter((item) => statuses.includes(item.status))
  }
  if (flags.service) {
    const needle = flags.service.toLowerCase()
    selected = selected.filter((item) => item.service.toLowerCase().includes(needle))
  }
  const sort = parseChoice(
    flags.sort,
    ['last-updated', 'impact', 'organization'] as const,
    '--sort',
  )
  const sorted = [...selected]
  if (sort === 'impact')
    sorted.sort((a, b) => Math.abs(b.monthlyImpact) - Math.abs(a.monthlyImpact))
  if (sort === 'organization')
    sorted.sort((a, b) => a.organizationName.localeCompare(b.organizationName))
  if (sort === 'last-updated') sorted.sort((a, b) => b.lastUpdated.localeCompare(a.lastUpdated))
  return sorted
}

function renderTable(items: ItemView[]): string {
  const headers = [
    'ID',
    'Organization',
    'PSA company',
    'Service',
    'Vendor',
    'PSA',
    'Delta',
    'Impact/mo',
    'Status',
    'Last updated',
  ]
  const rows = items.map((item) => [
    item.id,
    item.organizationName,
    item.companyName,
    item.service,
    String(item.vendorCount),
    item.psaQuantity === null ? '-' : String(item.psaQuantity),
    signed(item.delta),
    money(item.monthlyImpact),
    item.status,
    item.lastUpdated.slice(0, 16).replace('T', ' '),
  ])
  return table(headers, rows, [4, 5, 6, 7])
}

function renderTotals(totals: ReconcileTotals): string {
  const { byStatus } = totals
  return (
    `Under-billed: ${money(totals.underBilled)}/month across ${byStatus['under-billed']} lines. ` +
    `Over-billed: ${money(totals.overBilled)}/month across ${byStatus['over-billed']} lines. ` +
    `${byStatus.match} match, ${byStatus.ambiguous} ambiguous. Devices with no PSA line: ` +
    `${money(totals.newRevenue)}/month across ${byStatus['new-revenue']} services ` +
    '(--status new-revenue lists them).'
  )
}

/** Prints approval results as a table or JSON. */
export function renderApprovals(io: CliIo, results: ApprovalResult[], format: 'table' | 'json') {
  if (format === 'json') {
    io.stdout.write(json(results))
    return
  }
  const rows = results.map((result) => [
    result.id,
    result.outcome,
    result.before === null ? '-' : String(result.before),
    result.after === null ? '-' : String(result.after),
    result.reason ?? '',
  ])
  io.stdout.write(`${table(['ID', 'Outcome', 'Before', 'After', 'Reason'], rows)}\n`)
}

/** Registers `reconcile` and `approve`. */
export function registerReconcile(program: Command, io: CliIo): void {
  program
    .command('reconcile')
    .description('Compare vendor counts with PSA quantities for every mapped line')
    .option('--format <format>', 'table, json or csv', 'table')
    .option(
      '--status <statuses>',
      `only these statuses, comma-separated: ${ITEM_STATUSES.join(', ')}`,
    )
    .option('--service <text>', 'only services whose name contains this text')
    .option('--sort <order>', 'last-updated (newest first), impact or organization', 'last-updated')
    .option('--include-dismissed', 'also show dismissed lines')
    .action(async (flags: ReconcileFlags) => {
      const format = parseChoice(flags.format, ['table', 'json', 'csv'] as const)
      const reconciliation = await withContext(io, loadReconciliation)
      if (reconciliation.runId === null) {
        throw new AppError('not_found', 'No successful sync yet. Run: msp-recon sync')
      }
      const items = filterItems(reconciliation.items, flags)
      if (format === 'json') {
        io.stdout.write(json(items.map((item) => ({ ...item, dismissed: item.dismissed }))))
      } else if (format === 'csv') {
        io.stdout.write(
          csv(
            [...JSON_FIELDS],
            items.map((item) => JSON_FIELDS.map((field) => item[field])),
          ),
        )
      } else {
        io.stdout.write(`${renderTable(items)}\n\n${renderTotals(reconciliation.totals)}\n`)
      }
    })

  program
    .command('approve')
    .description('Write vendor counts to the PSA as line quantities')
    .argument('[ids...]', 'reconciliation item ids, e.g. 1042:workstations')
    .option('--all', 'approve every under- and over-billed line')
    .option('--dry-run', 'show what would be written, and write nothing')
    .option('--allow-zero', 'allow writing a quantity of 0')
    .option('--effective-date <date>', 'YYYY-MM-DD, for PSAs that apply changes from a date')
    .option('--format <format>', 'table or json', 'table')
    .action(
      async (
        ids: string[],
        flags: {
          all?: boolean
          dryRun?: boolean
          allowZero?: boolean
          effectiveDate?: string
          format: string
        },
      ) => {
        const format = parseChoice(flags.format, ['table', 'json'] as const)
        if (Boolean(flags.all) === ids.length > 0) {
          throw new AppError('bad_request', 'Give item ids or --all, not both and not neither.')
        }
        if (flags.effectiveDate !== undefined && !isIsoDate(flags.effectiveDate)) {
          throw new AppError(
            'bad_request',
            `Invalid --effective-date "${flags.effectiveDate}": use YYYY-MM-DD.`,
          )
        }
        const results = await withContext(io, (ctx) =>
          approve(ctx, {
            items: flags.all ? 'all' : ids,
            dryRun: flags.dryRun,
            allowZero: flags.allowZero,
            effectiveDate: flags.effectiveDate,
          }),
        )
        if (results.length === 0 && format === 'table') {
          io.stdout.write('Nothing to approve: no under- or over-billed line is waiting.\n')
          return
        }
        renderApprovals(io, results, format)
        // A refusal is safe but means the PSA was not changed, so scripts must see it.
        const failed = results.filter(
          (result) => result.outcome === 'failed' || result.outcome === 'refused',
        )
        if (failed.length > 0) {
          throw new AppError(
            'upstream_failed',
            `${failed.length} of ${results.length} approvals were refused or failed; see the reasons ` +
              'above.',
          )
        }
      },
    )
}

function isIsoDate(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
  )
}
