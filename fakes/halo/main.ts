/**
 * Runs the fake HaloPSA tenant on 127.0.0.1 over a generated world.
 *
 * @example
 * node --import tsx fakes/halo/main.ts --port 8790 --seed 42 --devices 5000 --organizations 120
 */
import { parseArgs } from 'node:util'
import { generateWorld } from '../world/generate.ts'
import { startHaloFake } from './server.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8790' },
    seed: { type: 'string', default: '42' },
    devices: { type: 'string', default: '5000' },
    organizations: { type: 'string', default: '120' },
    'client-id': { type: 'string', default: 'halo-fake-client' },
    'client-secret': { type: 'string', default: 'halo-fake-secret' },
  },
})

function integerOption(name: string, value: string, min: number): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < min) {
    console.error(`Invalid --${name} "${value}": use an integer of ${min} or more.`)
    process.exit(2)
  }
  return number
}

const port = integerOption('port', values.port, 0)
const seed = integerOption('seed', values.seed, 0)
const devices = integerOption('devices', values.devices, 0)
const organizations = integerOption('organizations', values.organizations, 1)

const world = generateWorld({ seed, devices, organizations })
const fake = await startHaloFake(
  { world, clientId: values['client-id'], clientSecret: values['client-secret'] },
  port,
)
console.log(
  `HaloPSA fake listening on ${fake.url} (seed ${seed}, ${organizations} organizations, ` +
    `${world.contracts.length} contracts); client ID ${values['client-id']}.`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
