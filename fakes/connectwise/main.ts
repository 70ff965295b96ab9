/**
 * Runs the ConnectWise PSA fake on 127.0.0.1 with a generated world, e.g.
 * `npm run fake:connectwise -- --port 8788 --seed 42`.
 */
import { parseArgs } from 'node:util'
import { generateWorld } from '../world/generate.ts'
import { startConnectWiseFake } from './server.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8788' },
    seed: { type: 'string', default: '42' },
    devices: { type: 'string', default: '5000' },
    organizations: { type: 'string', default: '120' },
    'company-id': { type: 'string', default: 'demo' },
    'public-key': { type: 'string', default: 'demo-public' },
    'private-key': { type: 'string', default: 'demo-private' },
    'client-id': { type: 'string', default: '00000000-0000-4000-8000-000000000000' },
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
const fake = await startConnectWiseFake(
  {
    world,
    companyId: values['company-id'],
    publicKey: values['public-key'],
    privateKey: values['private-key'],
    clientId: values['client-id'],
  },
  wholeNumber('port', values.port),
)

console.log(`ConnectWise PSA fake listening at ${fake.apiUrl}`)
console.log(
  `company ID ${values['company-id']}, public key ${values['public-key']}, ` +
    `client ID ${values['client-id']}; ${world.companies.length} companies, ` +
    `${world.contracts.length} agreements`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0))
  })
}
