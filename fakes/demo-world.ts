/**
 * Starts the NinjaOne fake and one PSA fake over one generated world, and returns what
 * `connect` needs for each. Used by the demo, the benchmark and end-to-end tests.
 */
import type { PsaKind } from '../src/psa/types.ts'
import { startAutotaskFake } from './autotask/server.ts'
import { startConnectWiseFake } from './connectwise/server.ts'
import { FaultPlan } from './faults.ts'
import { startHaloFake } from './halo/server.ts'
import { startNinjaFake } from './ninjaone/server.ts'
import type { RunningFake } from './server.ts'
import { generateWorld } from './world/generate.ts'
import type { World } from './world/types.ts'

export interface DemoOptions {
  psa: PsaKind
  seed: number
  devices: number
  organizations: number
  /** Latency added to every NinjaOne request, for benchmarks. */
  ninjaLatencyMs?: number
}

/** PSA-neutral test hooks into a running PSA fake. */
export interface PsaFakeControl {
  /** The quantity the PSA holds for a line now; undefined when the line is absent. */
  quantityOf(agreementId: number, lineId: number): number | undefined
  /** Changes a quantity as a person editing it in the PSA would. */
  setQuantity(agreementId: number, lineId: number, quantity: number): void
  /** Quantity writes the PSA has received so far. */
  writes(): number
}

/** Connection details a user would type for one PSA fake, plus hooks for tests. */
export interface PsaFakeConnection {
  kind: PsaKind
  settings: Record<string, string>
  secrets: Record<string, string>
  fake: RunningFake & { faults: FaultPlan }
  control: PsaFakeControl
}

export interface DemoFakes {
  world: World
  ninja: Awaited<ReturnType<typeof startNinjaFake>> & { clientId: string; clientSecret: string }
  psa: PsaFakeConnection
  close(): Promise<void>
}

export const DEMO_NINJA_CLIENT_ID = 'demo-client'
export const DEMO_NINJA_SECRET = 'demo-secret-not-for-production'

/** Starts both fakes on 127.0.0.1 with free ports. */
export async function startDemoFakes(options: DemoOptions): Promise<DemoFakes> {
  const world = generateWorld(options)
  const ninjaFaults = new FaultPlan()
  ninjaFaults.latencyMs = options.ninjaLatencyMs ?? 0
  const ninja = await startNinjaFake({
    world,
    clientId: DEMO_NINJA_CLIENT_ID,
    clientSecret: DEMO_NINJA_SECRET,
    faults: ninjaFaults,
  })
  let psa: PsaFakeConnection
  try {
    psa = await startPsaFake(options.psa, world)
  } catch (error) {
    await ninja.close()
    throw error
  }
  return {
    world,
    ninja: Object.assign(ninja, {
      clientId: DEMO_NINJA_CLIENT_ID,
      clientSecret: DEMO_NINJA_SECRET,
    }),
    psa,
    async close() {
      await Promise.all([ninja.close(), psa.fake.close()])
    },
  }
}

/** Starts the fake of one PSA over `world`. */
export async function startPsaFake(kind: PsaKind, world: World): Promise<PsaFakeConnection> {
  switch (kind) {
    case 'connectwise': {
      const credentials = {
        companyId: 'demo',
        publicKey: 'demo-public',
        privateKey: 'demo-private-key',
        clientId: '00000000-0000-4000-8000-000000000000',
      }
      const fake = await startConnectWiseFake({ world, ...credentials })
      return {
        kind,
        settings: {
          apiUrl: fake.apiUrl,
          companyId: credentials.companyId,
          publicKey: credentials.publicKey,
          clientId: credentials.clientId,
        },
        secrets: { privateKey: credentials.privateKey },
        fake,
        control: {
          quantityOf: (agreementId, lineId) =>
            (fake.getAddition(agreementId, lineId) as { quantity?: number } | undefined)?.quantity,
          setQuantity: (agreementId, lineId, quantity) =>
            fake.setAdditionQuantity(agreementId, lineId, quantity),
          writes: () => fake.patchCount,
        },
      }
    }
    case 'autotask': {
      const credentials = {
        username: 'api-user@demo-msp.example',
        integrationCode: 'DEMO-INTEGRATION-CODE',
        secret: 'demo-autotask-secret',
      }
      const fake = await startAutotaskFake({ world, ...credentials })
      return {
        kind,
        settings: {
          zoneUrl: fake.zoneUrl,
          username: credentials.username,
          integrationCode: credentials.integrationCode,
        },
        secrets: { secret: credentials.secret },
        fake,
        control: {
          // Autotask bills units per contract service, so the agreement id is not needed.
          quantityOf: (_agreementId, lineId) => fake.unitsOf(lineId),
          setQuantity: (_agreementId, lineId, quantity) => fake.setUnits(lineId, quantity),
          writes: () => fake.adjustments.length,
        },
      }
    }
    case 'halo': {
      const credentials = { clientId: 'demo-halo-client', clientSecret: 'demo-halo-secret' }
      const fake = await startHaloFake({ world, ...credentials })
      return {
        kind,
        settings: { apiUrl: fake.url, clientId: credentials.clientId },
        secrets: { clientSecret: credentials.clientSecret },
        fake,
        control: {
          quantityOf: (agreementId, lineId) =>
            (fake.lineOf(agreementId, lineId) as { qty_order?: number } | undefined)?.qty_order,
          setQuantity: (agreementId, lineId, quantity) =>
            fake.setLineQuantity(agreementId, lineId, quantity),
          writes: () => fake.upserts.length,
        },
      }
    }
  }
}
