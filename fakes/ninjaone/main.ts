/**
 * Runs the NinjaOne fake on 127.0.0.1 with a generated world until SIGINT or SIGTERM, e.g.
 * `npm run fake:ninjaone -- --port 8787 --seed 42 --devices 5000 --organizations 120`.
 */
import { parseArgs } from 'node:util'
import { generateWorld } from '../world/generate.ts'
import { startNinjaFake } from './server.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    seed: { type: 'string', default: '42' },
    devices: { type: 'string', default: '5000' },
    organizations: { type: 'string', default: '120' },
    'client-id': { type: 'string', default: 'demo-client' },
    'client-secret': { type: 'string', default: 'demo-secret' },
    latency: { type: 'string', default: '0' },
  },
})

function wholeNumber(name: string, raw: string): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    console.error(`Invalid --${name} "${raw}": use a whole number of 0 or more.`)
    process.exit(2)
  }
  return value
}

const world = generateWorld({
  seed: wholeNumber('seed', values.seed),
  devices: wholeNumber('devices', values.devices),
  organizations: wholeNumber('organizations', values.organizations),
})
const fake = await startNinjaFake(
  { world, clientId: values['client-id'], clientSecret: values['client-secret'] },
  wholeNumber('port', values.port),
)
fake.faults.latencyMs = wholeNumber('latency', values.latency)

console.log(`NinjaOne fake listening at ${fake.url}`)
console.log(
  `client ID ${values['client-id']}; ${world.devices.length} devices in ` +
    `${world.organizations.length} organizations (seed ${world.seed}); ` +
    `latency ${fake.faults.latencyMs} ms per request`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`Received ${signal}, stopping the NinjaOne fake.`)
    void fake.close().then(() => process.exit(0))
  })
}
