import type { AppContext } from '../app/context.ts'
import { autoMapAccounts } from '../app/mapping.ts'
import { runSync, type SyncOutcome, type SyncPhase } from '../app/sync.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../log.ts'

/** Progress of the running sync, or of the last one when none runs. */
export interface SyncState {
  running: boolean
  runId: number | null
  phase: SyncPhase | null
  done: number
}

/**
 * Runs syncs in the background, one at a time per process, and keeps the latest progress.
 * After a successful sync that finds no account mapping yet (the first one, or the first
 * after a PSA change), organizations and companies with exactly equal names are mapped.
 * Across processes (a CLI `sync` at the same time), the store allows one running run.
 */
export class SyncRunner {
  #logger: Logger
  #state: SyncState = { running: false, runId: null, phase: null, done: 0 }
  #queued: AppContext | undefined
  #idleWaiters: (() => void)[] = []

  constructor(logger: Logger) {
    this.#logger = logger
  }

  /** Returns the progress of the running sync, or the last progress of the previous one. */
  current(): SyncState {
    return { ...this.#state }
  }

  /** Starts a sync and returns its run id, or throws `conflict` while another one runs. */
  async start(ctx: AppContext): Promise<{ runId: number }> {
    if (this.#state.running) {
      const run = this.#state.runId === null ? '' : ` (run ${this.#state.runId})`
      throw new AppError(
        'conflict',
        `A sync is already running${run}. Wait for it to finish; GET /api/sync/current shows ` +
          'its progress.',
      )
    }
    return this.#launch(ctx)
  }

  /** Starts a sync now, or right after the running one so that it reads the latest changes. */
  request(ctx: AppContext): void {
    if (this.#state.running) {
      this.#queued = ctx
      return
    }
    this.#launch(ctx).catch((error: unknown) => this.#logFailure(error))
  }

  /** Resolves once no sync runs and none is queued. */
  idle(): Promise<void> {
    if (!this.#state.running) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  async #launch(ctx: AppContext): Promise<{ runId: number }> {
    // Each launch gets its own state object, so a late callback never updates a newer run.
    const state: SyncState = { running: true, runId: null, phase: null, done: 0 }
    this.#state = state
    let started: (runId: number) => void = () => {}
    const runIdReady = new Promise<number>((resolve) => {
      started = resolve
    })
    const sync = runSync(ctx, (progress) => {
      state.runId = progress.runId
      state.phase = progress.phase
      state.done = progress.done
      started(progress.runId)
    })
    void this.#complete(ctx, sync, state)
    // A sync that fails before it creates a run (not connected, another sync running)
    // rejects here with its error.
    const runId = await Promise.race([runIdReady, sync.then((outcome) => outcome.run.id)])
    return { runId }
  }

  async #complete(ctx: AppContext, sync: Promise<SyncOutcome>, state: SyncState) {
    try {
      const outcome = await sync
      state.runId = outcome.run.id
      if (outcome.ok) await this.#mapExactNamesOnce(ctx, outcome.run.id)
      else this.#logger.warn({ runId: outcome.run.id, error: outcome.error }, 'sync failed')
    } catch (error) {
      this.#logFailure(error)
    } finally {
      this.#finish()
    }
  }

  async #mapExactNamesOnce(ctx: AppContext, runId: number): Promise<void> {
    try {
      const integrations = await ctx.store.integrations.list()
      if (!integrations.some((integration) => integration.role === 'psa')) return
      if ((await ctx.store.mappings.accountMappings()).length > 0) return
      const added = await autoMapAccounts(ctx)
      this.#logger.info({ runId, added }, 'mapped accounts with exactly equal names')
    } catch (error) {
      this.#logger.error({ runId, err: error }, 'mapping accounts with equal names failed')
    }
  }

  #logFailure(error: unknown): void {
    if (error instanceof AppError) {
      this.#logger.warn({ code: error.code, message: error.message }, 'sync did not run')
      return
    }
    this.#logger.error({ err: error }, 'sync failed with an unexpected error')
  }

  #finish(): void {
    const next = this.#queued
    this.#queued = undefined
    if (next) {
      this.#launch(next).catch((error: unknown) => this.#logFailure(error))
      return
    }
    this.#state.running = false
    for (const resolve of this.#idleWaiters.splice(0)) resolve()
  }
}
