import { createHash, randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { type Kysely, sql } from 'kysely'
import { AppError } from '../errors.ts'
import type { Dialect } from './migrations.ts'
import type { Database } from './schema.ts'

/** How long a session lasts after sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000

/** Shortest password a new user may choose. */
export const MIN_PASSWORD_LENGTH = 12

/** A user as every interface may show it: never the password hash. */
export interface User {
  id: number
  email: string
}

/** A valid session: its user and the CSRF token that state-changing requests must send. */
export interface Session {
  user: User
  csrfToken: string
  expiresAt: string
}

/** A session just created, with the token for the cookie (stored only as its SHA-256). */
export interface NewSession extends Session {
  token: string
}

/** Lowercases and trims an email address, so that sign-in ignores case and spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** SHA-256 of a session token, hex: the session's id in the `sessions` table. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

function newToken(): string {
  return randomBytes(32).toString('base64url')
}

function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id })
}

let dummyHash: Promise<string> | undefined

/**
 * Users with argon2id password hashes, and their server-side sessions. Session tokens and
 * passwords never reach the database in clear: tokens as SHA-256, passwords as argon2id.
 */
export class UserRepository {
  #db: Kysely<Database>
  #dialect: Dialect

  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db
    this.#dialect = dialect
  }

  /** Counts the users. Setup of the first user stays open while the count is 0. */
  async count(): Promise<number> {
    const row = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('users'))
      .executeTakeFirstOrThrow()
    return Number(row.users)
  }

  /** Adds a user, or throws `conflict` when the email is taken. */
  async create(email: string, password: string): Promise<User> {
    const normalized = normalizeEmail(email)
    if (await this.#findByEmail(normalized)) throw userExists(normalized)
    const passwordHash = await hashPassword(password)
    try {
      return await this.#insert(this.#db, normalized, passwordHash)
    } catch (error) {
      // Another request may have added the same email between the check and the insert.
      if (await this.#findByEmail(normalized)) throw userExists(normalized)
      throw error
    }
  }

  /** Adds the first user, or throws `conflict` when any user exists. */
  async createFirst(email: string, password: string): Promise<User> {
    // Checked before hashing too, so that calls after setup cost no argon2 memory.
    if ((await this.count()) > 0) throw setupDone()
    const normalized = normalizeEmail(email)
    const passwordHash = await hashPassword(password)
    return this.#db.transaction().execute(async (trx) => {
      // SQLite runs one write transaction at a time, but PostgreSQL needs this lock to stop
      // two concurrent setups from both seeing an empty table.
      if (this.#dialect === 'postgres') {
        await sql`lock table users in share row exclusive mode`.execute(trx)
      }
      const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()
      if (existing) throw setupDone()
      return this.#insert(trx, normalized, passwordHash)
    })
  }

  /**
   * Returns the user when the password matches, else undefined. An unknown email costs one
   * argon2 verification too, so that response times do not reveal which emails exist.
   */
  async verifyPassword(email: string, password: string): Promise<User | undefined> {
    const row = await this.#findByEmail(normalizeEmail(email))
    if (!row) {
      dummyHash ??= hashPassword(newToken())
      await argon2.verify(await dummyHash, password)
      return undefined
    }
    const matches = await argon2.verify(row.password_hash, password)
    return matches ? { id: row.id, email: row.email } : undefined
  }

  /** Starts a session for a user and returns the token for the cookie and the CSRF token. */
  async createSession(user: User, now = new Date()): Promise<NewSession> {
    const token = newToken()
    const csrfToken = newToken()
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString()
    await this.#db
      .insertInto('sessions')
      .values({
        id: hashSessionToken(token),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute()
    return { token, csrfToken, expiresAt, user }
  }

  /** Finds the unexpired session of a cookie token, or undefined when unknown or expired. */
  async findSession(token: string, now = new Date()): Promise<Session | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['users.id as userId', 'users.email', 'sessions.csrf_token', 'sessions.expires_at'])
      .where('sessions.id', '=', hashSessionToken(token))
      .where('sessions.expires_at', '>', now.toISOString())
      .executeTakeFirst()
    if (!row) return undefined
    return {
      user: { id: row.userId, email: row.email },
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    }
  }

  /** Ends the session of a cookie token. */
  async deleteSession(token: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id', '=', hashSessionToken(token)).execute()
  }

  /** Deletes sessions that expired by `now` and returns how many. */
  async deleteExpiredSessions(now = new Date()): Promise<number> {
    const result = await this.#db
      .deleteFrom('sessions')
      .where('expires_at', '<=', now.toISOString())
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  #findByEmail(email: string) {
    return this.#db
      .selectFrom('users')
      .select(['id', 'email', 'password_hash'])
      .where('email', '=', email)
      .executeTakeFirst()
  }

  async #insert(db: Kysely<Database>, email: string, passwordHash: string): Promise<User> {
    const row = await db
      .insertInto('users')
      .values({ email, password_hash: passwordHash, created_at: new Date().toISOString() })
      .returning(['id', 'email'])
      .executeTakeFirstOrThrow()
    return { id: row.id, email: row.email }
  }
}

function setupDone(): AppError {
  return new AppError('conflict', 'An account already exists. Sign in instead.')
}

function userExists(email: string): AppError {
  return new AppError('conflict', `User ${email} already exists.`)
}
