/** Shared command-line handling of the standalone fake runners (`fakes/<vendor>/main.ts`). */
import { parseArgs } from 'node:util'
import type { RunningFake } from './server.ts'
import { generateWorld } from './world/generate.ts'
import type { World } from './world/types.ts'

type StringOptions = Record<string, { type: 'string'; default: string }>

/**
 * Parses `--port --seed --devices --organizations` plus a fake's own string options, and
 * generates the world. An invalid number prints the reason and exits with code 2.
 */
export function parseRunnerArgs<T extends StringOptions>(defaultPort: number, own: T) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(defaultPort) },
      seed: { type: 'string', default: '42' },
      devices: { type: 'string', default: '5000' },
      organizations: { type: 'string', default: '120' },
      ...own,
    },
  })
  const flags = values as Record<string, string>
  const world: World = generateWorld({
    seed: wholeNumber('seed', flags.seed!),
    devices: wholeNumber('devices', flags.devices!),
    organizations: wholeNumber('organizations', flags.organizations!),
  })
  return { flags, world, port: wholeNumber('port', flags.port!) }
}

/** Parses a whole number of 0 or more, or prints the reason and exits with code 2. */
export function wholeNumber(name: string, raw: string): number {
  const value = Number(raw)
  if (Number.isInteger(value) && value >= 0) return value
  console.error(`Invalid --${name} "${raw}": use a whole number of 0 or more.`)
  process.exit(2)
}

/** Closes the fake and exits on the first SIGINT or SIGTERM. */
export function stopOnSignals(name: string, fake: RunningFake): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`Received ${signal}, stopping the ${name} fake.`)
      fake.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
  }
}
