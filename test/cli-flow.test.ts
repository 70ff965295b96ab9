import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectWiseFake } from '../fakes/connectwise/server.ts'
import { type DemoFakes, startDemoFakes } from '../fakes/demo-world.ts'
import { countServicesByOrganization } from '../fakes/world/generate.ts'
import { type CliRun, ninjaConnectArgs, PSA_CONNECT_ARGS, runCli } from './cli.ts'
import { makeDataDir } from './stores.ts'

let fakes: DemoFakes
let env: NodeJS.ProcessEnv
let dataDir: string
let cw: ConnectWiseFake

const cli = (args: string[], stdin = ''): Promise<CliRun> => runCli(args, env, stdin)
const json = <T>(run: CliRun): T => JSON.parse(run.stdout) as T

interface ReconcileRow {
  id: string
  organizationId: number
  companyId: number
  service: string
  agreementId: number | null
  additionId: number | null
  vendorCount: number
  psaQuantity: number | null
  status: string
}

async function connectBoth(): Promise<void> {
  const ninja = await cli(ninjaConnectArgs(fakes.ninja), `${fakes.ninja.clientSecret}\n`)
  expect(ninja.stderr).toBe('')
  expect(ninja.code).toBe(0)
  const s = fakes.psa.settings
  const psa = await cli(PSA_CONNECT_ARGS.connectwise(s), fakes.psa.secrets.privateKey)
  expect(psa.stderr).toBe('')
  expect(psa.code).toBe(0)
}

beforeAll(async () => {
  fakes = await startDemoFakes({ psa: 'connectwise', seed: 11, devices: 900, organizations: 24 })
  cw = fakes.psa.fake as ConnectWiseFake
  const scratch = makeDataDir()
  dataDir = scratch.dataDir
  env = {
    ...scratch.env,
    MSP_RECON_ALLOWED_HOSTS: '127.0.0.1',
    MSP_RECON_HTTP_BACKOFF_MS: '1',
    MSP_RECON_HTTP_RETRIES: '2',
  }
})

afterAll(async () => {
  await fakes?.close()
})

describe('connect errors', () => {
  it('rejects a wrong client secret', async () => {
    const run = await cli(
      [
        'connect',
        'ninjaone',
        '--api-url',
        fakes.ninja.url,
        '--client-id',
        'demo-client',
        '--client-secret-stdin',
      ],
      'wrong-secret-value\n',
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('NinjaOne rejected the client credentials')
    expect(run.stderr).not.toContain('wrong-secret-value')
    const status = json<{
      integrations: { vendor: string; hasCredentials: boolean; status: string }[]
    }>(await cli(['status', '--format', 'json']))
    const ninja = status.integrations.find((entry) => entry.vendor === 'ninjaone')
    expect(ninja?.status).toBe('disconnected')
    expect(ninja?.hasCredentials).toBe(false)
  })

  it('rejects an unknown region as bad usage', async () => {
    const run = await cli(
      ['connect', 'ninjaone', '--region', 'mars', '--client-id', 'x', '--client-secret-stdin'],
      'secret\n',
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Unknown NinjaOne region "mars"')
  })

  it('rejects an API host that is not allowed', async () => {
    const run = await cli(
      [
        'connect',
        'ninjaone',
        '--api-url',
        'https://ninja.example.invalid',
        '--client-id',
        'x',
        '--client-secret-stdin',
      ],
      'secret\n',
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ninja.example.invalid is not an allowed NinjaOne API host')
  })

  it('refuses a secret passed as an argument', async () => {
    const run = await cli([
      'connect',
      'ninjaone',
      '--region',
      'eu',
      '--client-id',
      'x',
      '--client-secret',
      'in-argv',
    ])
    expect(run.code).toBe(2)
  })
})

describe('sync, map, reconcile and approve', () => {
  let items: ReconcileRow[]

  it('syncs and counts every device', async () => {
    await connectBoth()
    const sync = await cli(['sync'])
    expect(sync.stderr).toBe('')
    expect(sync.code).toBe(0)
    expect(sync.stdout).toContain('Synced 900 devices in 24 organizations')

    const counts = json<{ organizationId: number; service: string; count: number }[]>(
      await cli(['counts', '--format', 'json']),
    )
    const truth = countServicesByOrganization(fakes.world.roles, fakes.world.devices)
    for (const row of counts) {
      expect(row.count, `${row.organizationId} ${row.service}`).toBe(
        truth.get(row.organizationId)?.[row.service as 'Total Devices'] ?? 0,
      )
    }
    expect(counts.filter((row) => row.service === 'Total Devices').length).toBe(24)
  })

  it('maps exact names and lists suggestions', async () => {
    const auto = await cli(['map', 'accounts', '--auto'])
    expect(auto.code).toBe(0)
    const list = json<
      {
        organizationId: number
        companyId: number | null
        matchedBy: string | null
        suggestions: { companyId: number; score: number }[]
      }[]
    >(await cli(['map', 'accounts', '--list', '--format', 'json']))
    expect(list).toHaveLength(24)
    const exact = list.filter((row) => row.matchedBy === 'exact')
    expect(exact.length).toBeGreaterThan(10)
    expect(auto.stdout).toContain(`Mapped ${exact.length} organizations by exact name`)
    const unmapped = list.find((row) => row.companyId === null && row.suggestions.length > 0)
    expect(unmapped).toBeDefined()
    const mapped = await cli([
      'map',
      'account',
      '--org',
      String(unmapped!.organizationId),
      '--company',
      String(unmapped!.suggestions[0]!.companyId),
    ])
    expect(mapped.stderr).toBe('')
    expect(mapped.code).toBe(0)
  })

  it('rejects mapping to a company that does not exist', async () => {
    const run = await cli([
      'map',
      'account',
      '--org',
      String(fakes.world.organizations[0]!.id),
      '--company',
      '999999',
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Unknown PSA company 999999')
  })

  it('maps services and reconciles', async () => {
    for (const product of fakes.world.products.filter((p) => p.service !== null)) {
      const run = await cli([
        'map',
        'service',
        '--service',
        product.service!,
        '--product',
        String(product.id),
      ])
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
    }
    const run = await cli(['reconcile', '--format', 'json'])
    expect(run.code).toBe(0)
    items = json<ReconcileRow[]>(run)
    expect(items.length).toBeGreaterThan(10)
    const statuses = new Set(items.map((item) => item.status))
    expect(statuses.has('under-billed') || statuses.has('over-billed')).toBe(true)
    for (const key of [
      'id',
      'organizationName',
      'companyName',
      'unitPrice',
      'monthlyImpact',
      'lessIncluded',
      'delta',
      'lastUpdated',
    ]) {
      expect(items[0]).toHaveProperty(key)
    }
    const csv = await cli(['reconcile', '--format', 'csv'])
    expect(csv.stdout.split('\n')[0]).toBe(
      'id,organizationId,organizationName,companyId,companyName,service,productId,agreementId,' +
        'additionId,vendorCount,psaQuantity,lessIncluded,delta,unitPrice,monthlyImpact,status,' +
        'lastUpdated',
    )
  })

  it('lists services and companies, and unmaps', async () => {
    const listing = json<{
      services: { service: string; products: { productId: number }[] }[]
      unmappedProducts: { id: number }[]
    }>(await cli(['map', 'services', '--format', 'json']))
    expect(listing.services).toHaveLength(8)
    const mappedId = listing.services.find((row) => row.products.length > 0)!.products[0]!.productId
    const companies = json<{ companyId: number; organizationId: number | null }[]>(
      await cli(['map', 'companies', '--format', 'json']),
    )
    expect(companies.some((company) => company.organizationId !== null)).toBe(true)

    const mapped = companies.find((company) => company.organizationId !== null)!
    const before = json<{ accountMappings: number }>(await cli(['status', '--format', 'json']))
    expect((await cli(['unmap', 'account', '--org', String(mapped.organizationId)])).code).toBe(0)
    const after = json<{ accountMappings: number }>(await cli(['status', '--format', 'json']))
    expect(after.accountMappings).toBe(before.accountMappings - 1)
    const again = await cli(['unmap', 'account', '--org', String(mapped.organizationId)])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('is not mapped')
    const remap = await cli([
      'map',
      'account',
      '--org',
      String(mapped.organizationId),
      '--company',
      String(mapped.companyId),
    ])
    expect(remap.code).toBe(0)
    expect((await cli(['unmap', 'service', '--product', '987654'])).code).toBe(1)
    expect(mappedId).toBeGreaterThan(0)
  })

  it('rejects an unknown item id', async () => {
    const run = await cli(['approve', '1:nothing'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Unknown reconciliation item 1:nothing')
  })

  it('writes once and repeats as unchanged', async () => {
    const target = items.find((item) => item.status === 'under-billed' && item.vendorCount > 0)!
    const dry = json<{ outcome: string }[]>(
      await cli(['approve', target.id, '--dry-run', '--format', 'json']),
    )
    expect(dry[0]?.outcome).toBe('skipped')
    expect(cw.patchCount).toBe(0)

    const first = json<{ id: string; outcome: string; before: number; after: number }[]>(
      await cli(['approve', target.id, '--format', 'json']),
    )
    expect(first).toEqual([
      expect.objectContaining({
        id: target.id,
        outcome: 'written',
        before: target.psaQuantity,
        after: target.vendorCount,
      }),
    ])
    expect(cw.patchCount).toBe(1)
    const addition = cw.getAddition(target.agreementId!, target.additionId!) as { quantity: number }
    expect(addition.quantity).toBe(target.vendorCount)

    const second = json<{ outcome: string }[]>(
      await cli(['approve', target.id, '--format', 'json']),
    )
    expect(second[0]?.outcome).toBe('unchanged')
    expect(cw.patchCount).toBe(1)
  })

  it('refuses a quantity edited in the PSA after sync', async () => {
    const target =
      items.find((item) => item.status === 'over-billed' && item.vendorCount > 0) ??
      items.find((item) => item.status === 'under-billed' && item.id !== items[0]!.id)!
    const fresh = json<ReconcileRow[]>(await cli(['reconcile', '--format', 'json']))
    const current = fresh.find((item) => item.id === target.id)!
    expect(current.status).not.toBe('match')
    cw.setAdditionQuantity(current.agreementId!, current.additionId!, current.psaQuantity! + 3)
    const patches = cw.patchCount
    const run = await cli(['approve', current.id, '--format', 'json'])
    const [result] = json<{ outcome: string; reason: string }[]>(run)
    expect(result?.outcome).toBe('refused')
    expect(result?.reason).toContain('changed in ConnectWise PSA since sync')
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('1 of 1 approvals were refused or failed')
    expect(cw.patchCount).toBe(patches)
  })

  it('keeps counts and writes nothing after a failed sync', async () => {
    const before = (await cli(['counts', '--format', 'json'])).stdout
    fakes.ninja.faults.add({ path: '/v2/devices', after: 0, kind: 'status', status: 500 })
    const sync = await cli(['sync'])
    fakes.ninja.faults.clear()
    expect(sync.code).toBe(1)
    expect(sync.stderr).toContain('Sync failed')
    expect(sync.stderr).toContain('500')
    expect((await cli(['counts', '--format', 'json'])).stdout).toBe(before)

    const status = json<{ lastSync: { status: string } }>(await cli(['status', '--format', 'json']))
    expect(status.lastSync.status).toBe('failed')
    const patches = cw.patchCount
    const approve = json<{ outcome: string; reason: string }[]>(
      await cli(['approve', '--all', '--format', 'json']),
    )
    expect(approve.length).toBeGreaterThan(0)
    expect(approve.every((result) => result.outcome === 'refused')).toBe(true)
    expect(approve[0]?.reason).toContain('did not succeed')
    expect(cw.patchCount).toBe(patches)
  })

  it('fails a sync on malformed JSON', async () => {
    fakes.ninja.faults.add({ path: '/v2/organizations', kind: 'malformed-json' })
    const sync = await cli(['sync'])
    fakes.ninja.faults.clear()
    expect(sync.code).toBe(1)
    expect(sync.stderr).toContain('malformed JSON')
  })

  it('keeps mappings when disconnecting an absent PSA', async () => {
    const before = json<{ accountMappings: number }>(await cli(['status', '--format', 'json']))
    expect(before.accountMappings).toBeGreaterThan(0)
    const run = await cli(['disconnect', 'halo', '--yes'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('halo is not connected; nothing was changed')
    const after = json<{ accountMappings: number }>(await cli(['status', '--format', 'json']))
    expect(after.accountMappings).toBe(before.accountMappings)
  })

  it('names the invalid option', async () => {
    const sort = await cli(['reconcile', '--sort', 'bogus'])
    expect(sort.code).toBe(2)
    expect(sort.stderr).toContain('Invalid --sort "bogus"')
    const status = await cli(['reconcile', '--status', 'bogus'])
    expect(status.stderr).toContain('Invalid --status "bogus"')
  })

  it('disconnects and removes credentials and mappings', async () => {
    const run = await cli(['disconnect', 'ninjaone', '--yes'])
    expect(run.code).toBe(0)
    const status = json<{
      integrations: { vendor: string; hasCredentials: boolean }[]
      accountMappings: number
      serviceMappings: number
    }>(await cli(['status', '--format', 'json']))
    expect(status.integrations.find((e) => e.vendor === 'ninjaone')?.hasCredentials).toBe(false)
    expect(status.accountMappings).toBe(0)
    expect(status.serviceMappings).toBe(0)
  })

  it('never writes a secret to the log', () => {
    const log = readFileSync(join(dataDir, 'msp-recon.log'), 'utf8')
    expect(log.length).toBeGreaterThan(0)
    expect(log).not.toContain(fakes.ninja.clientSecret)
    expect(log).not.toContain(fakes.psa.secrets.privateKey)
    expect(log).not.toContain('wrong-secret-value')
  })
})
