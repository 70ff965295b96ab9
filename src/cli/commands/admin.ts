import type { Command } from 'commander'
import { disconnect } from '../../app/integrations.ts'
import { getStatus } from '../../app/status.ts'
import { AppError } from '../../errors.ts'
import type { IntegrationKind } from '../../store/integrations.ts'
import { json, table } from '../format.ts'
import type { CliIo } from '../io.ts'
import { parseChoice, withContext } from '../runtime.ts'

const KINDS: IntegrationKind[] = ['ninjaone', 'connectwise', 'autotask', 'halo']

/** Registers `status` and `disconnect`. */
export function registerAdmin(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('Show integrations, mapping counts and the last sync')
    .option('--format <format>', 'table or json', 'table')
    .action(async (flags: { format: string }) => {
      const format = parseChoice(flags.format, ['table', 'json'] as const)
      const status = await withContext(io, getStatus)
      if (format === 'json') {
        io.stdout.write(json(status))
        return
      }
      const rows = status.integrations.map((entry) => [
        entry.vendor,
        entry.status,
        entry.hasCredentials ? 'yes' : 'no',
        entry.statusReason ?? '',
      ])
      io.stdout.write(`${table(['Integration', 'Status', 'Credentials', 'Reason'], rows)}\n\n`)
      io.stdout.write(
        `Account mappings: ${status.accountMappings}. Service mappings: ${status.serviceMappings}.\n`,
      )
      const last = status.lastSync
      io.stdout.write(
        last
          ? `Last sync: ${last.status}, started ${last.startedAt}` +
              `${last.error ? ` (${last.error})` : ''}.\n`
          : 'No sync yet.\n',
      )
    })

  program
    .command('disconnect')
    .description('Delete the stored credentials and every mapping of an integration')
    .argument('<integration>', `one of: ${KINDS.join(', ')}`)
    .option('--yes', 'confirm: credentials and every mapping are deleted')
    .action(async (kind: string, flags: { yes?: boolean }) => {
      const integration = parseChoice(kind, KINDS, 'integration')
      if (!flags.yes) {
        throw new AppError(
          'bad_request',
          `Disconnecting ${integration} deletes its credentials and every mapping; confirm with --yes.`,
        )
      }
      const wasConnected = await withContext(io, (ctx) => disconnect(ctx, integration))
      io.stdout.write(
        wasConnected
          ? `Disconnected ${integration}: credentials and every mapping deleted.\n`
          : `${integration} is not connected; nothing was changed.\n`,
      )
    })
}
