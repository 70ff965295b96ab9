/**
 * Runs the ConnectWise PSA fake on 127.0.0.1 with a generated world, e.g.
 * `npm run fake:connectwise -- --port 8788 --seed 42`.
 */
import { parseRunnerArgs, stopOnSignals } from '../runner.ts'
import { startConnectWiseFake } from './server.ts'

const { flags, world, port } = parseRunnerArgs(8788, {
  'company-id': { type: 'string', default: 'demo' },
  'public-key': { type: 'string', default: 'demo-public' },
  'private-key': { type: 'string', default: 'demo-private' },
  'client-id': { type: 'string', default: '00000000-0000-4000-8000-000000000000' },
})
const fake = await startConnectWiseFake(
  {
    world,
    companyId: flags['company-id']!,
    publicKey: flags['public-key']!,
    privateKey: flags['private-key']!,
    clientId: flags['client-id']!,
  },
  port,
)

console.log(`ConnectWise PSA fake listening at ${fake.apiUrl}`)
console.log(
  `company ID ${flags['company-id']}, public key ${flags['public-key']}, ` +
    `client ID ${flags['client-id']}; ${world.companies.length} companies, ` +
    `${world.contracts.length} agreements`,
)
stopOnSignals('ConnectWise PSA', fake)
