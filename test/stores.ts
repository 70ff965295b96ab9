/**
 * Test helpers that open real stores: a SQLite file in a temporary folder, and a PostgreSQL
 * schema of its own when a server accepts connections at TEST_DATABASE_URL (default: the local one).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { Store } from '../src/store/store.ts'

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const TEST_KEY = randomBytes(32).toString('base64')

/** A store under test and the function that removes everything it created. */
export interface TestStore {
  store: Store
  dataDir: string
  env: NodeJS.ProcessEnv
  cleanup(): Promise<void>
}

/** Creates a temporary data folder with its own key. */
export function makeDataDir(): { dataDir: string; env: NodeJS.ProcessEnv } {
  const dataDir = mkdtempSync(join(tmpdir(), 'msp-recon-test-'))
  return { dataDir, env: { MSP_RECON_DATA: dataDir, MSP_RECON_KEY: TEST_KEY } }
}

export async function openSqliteStore(): Promise<TestStore> {
  const { dataDir, env } = makeDataDir()
  const store = await Store.open({ dataDir }, env)
  return {
    store,
    dataDir,
    env,
    async cleanup() {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

let postgresAvailable: Promise<boolean> | undefined

/** Returns true when the PostgreSQL test server accepts connections. */
export function hasPostgres(): Promise<boolean> {
  postgresAvailable ??= (async () => {
    const client = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      connectionTimeoutMillis: 2000,
    })
    try {
      await client.connect()
      await client.end()
      return true
    } catch {
      return false
    }
  })()
  return postgresAvailable
}

export async function openPostgresStore(): Promise<TestStore> {
  const schema = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  const { dataDir, env } = makeDataDir()
  const store = await Store.open(
    { dataDir, databaseUrl: TEST_DATABASE_URL, postgresSchema: schema },
    env,
  )
  return {
    store,
    dataDir,
    env: { ...env, DATABASE_URL: TEST_DATABASE_URL, MSP_RECON_PG_SCHEMA: schema },
    async cleanup() {
      await store.close()
      const cleaner = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await cleaner.connect()
      await cleaner.query(`DROP SCHEMA ${schema} CASCADE`)
      await cleaner.end()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Lists the store factories to test: SQLite always, PostgreSQL when it is reachable. */
export async function storeFactories(): Promise<[string, () => Promise<TestStore>][]> {
  const factories: [string, () => Promise<TestStore>][] = [['sqlite', openSqliteStore]]
  if (await hasPostgres()) factories.push(['postgres', openPostgresStore])
  return factories
}
