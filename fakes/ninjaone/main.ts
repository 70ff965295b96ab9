/**
 * Runs the NinjaOne fake on 127.0.0.1 with a generated world until SIGINT or SIGTERM, e.g.
 * `npm run fake:ninjaone -- --port 8787 --seed 42 --devices 5000 --organizations 120`.
 */
import { parseRunnerArgs, stopOnSignals, wholeNumber } from '../runner.ts'
import { startNinjaFake } from './server.ts'

const { flags, world, port } = parseRunnerArgs(8787, {
  'client-id': { type: 'string', default: 'demo-client' },
  'client-secret': { type: 'string', default: 'demo-secret' },
  latency: { type: 'string', default: '0' },
})
const fake = await startNinjaFake(
  { world, clientId: flags['client-id']!, clientSecret: flags['client-secret']! },
  port,
)
fake.faults.latencyMs = wholeNumber('latency', flags.latency!)

console.log(`NinjaOne fake listening at ${fake.url}`)
console.log(
  `client ID ${flags['client-id']}; ${world.devices.length} devices in ` +
    `${world.organizations.length} organizations (seed ${world.seed}); ` +
    `latency ${fake.faults.latencyMs} ms per request`,
)
stopOnSignals('NinjaOne', fake)
