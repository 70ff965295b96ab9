/**
 * The CLI flow — connect, sync, map, reconcile, approve — against the Autotask and HaloPSA
 * fakes. The ConnectWise PSA flow, with every fault case, is in cli-flow.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoFakes,
  type PsaFakeConnection,
  startDemoFakes,
  startPsaFake,
} from '../fakes/demo-world.ts'
import { type CliRun, ninjaConnectArgs, PSA_CONNECT_ARGS, psaSecret, runCli } from './cli.ts'
import { makeDataDir } from './stores.ts'

describe.each(['autotask', 'halo'] as const)('CLI flow on %s', (kind) => {
  let fakes: DemoFakes
  let env: NodeJS.ProcessEnv
  const cli = (args: string[], stdin = ''): Promise<CliRun> => runCli(args, env, stdin)

  beforeAll(async () => {
    fakes = await startDemoFakes({ psa: kind, seed: 23, devices: 700, organizations: 20 })
    env = {
      ...makeDataDir().env,
      MSP_RECON_ALLOWED_HOSTS: '127.0.0.1',
      MSP_RECON_HTTP_BACKOFF_MS: '1',
    }
  })

  afterAll(async () => {
    await fakes?.close()
  })

  it('connects, syncs, maps, reconciles and approves', { timeout: 120_000 }, async () => {
    const ninja = await cli(ninjaConnectArgs(fakes.ninja), fakes.ninja.clientSecret)
    expect(ninja.code).toBe(0)
    const secret = psaSecret(fakes.psa)
    const psa = await cli(PSA_CONNECT_ARGS[kind](fakes.psa.settings), `${secret}\n`)
    expect(psa.stderr).toBe('')
    expect(psa.code).toBe(0)

    const sync = await cli(['sync'])
    expect(sync.stderr).toBe('')
    expect(sync.stdout).toContain('Synced 700 devices in 20 organizations')
    expect((await cli(['map', 'accounts', '--auto'])).code).toBe(0)
    for (const product of fakes.world.products.filter((p) => p.service !== null)) {
      const mapped = await cli([
        'map',
        'service',
        '--service',
        product.service!,
        '--product',
        String(product.id),
      ])
      expect(mapped.stderr).toBe('')
    }

    const items = JSON.parse((await cli(['reconcile', '--format', 'json'])).stdout) as {
      id: string
      status: string
      vendorCount: number
      psaQuantity: number
      agreementId: number
      additionId: number
    }[]
    const target = items.find((item) => item.status === 'under-billed' && item.vendorCount > 0)
    expect(target).toBeDefined()
    const today = new Date().toISOString().slice(0, 10)
    const approve = await cli([
      'approve',
      target!.id,
      '--effective-date',
      today,
      '--format',
      'json',
    ])
    expect(approve.stderr).toBe('')
    expect(JSON.parse(approve.stdout)).toEqual([
      expect.objectContaining({
        id: target!.id,
        outcome: 'written',
        before: target!.psaQuantity,
        after: target!.vendorCount,
      }),
    ])
    const { control } = fakes.psa
    expect(control.quantityOf(target!.agreementId, target!.additionId)).toBe(target!.vendorCount)
    const writes = control.writes()

    const again = await cli(['approve', target!.id, '--format', 'json'])
    expect(JSON.parse(again.stdout)[0].outcome).toBe('unchanged')
    expect(control.writes()).toBe(writes)
  })
})

describe('switching PSA', () => {
  let fakes: DemoFakes
  let halo: PsaFakeConnection
  let env: NodeJS.ProcessEnv
  const cli = (args: string[], stdin = ''): Promise<CliRun> => runCli(args, env, stdin)

  beforeAll(async () => {
    fakes = await startDemoFakes({ psa: 'connectwise', seed: 31, devices: 300, organizations: 12 })
    halo = await startPsaFake('halo', fakes.world)
    env = {
      ...makeDataDir().env,
      MSP_RECON_ALLOWED_HOSTS: '127.0.0.1',
      MSP_RECON_HTTP_BACKOFF_MS: '1',
    }
  })

  afterAll(async () => {
    await fakes?.close()
    await halo?.fake.close()
  })

  it('needs --replace and clears every mapping', { timeout: 120_000 }, async () => {
    const s = fakes.psa.settings
    await cli(ninjaConnectArgs(fakes.ninja), fakes.ninja.clientSecret)
    const cw = await cli(PSA_CONNECT_ARGS.connectwise(s), fakes.psa.secrets.privateKey)
    expect(cw.code).toBe(0)
    expect((await cli(['sync'])).code).toBe(0)
    expect((await cli(['map', 'accounts', '--auto'])).code).toBe(0)

    const haloArgs = PSA_CONNECT_ARGS.halo(halo.settings)
    const refused = await cli(haloArgs, halo.secrets.clientSecret)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('ConnectWise PSA is already connected')
    expect(refused.stderr).toContain('--replace')

    const replaced = await cli([...haloArgs, '--replace'], halo.secrets.clientSecret)
    expect(replaced.stderr).toBe('')
    expect(replaced.code).toBe(0)
    const status = JSON.parse((await cli(['status', '--format', 'json'])).stdout) as {
      integrations: { vendor: string; hasCredentials: boolean }[]
      accountMappings: number
    }
    const credentials = (vendor: string) =>
      status.integrations.find((entry) => entry.vendor === vendor)?.hasCredentials
    expect(credentials('halo')).toBe(true)
    expect(credentials('connectwise')).toBe(false)
    expect(status.accountMappings).toBe(0)
  })
})
