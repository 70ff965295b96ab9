import {
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from 'kysely'
import { AppError } from '../errors.ts'

export type Dialect = 'sqlite' | 'postgres'

// `double precision` has REAL affinity in SQLite, so one type name serves both dialects.
const DECIMAL = 'double precision'

function withSerialId<T extends string>(
  table: CreateTableBuilder<T, never>,
  dialect: Dialect,
): CreateTableBuilder<T, 'id'> {
  return table.addColumn('id', 'integer', (column) =>
    dialect === 'postgres'
      ? column.primaryKey().generatedByDefaultAsIdentity()
      : column.primaryKey().autoIncrement(),
  )
}

function initialSchema(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('integrations')
        .addColumn('kind', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('credentials')
        .addColumn('integration_kind', 'text', (c) =>
          c.primaryKey().references('integrations.kind').onDelete('cascade'),
        )
        .addColumn('ciphertext', 'text', (c) => c.notNull())
        .addColumn('iv', 'text', (c) => c.notNull())
        .addColumn('auth_tag', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await withSerialId(db.schema.createTable('sync_runs'), dialect)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('error', 'text')
        .addColumn('vendor_requests', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('psa_requests', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('organization_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('device_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('line_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await createSnapshotTables(db)
      await createMappingTables(db, dialect)
      await createUserTables(db, dialect)
    },
  }
}

async function createSnapshotTables(db: Kysely<unknown>): Promise<void> {
  const runId = 'run_id'
  await db.schema
    .createTable('vendor_organizations')
    .addColumn(runId, 'integer', (c) => c.notNull())
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vendor_organizations_pk', [runId, 'id'])
    .execute()
  await db.schema
    .createTable('vendor_devices')
    .addColumn(runId, 'integer', (c) => c.notNull())
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('organization_id', 'integer', (c) => c.notNull())
    .addColumn('node_class', 'text')
    .addColumn('billing_class', 'text', (c) => c.notNull())
    .addColumn('node_role_id', 'integer')
    .addColumn('display_name', 'text')
    .addColumn('approval_status', 'text')
    .addColumn('offline', 'integer')
    .addColumn('last_contact', DECIMAL)
    .addPrimaryKeyConstraint('vendor_devices_pk', [runId, 'id'])
    .execute()
  await db.schema
    .createTable('vendor_counts')
    .addColumn(runId, 'integer', (c) => c.notNull())
    .addColumn('organization_id', 'integer', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('vendor_counts_pk', [runId, 'organization_id', 'service'])
    .execute()
  await db.schema
    .createTable('unclassified_counts')
    .addColumn(runId, 'integer', (c) => c.notNull())
    .addColumn('organization_id', 'integer', (c) => c.notNull())
    .addColumn('node_class', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('unclassified_counts_pk', [runId, 'organization_id', 'node_class'])
    .execute()
  await db.schema
    .createTable('psa_companies')
    .addColumn(runId, 'integer', (c) => c.notNull())
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('psa_companies_pk', [runId, 'id'])
    .execute()
  await db.schema
    .createTable('psa_products')
    .addColumn(runId, 'integer', (c) => c.notNull())
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text')
    .addColumn('unit_price', DECIMAL)
    .addPrimaryKeyConstraint('psa_products_pk', [runId, 'id'])
    .execute()
  await db.schema
    .createTable('psa_lines')
    .addColumn(runId, 'integer', (c) => c.notNull())
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('agreement_id', 'integer', (c) => c.notNull())
    .addColumn('agreement_name', 'text', (c) => c.notNull())
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'integer', (c) => c.notNull())
    .addColumn('quantity', DECIMAL, (c) => c.notNull())
    .addColumn('less_included', DECIMAL, (c) => c.notNull())
    .addColumn('unit_price', DECIMAL, (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('psa_lines_pk', [runId, 'agreement_id', 'id'])
    .execute()
}

async function createMappingTables(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('account_mappings')
    .addColumn('organization_id', 'integer', (c) => c.primaryKey())
    .addColumn('company_id', 'integer', (c) => c.notNull().unique())
    .addColumn('matched_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('service_mappings')
    .addColumn('product_id', 'integer', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await withSerialId(db.schema.createTable('approvals'), dialect)
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('agreement_id', 'integer')
    .addColumn('line_id', 'integer')
    .addColumn('before_quantity', DECIMAL)
    .addColumn('after_quantity', DECIMAL)
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('approvals_key_idx')
    .on('approvals')
    .columns(['idempotency_key', 'outcome'])
    .execute()
  await db.schema
    .createTable('dismissals')
    .addColumn('item_id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_count', 'integer', (c) => c.notNull())
    .addColumn('psa_quantity', DECIMAL)
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await withSerialId(db.schema.createTable('audit_log'), dialect)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute()
}

async function createUserTables(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withSerialId(db.schema.createTable('users'), dialect)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
}

/**
 * Adds a heartbeat to sync runs and lets at most one run be `running` at a time, across every
 * process that shares the database.
 */
const singleRunningSync: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sync_runs').addColumn('heartbeat_at', 'text').execute()
    await db.schema
      .createIndex('sync_runs_one_running')
      .on('sync_runs')
      .column('status')
      .unique()
      .where(sql.ref('status'), '=', 'running')
      .execute()
  },
}

/** Adds per-line locks, so two approvals of one PSA line never write at the same time. */
const approvalLocks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('approval_locks')
      .addColumn('line_key', 'text', (c) => c.primaryKey())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .execute()
  },
}

/** Migrations in order; append new ones, never edit a released one. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initialSchema(dialect),
    '0002_single_running_sync': singleRunningSync,
    '0003_approval_locks': approvalLocks,
  }
}

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) }
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName
    throw new AppError(
      'internal',
      `Store migration ${failed ?? ''} failed: ${String(error)}`,
      {},
      {
        cause: error,
      },
    )
  }
}
