/**
 * Runs the Autotask fake on 127.0.0.1 with a generated world, e.g.
 * `node --import tsx fakes/autotask/main.ts --port 8789 --seed 42`.
 */
import { parseArgs } from 'node:util'
import { generateWorld } from '../world/generate.ts'
import { startAutotaskFake } from './server.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8789' },
    seed: { type: 'string', default: '42' },
    devices: { type: 'string', default: '5000' },
    organizations: { type: 'string', default: '120' },
    username: { type: 'string', default: 'api-user@example.com' },
    'integration-code': { type: 'string', default: 'FAKE-INTEGRATION-CODE' },
    secret: { type: 'string', default: 'fake-secret' },
  },
})

function parseCount(option: string, raw: string): number {
  const value = Number(raw)
  if (Number.isInteger(value) && value >= 0) return value
  console.error(`Invalid --${option} "${raw}": expected a whole number of 0 or more.`)
  process.exit(2)
}

const world = generateWorld({
  seed: parseCount('seed', values.seed),
  devices: parseCount('devices', values.devices),
  organizations: parseCount('organizations', values.organizations),
})
const fake = await startAutotaskFake(
  {
    world,
    username: values.username,
    integrationCode: values['integration-code'],
    secret: values.secret,
  },
  parseCount('port', values.port),
)

console.log(`Autotask fake listening at ${fake.url}; zone lookup URL ${fake.zoneUrl}`)
console.log(
  `API user ${values.username}, integration code ${values['integration-code']}, secret from ` +
    `--secret; ${world.companies.length} companies, ${world.contracts.length} contracts`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0))
  })
}
