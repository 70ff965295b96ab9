import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import { ApprovalRepository } from './approvals.ts'
import { type DatabaseOptions, openDatabase, resolveDataDir } from './database.ts'
import { IntegrationRepository } from './integrations.ts'
import { MappingRepository } from './mappings.ts'
import type { Dialect } from './migrations.ts'
import type { Database } from './schema.ts'
import { loadEncryptionKey } from './secrets.ts'
import { SnapshotRepository } from './snapshots.ts'

/** The msp-recon store: one database, its repositories and the credential key. */
export class Store {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  readonly integrations: IntegrationRepository
  readonly snapshots: SnapshotRepository
  readonly mappings: MappingRepository
  readonly approvals: ApprovalRepository

  constructor(db: Kysely<Database>, dialect: Dialect, key: Buffer, sqlite?: SQLite.Database) {
    this.db = db
    this.dialect = dialect
    this.integrations = new IntegrationRepository(db, key)
    this.snapshots = new SnapshotRepository(db, dialect, sqlite)
    this.mappings = new MappingRepository(db)
    this.approvals = new ApprovalRepository(db)
  }

  /** Opens the store for the environment: `MSP_RECON_DATA`, `DATABASE_URL`, `MSP_RECON_KEY`. */
  static async open(
    options: Partial<DatabaseOptions> = {},
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<Store> {
    const dataDir = options.dataDir ?? resolveDataDir(env)
    const key = loadEncryptionKey(dataDir, env)
    const { db, dialect, sqlite } = await openDatabase({
      dataDir,
      databaseUrl: options.databaseUrl ?? env.DATABASE_URL,
      postgresSchema: options.postgresSchema ?? env.MSP_RECON_PG_SCHEMA,
    })
    return new Store(db, dialect, key, sqlite)
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
