import type { Command } from 'commander'
import {
  autoMapAccounts,
  listAccounts,
  listCompanies,
  listServices,
  mapAccount,
  mapService,
  unmapAccount,
  unmapService,
} from '../../app/mapping.ts'
import { AppError } from '../../errors.ts'
import { json, money, table } from '../format.ts'
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
    .command('services')
    .description('List the 8 services with their PSA products, and the unmapped products')
    .option('--list', 'list (the default)')
    .option('--format <format>', 'table or json', 'table')
    .action(async (flags: { format: string }) => {
      const format = parseChoice(flags.format, ['table', 'json'] as const)
      const listing = await withContext(io, listServices)
      if (format === 'json') {
        io.stdout.write(json(listing))
        return
      }
      const rows = listing.services.map((row) => [
        row.service,
        row.products.map((product) => `${product.productName} (${product.productId})`).join('; ') ||
          '-',
      ])
      io.stdout.write(`${table(['Service', 'PSA products'], rows)}\n\n`)
      const products = listing.unmappedProducts.map((product) => [
        String(product.id),
        product.name,
        product.identifier ?? '',
        product.unitPrice === null ? '' : money(product.unitPrice),
      ])
      io.stdout.write('Products mapped to no service:\n')
      io.stdout.write(`${table(['Product ID', 'Name', 'Identifier', 'Price'], products, [0, 3])}\n`)
    })

  map
    .command('companies')
    .description('List PSA companies with their ids and the organization each is mapped to')
    .option('--list', 'list (the default)')
    .option('--format <format>', 'table or json', 'table')
    .action(async (flags: { format: string }) => {
      const format = parseChoice(flags.format, ['table', 'json'] as const)
      const companies = await withContext(io, listCompanies)
      if (format === 'json') {
        io.stdout.write(json(companies))
        return
      }
      const rows = companies.map((company) => [
        String(company.companyId),
        company.companyName,
        company.organizationName === null
          ? '-'
          : `${company.organizationName} (${company.organizationId})`,
      ])
      io.stdout.write(`${table(['Company ID', 'PSA company', 'Mapped organization'], rows, [0])}\n`)
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

  const unmap = program.command('unmap').description('Remove an account or service mapping')
  unmap
    .command('account')
    .description('Unmap a NinjaOne organization from its PSA company')
    .requiredOption('--org <id>', 'NinjaOne organization id')
    .action(async (flags: { org: string }) => {
      const orgId = parseId(flags.org, '--org')
      await withContext(io, (ctx) => unmapAccount(ctx, orgId))
      io.stdout.write(`Unmapped organization ${orgId}.\n`)
    })
  unmap
    .command('service')
    .description('Unmap a PSA product from its service')
    .requiredOption('--product <id>', 'PSA product id')
    .action(async (flags: { product: string }) => {
      const productId = parseId(flags.product, '--product')
      await withContext(io, (ctx) => unmapService(ctx, productId))
      io.stdout.write(`Unmapped product ${productId}.\n`)
    })
}
