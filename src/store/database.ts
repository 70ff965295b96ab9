import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
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

/** Resolves the data folder from `MSP_RECON_DATA`, defaulting to `~/.msp-recon`. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MSP_RECON_DATA || join(homedir(), '.msp-recon')
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
  const opened = options.databaseUrl?.startsWith('postgres')
    ? openPostgres(options.databaseUrl, options.postgresSchema)
    : openSqlite(options.dataDir)
  await migrateToLatest(opened.db as Kysely<unknown>, opened.dialect)
  return opened
}

function openSqlite(dataDir: string): OpenDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = new SQLite(join(dataDir, 'msp-recon.sqlite'))
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
