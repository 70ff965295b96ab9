/**
 * Runs the fake HaloPSA tenant on 127.0.0.1 over a generated world, e.g.
 * `npm run fake:halo -- --port 8790 --seed 42 --devices 5000 --organizations 120`.
 */
import { parseRunnerArgs, stopOnSignals } from '../runner.ts'
import { startHaloFake } from './server.ts'

const { flags, world, port } = parseRunnerArgs(8790, {
  'client-id': { type: 'string', default: 'halo-fake-client' },
  'client-secret': { type: 'string', default: 'halo-fake-secret' },
})
const fake = await startHaloFake(
  { world, clientId: flags['client-id']!, clientSecret: flags['client-secret']! },
  port,
)
console.log(
  `HaloPSA fake listening on ${fake.url} (seed ${world.seed}, ` +
    `${world.organizations.length} organizations, ${world.contracts.length} contracts); ` +
    `client ID ${flags['client-id']}.`,
)
stopOnSignals('HaloPSA', fake)
