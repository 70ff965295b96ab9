import type { Kysely } from 'kysely'
import type { ServiceName } from '../core/services.ts'
import type { AccountMapping, MatchedBy, ServiceMapping } from '../core/types.ts'
import type { Database } from './schema.ts'

/** Account mappings (organization ↔ company) and service mappings (service ↔ product). */
export class MappingRepository {
  #db: Kysely<Database>

  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async accountMappings(): Promise<AccountMapping[]> {
    const rows = await this.#db.selectFrom('account_mappings').selectAll().execute()
    return rows.map((row) => ({
      organizationId: row.organization_id,
      companyId: row.company_id,
      matchedBy: row.matched_by,
    }))
  }

  /** Maps an organization to a company, replacing that organization's earlier mapping. */
  async setAccountMapping(organizationId: number, companyId: number, matchedBy: MatchedBy) {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('account_mappings')
        .where('organization_id', '=', organizationId)
        .execute()
      await trx
        .insertInto('account_mappings')
        .values({
          organization_id: organizationId,
          company_id: companyId,
          matched_by: matchedBy,
          created_at: new Date().toISOString(),
        })
        .execute()
    })
  }

  /** Adds many mappings at once (auto-mapping); callers pass only unmapped pairs. */
  async addAccountMappings(mappings: AccountMapping[]): Promise<void> {
    if (mappings.length === 0) return
    const now = new Date().toISOString()
    await this.#db.transaction().execute(async (trx) => {
      for (let start = 0; start < mappings.length; start += 400) {
        await trx
          .insertInto('account_mappings')
          .values(
            mappings.slice(start, start + 400).map((mapping) => ({
              organization_id: mapping.organizationId,
              company_id: mapping.companyId,
              matched_by: mapping.matchedBy,
              created_at: now,
            })),
          )
          .execute()
      }
    })
  }

  async deleteAccountMapping(organizationId: number): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('account_mappings')
      .where('organization_id', '=', organizationId)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async serviceMappings(): Promise<ServiceMapping[]> {
    const rows = await this.#db.selectFrom('service_mappings').selectAll().execute()
    return rows.map((row) => ({ service: row.service as ServiceName, productId: row.product_id }))
  }

  /** Maps a product to a service; a product belongs to one service, so this replaces any other. */
  async setServiceMapping(service: ServiceName, productId: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('service_mappings').where('product_id', '=', productId).execute()
      await trx
        .insertInto('service_mappings')
        .values({ product_id: productId, service, created_at: new Date().toISOString() })
        .execute()
    })
  }

  async deleteServiceMapping(productId: number): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('service_mappings')
      .where('product_id', '=', productId)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  /** Deletes every account and service mapping. */
  async clearAll(trx: Kysely<Database> = this.#db): Promise<void> {
    await trx.deleteFrom('account_mappings').execute()
    await trx.deleteFrom('service_mappings').execute()
  }
}
