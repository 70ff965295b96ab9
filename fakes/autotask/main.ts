/**
 * Runs the Autotask fake on 127.0.0.1 with a generated world, e.g.
 * `npm run fake:autotask -- --port 8789 --seed 42`.
 */
import { parseRunnerArgs, stopOnSignals } from '../runner.ts'
import { startAutotaskFake } from './server.ts'

const { flags, world, port } = parseRunnerArgs(8789, {
  username: { type: 'string', default: 'api-user@example.com' },
  'integration-code': { type: 'string', default: 'FAKE-INTEGRATION-CODE' },
  secret: { type: 'string', default: 'fake-secret' },
})
const fake = await startAutotaskFake(
  {
    world,
    username: flags.username!,
    integrationCode: flags['integration-code']!,
    secret: flags.secret!,
  },
  port,
)

console.log(`Autotask fake listening at ${fake.url}; zone lookup URL ${fake.zoneUrl}`)
console.log(
  `API user ${flags.username}, integration code ${flags['integration-code']}, secret from ` +
    `--secret; ${world.companies.length} companies, ${world.contracts.length} contracts`,
)
stopOnSignals('Autotask', fake)
