/**
 * Runs the NinjaOne and ConnectWise PSA fakes in their own process, so the benchmark's memory
 * figure covers msp-recon alone. Prints one JSON line with the connection details, then serves
 * until it is killed.
 */
import { parseArgs } from 'node:util'
import { startDemoFakes } from '../fakes/demo-world.ts'

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '100000' },
    organizations: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '2026' },
    latency: { type: 'string', default: '20' },
  },
})

const fakes = await startDemoFakes({
  psa: 'connectwise',
  seed: Number(values.seed),
  devices: Number(values.devices),
  organizations: Number(values.organizations),
  ninjaLatencyMs: Number(values.latency),
})
const products = fakes.world.products
  .filter((product) => product.service !== null)
  .map((product) => ({ id: product.id, service: product.service }))
console.log(
  JSON.stringify({
    ninja: {
      url: fakes.ninja.url,
      clientId: fakes.ninja.clientId,
      secret: fakes.ninja.clientSecret,
    },
    psa: { settings: fakes.psa.settings, secrets: fakes.psa.secrets },
    products,
  }),
)
process.on('SIGTERM', () => {
  void fakes.close().then(() => process.exit(0))
})
