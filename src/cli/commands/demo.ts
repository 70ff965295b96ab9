import type { Command } from 'commander'
import type { AppContext } from '../../app/context.ts'
import { loadReconciliation } from '../../app/reconcile.ts'
import type { PsaKind } from '../../psa/types.ts'
import { money, signed, table } from '../format.ts'
import type { CliIo } from '../io.ts'
import { parseChoice, parseId } from '../runtime.ts'

const SHOWN_LINES = 15

interface DemoFlags {
  psa: string
  seed: string
  devices: string
  organizations: string
  serve?: boolean
  port: string
}

/** Registers `demo`: the whole job end to end against built-in fakes. */
export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('Run the whole job against built-in NinjaOne and PSA fakes on 127.0.0.1')
    .option('--psa <psa>', 'connectwise, autotask or halo', 'connectwise')
    .option('--seed <n>', 'seed of the generated world', '42')
    .option('--devices <n>', 'devices in the generated world', '2500')
    .option('--organizations <n>', 'organizations in the generated world', '60')
    .option('--serve', 'then serve the web app until Ctrl-C (the default on a terminal)')
    .option('--no-serve', 'exit after the run, even on a terminal')
    .option('--port <port>', 'web app port; a free one is used when it is taken', '8080')
    .action(async (flags: DemoFlags) => {
      const psa = parseChoice(
        flags.psa,
        ['connectwise', 'autotask', 'halo'] as const,
        '--psa',
      ) as PsaKind
      const say = (line: string) => io.stdout.write(`${line}\n`)
      // Loaded on use: the fakes and their world generator are not needed by other commands.
      const { approveLargestLeak, setUpDemo } = await import('../../demo/run-demo.ts')
      const demo = await setUpDemo({
        psa,
        seed: Number(flags.seed),
        devices: Number(flags.devices),
        organizations: Number(flags.organizations),
        say,
      })
      try {
        await printReconciliation(io, demo.ctx)
        const approved = await approveLargestLeak(demo.ctx)
        if (approved) {
          const { item, result, psaQuantityNow, psa: kind } = approved
          // Autotask applies unit changes from a date: by default the first of next month.
          const now =
            kind === 'autotask'
              ? `Autotask bills ${psaQuantityNow} from the first of next month`
              : `the PSA now holds ${psaQuantityNow}`
          say(
            `\nApproved ${item.id} (${item.organizationName}, ${item.service}): ` +
              `${result.outcome}, quantity ${result.before} → ${result.after}; ${now}. ` +
              `Recovered ${money(item.monthlyImpact)}/month.`,
          )
        }
        if (flags.serve ?? io.stdout.isTTY === true) await serveUntilStopped(io, demo.ctx, flags)
      } finally {
        await demo.close()
      }
    })
}

async function serveUntilStopped(io: CliIo, ctx: AppContext, flags: DemoFlags): Promise<void> {
  const say = (line: string) => io.stdout.write(`${line}\n`)
  const { ensureWebBuild, serveDemo } = await import('../../demo/serve-demo.ts')
  const { untilSignal } = await import('./serve.ts')
  const { WEB_DIST } = await import('../../paths.ts')
  await ensureWebBuild(WEB_DIST, say)
  const web = await serveDemo(ctx, WEB_DIST, parseId(flags.port, '--port'))
  say(`\nWeb app: ${web.url}`)
  say(`Sign in as ${web.email} with password ${web.password} (a demo user of this run only).`)
  say('Press Ctrl-C to stop.')
  await untilSignal()
  await web.stop()
}

async function printReconciliation(io: CliIo, ctx: Parameters<typeof loadReconciliation>[0]) {
  const { items, totals } = await loadReconciliation(ctx)
  const worst = [...items]
    .filter((item) => item.status === 'under-billed' || item.status === 'over-billed')
    .sort((a, b) => Math.abs(b.monthlyImpact) - Math.abs(a.monthlyImpact))
    .slice(0, SHOWN_LINES)
  const headers = ['ID', 'Organization', 'Service', 'Vendor', 'PSA', 'Delta', 'Impact/mo', 'Status']
  const rows = worst.map((item) => [
    item.id,
    item.organizationName,
    item.service,
    String(item.vendorCount),
    item.psaQuantity === null ? '-' : String(item.psaQuantity),
    signed(item.delta),
    money(item.monthlyImpact),
    item.status,
  ])
  io.stdout.write(
    `\nReconciliation: ${items.length} lines; the ${worst.length} largest billing errors:\n\n`,
  )
  io.stdout.write(`${table(headers, rows, [3, 4, 5, 6])}\n\n`)
  const { byStatus } = totals
  io.stdout.write(
    `Under-billed: ${money(totals.underBilled)}/month on ${byStatus['under-billed']} lines. ` +
      `Over-billed: ${money(totals.overBilled)}/month on ${byStatus['over-billed']} lines. ` +
      `${byStatus.match} lines match and ${byStatus.ambiguous} are ambiguous (two PSA lines ` +
      'bill one service).\n' +
      `Devices no PSA line bills: ${money(totals.newRevenue)}/month across ` +
      `${byStatus['new-revenue']} organization services, to review with ` +
      '`msp-recon reconcile --status new-revenue`.\n',
  )
}
