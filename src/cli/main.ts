import { Command, CommanderError } from 'commander'
import { isAppError } from '../errors.ts'
import { registerAdmin } from './commands/admin.ts'
import { registerConnect } from './commands/connect.ts'
import { registerDemo } from './commands/demo.ts'
import { registerMap } from './commands/map.ts'
import { registerReconcile } from './commands/reconcile.ts'
import { registerServe } from './commands/serve.ts'
import { registerSync } from './commands/sync.ts'
import { type CliIo, processIo } from './io.ts'

/** Exit codes scripts can rely on. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** Builds the `msp-recon` command tree, writing through `io`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('msp-recon')
    .description('Reconcile NinjaOne device counts with PSA billing, and fix the PSA on approval')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
  registerConnect(program, io)
  registerSync(program, io)
  registerMap(program, io)
  registerReconcile(program, io)
  registerAdmin(program, io)
  registerDemo(program, io)
  registerServe(program, io)
  for (const command of program.commands) applyExitOverride(command)
  return program
}

function applyExitOverride(command: Command): void {
  command.exitOverride()
  for (const child of command.commands) applyExitOverride(child)
}

/** Runs the CLI and returns the exit code: 0 success, 1 operational failure, 2 bad usage. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  if (io === processIo) {
    // A reader that stops early (`msp-recon reconcile | head`) is not an error.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0)
      throw error
    })
  }
  const program = buildProgram(io)
  try {
    await program.parseAsync(argv)
    return EXIT_OK
  } catch (error) {
    if (error instanceof CommanderError) {
      const helpOrVersion = ['commander.helpDisplayed', 'commander.version', 'commander.help']
      return helpOrVersion.includes(error.code) ? EXIT_OK : EXIT_USAGE
    }
    if (isAppError(error)) {
      io.stderr.write(`msp-recon: ${error.message}\n`)
      const usage = error.code === 'bad_request' || error.code === 'host_not_allowed'
      return usage ? EXIT_USAGE : EXIT_FAILURE
    }
    io.stderr.write(`msp-recon: unexpected error: ${(error as Error).message ?? String(error)}\n`)
    return EXIT_FAILURE
  }
}
