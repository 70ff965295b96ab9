import type { Kysely } from 'kysely'
import { AppError } from '../errors.ts'
import type { Database, IntegrationStatus } from './schema.ts'
import { seal, unseal } from './secrets.ts'

export type IntegrationKind = 'ninjaone' | 'connectwise' | 'autotask' | 'halo'

/** An integration as every interface may show it: settings, never secrets. */
export interface Integration {
  kind: IntegrationKind
  role: 'vendor' | 'psa'
  status: IntegrationStatus
  statusReason: string | null
  settings: Record<string, string>
  hasCredentials: boolean
  connectedAt: string
  updatedAt: string
}

/** Integrations and their encrypted credentials. */
export class IntegrationRepository {
  #db: Kysely<Database>
  #key: Buffer

  constructor(db: Kysely<Database>, key: Buffer) {
    this.#db = db
    this.#key = key
  }

  async list(): Promise<Integration[]> {
    const rows = await this.#db
      .selectFrom('integrations')
      .leftJoin('credentials', 'credentials.integration_kind', 'integrations.kind')
      .select([
        'kind',
        'role',
        'status',
        'status_reason',
        'settings',
        'integrations.created_at',
        'updated_at',
        'credentials.integration_kind as credential_kind',
      ])
      .orderBy('kind')
      .execute()
    return rows.map((row) => ({
      kind: row.kind as IntegrationKind,
      role: row.role,
      status: row.status,
      statusReason: row.status_reason,
      settings: JSON.parse(row.settings) as Record<string, string>,
      hasCredentials: row.credential_kind !== null,
      connectedAt: row.created_at,
      updatedAt: row.updated_at,
    }))
  }

  async get(kind: IntegrationKind): Promise<Integration | undefined> {
    return (await this.list()).find((integration) => integration.kind === kind)
  }

  /** Stores settings and encrypted secrets in one transaction, replacing earlier ones. */
  async save(input: {
    kind: IntegrationKind
    role: 'vendor' | 'psa'
    status: IntegrationStatus
    settings: Record<string, string>
    secrets: Record<string, string>
  }): Promise<void> {
    const now = new Date().toISOString()
    const sealed = seal(this.#key, JSON.stringify(input.secrets), input.kind)
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('credentials').where('integration_kind', '=', input.kind).execute()
      await trx.deleteFrom('integrations').where('kind', '=', input.kind).execute()
      await trx
        .insertInto('integrations')
        .values({
          kind: input.kind,
          role: input.role,
          status: input.status,
          status_reason: null,
          settings: JSON.stringify(input.settings),
          created_at: now,
          updated_at: now,
        })
        .execute()
      await trx
        .insertInto('credentials')
        .values({
          integration_kind: input.kind,
          ciphertext: sealed.ciphertext,
          iv: sealed.iv,
          auth_tag: sealed.authTag,
          created_at: now,
        })
        .execute()
    })
  }

  /** Decrypts the secrets of an integration; throws `not_connected` when there are none. */
  async secrets(kind: IntegrationKind): Promise<Record<string, string>> {
    const row = await this.#db
      .selectFrom('credentials')
      .selectAll()
      .where('integration_kind', '=', kind)
      .executeTakeFirst()
    if (!row) {
      throw new AppError(
        'not_connected',
        `${kind} is not connected. Run: msp-recon connect ${kind}`,
      )
    }
    const plain = unseal(
      this.#key,
      { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag },
      kind,
    )
    return JSON.parse(plain) as Record<string, string>
  }

  async setStatus(kind: IntegrationKind, status: IntegrationStatus, reason: string | null = null) {
    await this.#db
      .updateTable('integrations')
      .set({ status, status_reason: reason, updated_at: new Date().toISOString() })
      .where('kind', '=', kind)
      .execute()
  }

  /** Deletes an integration and its credentials (a hard delete of the secrets). */
  async remove(kind: IntegrationKind, trx: Kysely<Database> = this.#db): Promise<void> {
    await trx.deleteFrom('credentials').where('integration_kind', '=', kind).execute()
    await trx.deleteFrom('integrations').where('kind', '=', kind).execute()
  }
}
