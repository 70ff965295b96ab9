import type SQLite from 'better-sqlite3'
import type { Insertable, Kysely, Selectable } from 'kysely'
import type { ServiceName } from '../core/services.ts'
import type {
  OrgServiceCount,
  PsaCompany,
  PsaLine,
  PsaProduct,
  UnclassifiedCount,
  VendorDevice,
  VendorOrganization,
} from '../core/types.ts'
import { AppError } from '../errors.ts'
import type { Database, SyncRunsTable } from './schema.ts'

/** A sync run as interfaces show it. */
export interface SyncRun {
  id: number
  status: 'running' | 'succeeded' | 'failed'
  startedAt: string
  finishedAt: string | null
  error: string | null
  vendorRequests: number
  psaRequests: number
  organizationCount: number
  deviceCount: number
  lineCount: number
}

/** Everything reconciliation reads from one successful run. */
export interface Snapshot {
  run: SyncRun
  organizations: VendorOrganization[]
  counts: OrgServiceCount[]
  unclassified: UnclassifiedCount[]
  companies: PsaCompany[]
  products: PsaProduct[]
  lines: PsaLine[]
}

/** A running sync sends a heartbeat far more often than this; silence means it died. */
export const ABANDONED_AFTER_MS = 120_000
/** Runs whose counts stay for history once newer runs succeed. */
const KEPT_COUNT_RUNS = 30
const SNAPSHOT_TABLES = [
  'vendor_organizations',
  'vendor_devices',
  'unclassified_counts',
  'psa_companies',
  'psa_products',
  'psa_lines',
] as const

/** Stores a boolean as 0 or 1, which both SQLite and PostgreSQL integer columns accept. */
function toSqlBoolean(value: boolean | null): number | null {
  if (value === null) return null
  return value ? 1 : 0
}

function toRun(row: Selectable<SyncRunsTable>): SyncRun {
  return {
    id: row.id,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    vendorRequests: row.vendor_requests,
    psaRequests: row.psa_requests,
    organizationCount: row.organization_count,
    deviceCount: row.device_count,
    lineCount: row.line_count,
  }
}

/**
 * Sync runs and the data they stage. A run's rows become the current snapshot only when the
 * run succeeds; a failed run's rows are deleted and the previous snapshot stays current.
 */
export class SnapshotRepository {
  #db: Kysely<Database>
  #batchSize: number

  #insertDevice: SQLite.Statement | undefined

  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', sqlite?: SQLite.Database) {
    this.#db = db
    // One prepared statement reused for every device keeps a 100k-device sync from compiling
    // hundreds of large multi-row statements whose native memory the GC frees late.
    this.#insertDevice = sqlite?.prepare(
      `INSERT INTO vendor_devices (run_id, id, organization_id, node_class, billing_class,
        node_role_id, display_name, approval_status, offline, last_contact)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    // Keeps each INSERT under SQLite's and PostgreSQL's bound-parameter limits.
    this.#batchSize = dialect === 'sqlite' ? 400 : 1000
  }

  /**
   * Starts a run. Fails runs whose heartbeat stopped (a crashed process), then throws
   * `conflict` while another live run exists: a unique index allows one `running` row.
   */
  async startRun(): Promise<SyncRun> {
    await this.failAbandonedRuns()
    const now = new Date().toISOString()
    try {
      const row = await this.#db
        .insertInto('sync_runs')
        .values({ status: 'running', started_at: now, heartbeat_at: now })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toRun(row)
    } catch (error) {
      const running = await this.#db
        .selectFrom('sync_runs')
        .select(['id', 'started_at'])
        .where('status', '=', 'running')
        .executeTakeFirst()
      if (!running) throw error
      throw new AppError(
        'conflict',
        `Another sync is running (run ${running.id}, started ${running.started_at}). Wait for ` +
          'it to finish, then sync again.',
        { runId: running.id },
        { cause: error },
      )
    }
  }

  /** Records that a running sync is alive. */
  async heartbeat(runId: number): Promise<void> {
    await this.#db
      .updateTable('sync_runs')
      .set({ heartbeat_at: new Date().toISOString() })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute()
  }

  /** Marks a run succeeded and drops older snapshots, in one transaction. */
  async succeedRun(runId: number, stats: Partial<Omit<SyncRun, 'id' | 'status'>>): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('sync_runs')
        .set({
          status: 'succeeded',
          finished_at: new Date().toISOString(),
          vendor_requests: stats.vendorRequests ?? 0,
          psa_requests: stats.psaRequests ?? 0,
          organization_count: stats.organizationCount ?? 0,
          device_count: stats.deviceCount ?? 0,
          line_count: stats.lineCount ?? 0,
        })
        .where('id', '=', runId)
        .execute()
      for (const table of SNAPSHOT_TABLES) {
        await trx.deleteFrom(table).where('run_id', '<>', runId).execute()
      }
      const recentRuns = trx
        .selectFrom('sync_runs')
        .select('id')
        .where('status', '=', 'succeeded')
        .orderBy('id', 'desc')
        .limit(KEPT_COUNT_RUNS)
      await trx.deleteFrom('vendor_counts').where('run_id', 'not in', recentRuns).execute()
    })
  }

  /** Marks a run failed and deletes what it staged; the previous snapshot stays current. */
  async failRun(runId: number, error: string, stats: Partial<SyncRun> = {}): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      for (const table of [...SNAPSHOT_TABLES, 'vendor_counts'] as const) {
        await trx.deleteFrom(table).where('run_id', '=', runId).execute()
      }
      await trx
        .updateTable('sync_runs')
        .set({
          status: 'failed',
          finished_at: new Date().toISOString(),
          error,
          vendor_requests: stats.vendorRequests ?? 0,
          psa_requests: stats.psaRequests ?? 0,
        })
        .where('id', '=', runId)
        .execute()
    })
  }

  /** Marks runs left `running` by a crashed process (no heartbeat for a while) as failed. */
  async failAbandonedRuns(): Promise<void> {
    const silentSince = new Date(Date.now() - ABANDONED_AFTER_MS).toISOString()
    const abandoned = await this.#db
      .selectFrom('sync_runs')
      .select('id')
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', silentSince)]))
      .execute()
    for (const { id } of abandoned) {
      await this.failRun(id, 'The sync was interrupted before it finished.')
    }
  }

  async getRun(id: number): Promise<SyncRun | undefined> {
    const row = await this.#db
      .selectFrom('sync_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toRun(row) : undefined
  }

  async latestRun(): Promise<SyncRun | undefined> {
    const row = await this.#db
      .selectFrom('sync_runs')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row ? toRun(row) : undefined
  }

  async latestSucceededRun(): Promise<SyncRun | undefined> {
    const row = await this.#db
      .selectFrom('sync_runs')
      .selectAll()
      .where('status', '=', 'succeeded')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row ? toRun(row) : undefined
  }

  async listRuns(limit = 20): Promise<SyncRun[]> {
    const rows = await this.#db
      .selectFrom('sync_runs')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map(toRun)
  }

  async #insertBatches<T extends keyof Database & string>(
    table: T,
    rows: Insertable<Database[T]>[],
  ): Promise<void> {
    for (let start = 0; start < rows.length; start += this.#batchSize) {
      const batch = rows.slice(start, start + this.#batchSize)
      // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot type a table chosen at run time.
      const values = batch as any
      await this.#db.insertInto(table).values(values).execute()
    }
  }

  async addOrganizations(runId: number, organizations: VendorOrganization[]): Promise<void> {
    await this.#insertBatches(
      'vendor_organizations',
      organizations.map((org) => ({ run_id: runId, id: org.id, name: org.name })),
    )
  }

  /** Stages one page of devices with the class each bills as, in one transaction. */
  async addDevices(
    runId: number,
    devices: readonly VendorDevice[],
    billingClass: (device: VendorDevice) => string,
  ): Promise<void> {
    const rows = devices.map((device) => ({
      run_id: runId,
      id: device.id,
      organization_id: device.organizationId,
      node_class: device.nodeClass,
      billing_class: billingClass(device),
      node_role_id: device.nodeRoleId,
      display_name: device.displayName,
      approval_status: device.approvalStatus,
      offline: toSqlBoolean(device.offline),
      last_contact: device.lastContact,
    }))
    const insert = this.#insertDevice
    if (!insert) {
      await this.#insertBatches('vendor_devices', rows)
      return
    }
    insert.database.transaction(() => {
      for (const row of rows) {
        insert.run(
          row.run_id,
          row.id,
          row.organization_id,
          row.node_class,
          row.billing_class,
          row.node_role_id,
          row.display_name,
          row.approval_status,
          row.offline,
          row.last_contact,
        )
      }
    })()
  }

  async addCounts(
    runId: number,
    counts: OrgServiceCount[],
    unclassified: UnclassifiedCount[],
  ): Promise<void> {
    await this.#insertBatches(
      'vendor_counts',
      counts.map((count) => ({
        run_id: runId,
        organization_id: count.organizationId,
        service: count.service,
        count: count.count,
      })),
    )
    await this.#insertBatches(
      'unclassified_counts',
      unclassified.map((entry) => ({
        run_id: runId,
        organization_id: entry.organizationId,
        node_class: entry.nodeClass,
        count: entry.count,
      })),
    )
  }

  async addPsaData(
    runId: number,
    data: { companies: PsaCompany[]; products: PsaProduct[]; lines: PsaLine[] },
  ): Promise<void> {
    await this.#insertBatches(
      'psa_companies',
      data.companies.map((company) => ({ run_id: runId, id: company.id, name: company.name })),
    )
    await this.#insertBatches(
      'psa_products',
      data.products.map((product) => ({
        run_id: runId,
        id: product.id,
        name: product.name,
        identifier: product.identifier,
        unit_price: product.unitPrice,
      })),
    )
    await this.#insertBatches(
      'psa_lines',
      data.lines.map((line) => ({
        run_id: runId,
        id: line.id,
        agreement_id: line.agreementId,
        agreement_name: line.agreementName,
        company_id: line.companyId,
        product_id: line.productId,
        quantity: line.quantity,
        less_included: line.lessIncluded,
        unit_price: line.unitPrice,
        updated_at: line.updatedAt,
      })),
    )
  }

  /** Reads the snapshot of the latest successful run; undefined before the first success. */
  async current(): Promise<Snapshot | undefined> {
    const run = await this.latestSucceededRun()
    if (!run) return undefined
    const [organizations, counts, unclassified, companies, products, lines] = await Promise.all([
      this.#db
        .selectFrom('vendor_organizations')
        .select(['id', 'name'])
        .where('run_id', '=', run.id)
        .orderBy('name')
        .execute(),
      this.#db
        .selectFrom('vendor_counts')
        .select(['organization_id', 'service', 'count'])
        .where('run_id', '=', run.id)
        .execute(),
      this.#db
        .selectFrom('unclassified_counts')
        .select(['organization_id', 'node_class', 'count'])
        .where('run_id', '=', run.id)
        .execute(),
      this.#db
        .selectFrom('psa_companies')
        .select(['id', 'name'])
        .where('run_id', '=', run.id)
        .orderBy('name')
        .execute(),
      this.#db
        .selectFrom('psa_products')
        .selectAll()
        .where('run_id', '=', run.id)
        .orderBy('name')
        .execute(),
      this.#db.selectFrom('psa_lines').selectAll().where('run_id', '=', run.id).execute(),
    ])
    return {
      run,
      organizations,
      counts: counts.map((row) => ({
        organizationId: row.organization_id,
        service: row.service as ServiceName,
        count: row.count,
      })),
      unclassified: unclassified.map((row) => ({
        organizationId: row.organization_id,
        nodeClass: row.node_class,
        count: row.count,
      })),
      companies,
      products: products.map((row) => ({
        id: row.id,
        name: row.name,
        identifier: row.identifier,
        unitPrice: row.unit_price,
      })),
      lines: lines.map((row) => ({
        id: row.id,
        agreementId: row.agreement_id,
        agreementName: row.agreement_name,
        companyId: row.company_id,
        productId: row.product_id,
        quantity: row.quantity,
        lessIncluded: row.less_included,
        unitPrice: row.unit_price,
        updatedAt: row.updated_at,
      })),
    }
  }

  /** Finds one organization, company or product of the current snapshot by id. */
  async findInCurrent(
    table: 'vendor_organizations' | 'psa_companies' | 'psa_products',
    id: number,
  ): Promise<{ id: number; name: string } | undefined> {
    const run = await this.latestSucceededRun()
    if (!run) return undefined
    return this.#db
      .selectFrom(table)
      .select(['id', 'name'])
      .where('run_id', '=', run.id)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  /** Records a quantity written to the PSA in the current snapshot, so reconcile shows it. */
  async setLineQuantity(
    runId: number,
    agreementId: number,
    lineId: number,
    quantity: number,
  ): Promise<void> {
    await this.#db
      .updateTable('psa_lines')
      .set({ quantity, updated_at: new Date().toISOString() })
      .where('run_id', '=', runId)
      .where('agreement_id', '=', agreementId)
      .where('id', '=', lineId)
      .execute()
  }

  /** Deletes every vendor-side snapshot row (organizations, devices, counts). */
  async clearVendorData(trx: Kysely<Database> = this.#db): Promise<void> {
    for (const table of [
      'vendor_organizations',
      'vendor_devices',
      'vendor_counts',
      'unclassified_counts',
    ] as const) {
      await trx.deleteFrom(table).execute()
    }
  }

  /** Deletes every PSA-side snapshot row (companies, products, lines). */
  async clearPsaData(trx: Kysely<Database> = this.#db): Promise<void> {
    for (const table of ['psa_companies', 'psa_products', 'psa_lines'] as const) {
      await trx.deleteFrom(table).execute()
    }
  }
}
