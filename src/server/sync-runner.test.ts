import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { type DemoFakes, startDemoFakes } from '../../fakes/demo-world.ts'
import { openSqliteStore, type TestStore } from '../../test/stores.ts'
import { type AppContext, createContext } from '../app/context.ts'
import { connectNinjaOne } from '../app/integrations.ts'
import { isAppError } from '../errors.ts'
import { SyncRunner } from './sync-runner.ts'
import { capturingLogger, TEST_HTTP } from './testing.ts'

let fakes: DemoFakes
let handle: TestStore
let logLines: string[]
let ctx: AppContext
let runner: SyncRunner

beforeAll(async () => {
  vi.stubEnv('MSP_RECON_ALLOWED_HOSTS', '127.0.0.1')
  fakes = await startDemoFakes({ psa: 'connectwise', seed: 3, devices: 120, organizations: 5 })
})

afterAll(async () => {
  await fakes?.close()
  vi.unstubAllEnvs()
})

beforeEach(async () => {
  handle = await openSqliteStore()
  logLines = []
  const logger = capturingLogger(logLines)
  ctx = createContext(handle.store, { logger, http: TEST_HTTP, actor: 'test' })
  runner = new SyncRunner(logger)
})

afterEach(async () => {
  await runner.idle()
  fakes.ninja.faults.clear()
  fakes.ninja.faults.latencyMs = 0
  await handle.cleanup()
})

async function connectNinja(): Promise<void> {
  await connectNinjaOne(ctx, {
    apiUrl: fakes.ninja.url,
    clientId: fakes.ninja.clientId,
    clientSecret: fakes.ninja.clientSecret,
  })
}

describe('SyncRunner', () => {
  it('keeps the progress of a finished sync', async () => {
    await connectNinja()
    const { runId } = await runner.start(ctx)
    await runner.idle()
    expect(runner.current()).toEqual({ running: false, runId, phase: 'saving', done: 0 })
    const run = await handle.store.snapshots.latestRun()
    expect(run).toMatchObject({ id: runId, status: 'succeeded', deviceCount: 120 })
  })

  it('rejects a start while running', async () => {
    await connectNinja()
    fakes.ninja.faults.latencyMs = 30
    const { runId } = await runner.start(ctx)
    expect(runner.current()).toMatchObject({ running: true, runId })
    const second = await runner.start(ctx).catch((error: unknown) => error)
    expect(isAppError(second, 'conflict')).toBe(true)
    expect((second as Error).message).toContain(`A sync is already running (run ${runId})`)
  })

  it('runs a requested sync afterwards', async () => {
    await connectNinja()
    fakes.ninja.faults.latencyMs = 20
    const first = await runner.start(ctx)
    runner.request(ctx)
    await runner.idle()
    const runs = await handle.store.snapshots.listRuns()
    expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded'])
    expect(runs[1]!.id).toBe(first.runId)
    expect(runner.current().runId).toBe(runs[0]!.id)
  })

  it('records and logs a failed sync', async () => {
    await connectNinja()
    fakes.ninja.faults.add({ path: '/v2/devices', kind: 'status', status: 500 })
    const { runId } = await runner.start(ctx)
    await runner.idle()
    const run = await handle.store.snapshots.latestRun()
    expect(run).toMatchObject({ id: runId, status: 'failed' })
    expect(run!.error).toContain('500')
    expect(runner.current().running).toBe(false)
    const failure = logLines.find((line) => line.includes('"msg":"sync failed"'))
    expect(failure).toContain(`"runId":${runId}`)
  })

  it('rejects a start without NinjaOne', async () => {
    const error = await runner.start(ctx).catch((caught: unknown) => caught)
    expect(isAppError(error, 'not_connected')).toBe(true)
    expect(runner.current().running).toBe(false)
    expect(await handle.store.snapshots.latestRun()).toBeUndefined()
  })
})
