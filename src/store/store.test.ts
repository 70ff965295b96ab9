import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeDataDir, storeFactories, type TestStore } from '../../test/stores.ts'
import { loadEncryptionKey, seal, unseal } from './secrets.ts'

const factories = await storeFactories()

describe.each(factories)('store on %s', (_name, open) => {
  let handle: TestStore | undefined

  afterEach(async () => {
    await handle?.cleanup()
    handle = undefined
  })

  it('stores secrets encrypted and returns them decrypted', async () => {
    handle = await open()
    const { store } = handle
    await store.integrations.save({
      kind: 'ninjaone',
      role: 'vendor',
      status: 'pending',
      settings: { region: 'eu', clientId: 'abc' },
      secrets: { clientSecret: 'top-secret-value' },
    })
    const raw = await store.db.selectFrom('credentials').selectAll().executeTakeFirstOrThrow()
    expect(raw.ciphertext).not.toContain('top-secret')
    expect(await store.integrations.secrets('ninjaone')).toEqual({
      clientSecret: 'top-secret-value',
    })
    const listed = await store.integrations.get('ninjaone')
    expect(listed?.hasCredentials).toBe(true)
    expect(JSON.stringify(listed)).not.toContain('top-secret')
  })

  it('keeps the last good snapshot when a run fails', async () => {
    handle = await open()
    const { snapshots } = handle.store
    const good = await snapshots.startRun()
    await snapshots.addOrganizations(good.id, [{ id: 1, name: 'Contoso' }])
    await snapshots.addCounts(
      good.id,
      [{ organizationId: 1, service: 'Total Devices', count: 7 }],
      [],
    )
    await snapshots.succeedRun(good.id, { deviceCount: 7 })

    const bad = await snapshots.startRun()
    await snapshots.addOrganizations(bad.id, [{ id: 1, name: 'Contoso' }])
    await snapshots.addCounts(
      bad.id,
      [{ organizationId: 1, service: 'Total Devices', count: 2 }],
      [],
    )
    await snapshots.failRun(bad.id, 'HTTP 500 on page 3')

    const current = await snapshots.current()
    expect(current?.run.id).toBe(good.id)
    expect(current?.counts).toEqual([{ organizationId: 1, service: 'Total Devices', count: 7 }])
    expect((await snapshots.latestRun())?.status).toBe('failed')
    expect((await snapshots.latestRun())?.error).toBe('HTTP 500 on page 3')
  })

  it('allows one running sync at a time', async () => {
    handle = await open()
    const { snapshots } = handle.store
    const first = await snapshots.startRun()
    await expect(snapshots.startRun()).rejects.toThrow(`Another sync is running (run ${first.id}`)
    await snapshots.succeedRun(first.id, {})
    const second = await snapshots.startRun()
    expect(second.id).toBeGreaterThan(first.id)
  })

  it('fails a run whose heartbeat stopped', async () => {
    handle = await open()
    const { snapshots, db } = handle.store
    const stale = await snapshots.startRun()
    const longAgo = new Date(Date.now() - 10 * 60_000).toISOString()
    await db.updateTable('sync_runs').set({ heartbeat_at: longAgo }).execute()

    const next = await snapshots.startRun()
    expect((await snapshots.getRun(stale.id))?.status).toBe('failed')
    expect((await snapshots.getRun(next.id))?.status).toBe('running')
  })

  it('inserts devices in batches larger than one statement', async () => {
    handle = await open()
    const { snapshots, db } = handle.store
    const run = await snapshots.startRun()
    const devices = Array.from({ length: 2_345 }, (_, index) => ({
      id: index + 1,
      organizationId: 1,
      nodeClass: 'MAC',
      nodeRoleId: null,
      displayName: `mac-${index}`,
      approvalStatus: 'APPROVED',
      offline: false,
      lastContact: 1_700_000_000.5,
    }))
    await snapshots.addDevices(run.id, devices, (device) => device.nodeClass ?? 'UNKNOWN')
    const row = await db
      .selectFrom('vendor_devices')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow()
    expect(Number(row.total)).toBe(2_345)
  })

  it('rejects a second organization on one company', async () => {
    handle = await open()
    const { mappings } = handle.store
    await mappings.setAccountMapping(1, 500, 'manual')
    await expect(mappings.setAccountMapping(2, 500, 'manual')).rejects.toThrow()
    expect(await mappings.accountMappings()).toEqual([
      { organizationId: 1, companyId: 500, matchedBy: 'manual' },
    ])
  })
})

describe('credential encryption', () => {
  it('creates a 0600 key file when no key is configured', () => {
    const { dataDir } = makeDataDir()
    const key = loadEncryptionKey(dataDir, {})
    expect(key).toHaveLength(32)
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600)
    expect(loadEncryptionKey(dataDir, {}).equals(key)).toBe(true)
  })

  it('rejects a key of the wrong length', () => {
    const { dataDir } = makeDataDir()
    expect(() => loadEncryptionKey(dataDir, { MSP_RECON_KEY: 'c2hvcnQ=' })).toThrow(
      /expected base64 of 32 bytes, got 5 bytes/,
    )
  })

  it('fails to open a secret sealed for another integration', () => {
    const { dataDir } = makeDataDir()
    const key = loadEncryptionKey(dataDir, {})
    const sealed = seal(key, 'value', 'ninjaone')
    expect(unseal(key, sealed, 'ninjaone')).toBe('value')
    expect(() => unseal(key, sealed, 'connectwise')).toThrow(/cannot be decrypted/)
  })
})
