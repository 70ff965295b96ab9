import { closeSync, mkdirSync, openSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import { AppError } from '../errors.ts'
import { type Dialect, migrateToLatest } from './migrations.ts'
import type { Database } from './schema.ts'

export interface DatabaseOptions {
  /** Folder for the SQLite file and the key file; `MSP_RECON_DATA` or `~/.msp-recon`. */
  dataDir: string
  /** `postgres://…` selects PostgreSQL; absent selects the embedded SQLite file. */
  databaseUrl?: string
  /** PostgreSQL schema to use (tests isolate themselves in their own schema). */
  postgresSchema?: string
}

/** Resolves the data folder from `MSP_RECON_DATA` (a leading `~/` is the home folder). */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MSP_RECON_DATA?.trim()
  if (!configured) return join(homedir(), '.msp-recon')
  if (configured === '~' || configured.startsWith('~/')) {
    return join(homedir(), configured.slice(1))
  }
  return configured
}

/** Creates the data folder (mode 0700), with an error that names it when that fails. */
export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw new AppError(
      'bad_request',
      `Cannot use the data folder ${dataDir} (${(error as NodeJS.ErrnoException).code}). Set ` +
        'MSP_RECON_DATA to a folder you can write.',
      {},
      { cause: error },
    )
  }
}

export interface OpenDatabase {
  db: Kysely<Database>
  dialect: Dialect
  /** The SQLite connection under Kysely, for bulk inserts through one prepared statement. */
  sqlite?: SQLite.Database
}

// PostgreSQL `double precision` already parses to a number; bigint counts (COUNT(*)) do not.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10))

/** Opens the store (SQLite by default, PostgreSQL with a URL) and migrates it to the latest schema. */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  const url = options.databaseUrl?.trim()
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new AppError(
      'bad_request',
      'Invalid DATABASE_URL: expected postgres://…; unset it to use the embedded SQLite file.',
    )
  }
  const opened = url ? openPostgres(url, options.postgresSchema) : openSqlite(options.dataDir)
  try {
    if (url && options.postgresSchema) await requireSchema(opened.db, options.postgresSchema)
    await migrateToLatest(opened.db as Kysely<unknown>, opened.dialect)
  } catch (error) {
    await opened.db.destroy()
    throw error
  }
  return opened
}

async function requireSchema(db: Kysely<Database>, schema: string): Promise<void> {
  const { rows } =
    await sql`select 1 from information_schema.schemata where schema_name = ${schema}`.execute(db)
  if (rows.length === 0) {
    throw new AppError(
      'bad_request',
      `PostgreSQL schema "${schema}" does not exist. Create it with: CREATE SCHEMA ${schema}`,
    )
  }
}

function openSqlite(dataDir: string): OpenDatabase {
  ensureDataDir(dataDir)
  const path = join(dataDir, 'msp-recon.sqlite')
  // Create the file owner-only before SQLite opens it; its journal files copy the mode.
  closeSync(openSync(path, 'a', 0o600))
  const file = new SQLite(path)
  file.pragma('journal_mode = WAL')
  file.pragma('foreign_keys = ON')
  file.pragma('busy_timeout = 5000')
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) }),
    dialect: 'sqlite',
  }
}

function openPostgres(url: string, schema?: string): OpenDatabase {
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
    throw new AppError('bad_request', `Invalid PostgreSQL schema name "${schema}".`)
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 5,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    dialect: 'postgres',
  }
}
