import type { Command } from 'commander'
import { autoMapAccounts, listAccounts, mapAccount, mapService } from '../../app/mapping.ts'
import { AppError } from '../../errors.ts'
import { json, table } from '../format.ts'
import type { CliIo } from '../io.ts'
import { parseChoice, parseId, withContext } from '../runtime.ts'

/** Registers `map accounts`, `map account` and `map service`. */
export function registerMap(program: Command, io: CliIo): void {
  const map = program.command('map').description('Map organizations and services to the PSA')

  map
    .command('accounts')
    .description('Auto-map exact names (--auto) or list organizations with suggestions (--list)')
    .option('--auto', 'map organizations whose name equals exactly one PSA company')
    .option('--list', 'list every organization, its mapping or suggestions')
    .option('--format <format>', 'table or json (with --list)', 'table')
    .action(async (flags: { auto?: boolean; list?: boolean; format: string }) => {
      const format = parseChoice(flags.format, ['table', 'json'] as const)
      if (Boolean(flags.auto) === Boolean(flags.list)) {
        throw new AppError('bad_request', 'Give exactly one of --auto or --list.')
      }
      if (flags.auto) {
        const added = await withContext(io, autoMapAccounts)
        io.stdout.write(`Mapped ${added} organizations by exact name.\n`)
        return
      }
      const rows = await withContext(io, listAccounts)
      if (format === 'json') {
        io.stdout.write(json(rows))
        return
      }
      const cells = rows.map((row) => [
        String(row.organizationId),
        row.organizationName,
        row.companyId === null ? '-' : `${row.companyName} (${row.companyId})`,
        row.matchedBy ?? '-',
        row.suggestions
          .map((s) => `${s.companyName} (${s.companyId}, ${s.score.toFixed(2)})`)
          .join('; '),
      ])
      const headers = ['Org ID', 'Organization', 'PSA company', 'Matched', 'Suggestions']
      io.stdout.write(`${table(headers, cells, [0])}\n`)
    })

  map
    .command('account')
    .description('Map one NinjaOne organization to one PSA company')
    .requiredOption('--org <id>', 'NinjaOne organization id')
    .requiredOption('--company <id>', 'PSA company id')
    .action(async (flags: { org: string; company: string }) => {
      const orgId = parseId(flags.org, '--org')
      const companyId = parseId(flags.company, '--company')
      const mapped = await withContext(io, (ctx) => mapAccount(ctx, orgId, companyId))
      io.stdout.write(
        `Mapped ${mapped.organizationName} (${orgId}) to ${mapped.companyName} (${companyId}).\n`,
      )
    })

  map
    .command('service')
    .description('Map a NinjaOne service to a PSA catalog product')
    .requiredOption('--service <name>', 'service name, e.g. "Total Workstations"')
    .requiredOption('--product <id>', 'PSA product id')
    .action(async (flags: { service: string; product: string }) => {
      const productId = parseId(flags.product, '--product')
      const mapped = await withContext(io, (ctx) => mapService(ctx, flags.service, productId))
      io.stdout.write(`Mapped ${mapped.service} to ${mapped.productName} (${productId}).\n`)
    })
}
