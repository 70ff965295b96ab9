import { autoMatchAccounts, type Suggestion, suggestCompanies } from '../core/matching.ts'
import { findService, SERVICE_NAMES, type ServiceName } from '../core/services.ts'
import type { MatchedBy } from '../core/types.ts'
import { AppError } from '../errors.ts'
import type { Snapshot } from '../store/snapshots.ts'
import type { AppContext } from './context.ts'
import { refreshIntegrationStatuses } from './status.ts'

/** One row of `map accounts --list`. */
export interface AccountRow {
  organizationId: number
  organizationName: string
  companyId: number | null
  companyName: string | null
  matchedBy: MatchedBy | null
  suggestions: Suggestion[]
}

const NO_SYNC_YET = 'No successful sync yet. Run: msp-recon sync'

/** Reads the current snapshot; mapping needs organizations and companies from a sync. */
export async function requireSnapshot(ctx: AppContext): Promise<Snapshot> {
  const snapshot = await ctx.store.snapshots.current()
  if (!snapshot) throw new AppError('not_found', NO_SYNC_YET)
  return snapshot
}

async function requireSyncedRun(ctx: AppContext): Promise<void> {
  if (!(await ctx.store.snapshots.latestSucceededRun())) {
    throw new AppError('not_found', NO_SYNC_YET)
  }
}

/** Lists every organization with its mapping, or ranked suggestions when unmapped. */
export async function listAccounts(ctx: AppContext): Promise<AccountRow[]> {
  const snapshot = await requireSnapshot(ctx)
  const mappings = await ctx.store.mappings.accountMappings()
  const byOrg = new Map(mappings.map((mapping) => [mapping.organizationId, mapping]))
  const companyNames = new Map(snapshot.companies.map((company) => [company.id, company.name]))
  const unmapped = snapshot.organizations.filter((org) => !byOrg.has(org.id))
  const mappedCompanyIds = new Set(mappings.map((mapping) => mapping.companyId))
  const suggestions = suggestCompanies(unmapped, snapshot.companies, mappedCompanyIds)
  return snapshot.organizations.map((org) => {
    const mapping = byOrg.get(org.id)
    return {
      organizationId: org.id,
      organizationName: org.name,
      companyId: mapping?.companyId ?? null,
      companyName: mapping ? (companyNames.get(mapping.companyId) ?? null) : null,
      matchedBy: mapping?.matchedBy ?? null,
      suggestions: mapping ? [] : (suggestions.get(org.id) ?? []),
    }
  })
}

/** One PSA company with the organization mapped to it, if any. */
export interface CompanyRow {
  companyId: number
  companyName: string
  organizationId: number | null
  organizationName: string | null
}

/** Lists every PSA company of the last sync with its mapped organization. */
export async function listCompanies(ctx: AppContext): Promise<CompanyRow[]> {
  const snapshot = await requireSnapshot(ctx)
  const mappings = await ctx.store.mappings.accountMappings()
  const orgByCompany = new Map(mappings.map((mapping) => [mapping.companyId, mapping]))
  const orgNames = new Map(snapshot.organizations.map((org) => [org.id, org.name]))
  return snapshot.companies.map((company) => {
    const organizationId = orgByCompany.get(company.id)?.organizationId ?? null
    return {
      companyId: company.id,
      companyName: company.name,
      organizationId,
      organizationName: organizationId === null ? null : (orgNames.get(organizationId) ?? null),
    }
  })
}

/** Maps every organization whose normalized name equals exactly one company's; returns how many. */
export async function autoMapAccounts(ctx: AppContext): Promise<number> {
  const snapshot = await requireSnapshot(ctx)
  const existing = await ctx.store.mappings.accountMappings()
  const matches = autoMatchAccounts(snapshot.organizations, snapshot.companies, existing)
  await ctx.store.mappings.addAccountMappings(matches)
  await ctx.store.approvals.audit(
    'map.accounts.auto',
    'accounts',
    { added: matches.length },
    ctx.actor,
  )
  await refreshIntegrationStatuses(ctx)
  return matches.length
}

/** Maps one organization to one company after checking both exist and the company is free. */
export async function mapAccount(ctx: AppContext, organizationId: number, companyId: number) {
  const { snapshots } = ctx.store
  await requireSyncedRun(ctx)

  const org = await snapshots.findInCurrent('vendor_organizations', organizationId)
  if (!org) {
    throw new AppError(
      'not_found',
      `Unknown NinjaOne organization ${organizationId}. List them with: msp-recon map accounts --list`,
    )
  }

  const company = await snapshots.findInCurrent('psa_companies', companyId)
  if (!company) {
    throw new AppError(
      'not_found',
      `Unknown PSA company ${companyId}: it was not in the last sync. Check the id, or run ` +
        'msp-recon sync if the company is new.',
    )
  }

  const holder = (await ctx.store.mappings.accountMappings()).find(
    (mapping) => mapping.companyId === companyId && mapping.organizationId !== organizationId,
  )
  if (holder) {
    const holderOrg = await snapshots.findInCurrent('vendor_organizations', holder.organizationId)
    throw new AppError(
      'conflict',
      `PSA company ${companyId} (${company.name}) is already mapped to ` +
        `${holderOrg?.name ?? `organization ${holder.organizationId}`}. Unmap it first.`,
    )
  }

  await ctx.store.mappings.setAccountMapping(organizationId, companyId, 'manual')
  await ctx.store.approvals.audit(
    'map.account',
    String(organizationId),
    { organizationId, companyId },
    ctx.actor,
  )
  await refreshIntegrationStatuses(ctx)
  return { organizationId, organizationName: org.name, companyId, companyName: company.name }
}

/** Removes an organization's mapping; throws `not_found` when it had none. */
export async function unmapAccount(ctx: AppContext, organizationId: number): Promise<void> {
  if (!(await ctx.store.mappings.deleteAccountMapping(organizationId))) {
    throw new AppError('not_found', `NinjaOne organization ${organizationId} is not mapped.`)
  }
  await ctx.store.approvals.audit('unmap.account', String(organizationId), {}, ctx.actor)
  await refreshIntegrationStatuses(ctx)
}

/** Resolves a service by display name or key; throws `bad_request` listing valid names. */
export function parseService(name: string): ServiceName {
  const service = findService(name)
  if (!service) {
    throw new AppError(
      'bad_request',
      `Unknown service "${name}". Use one of: ${SERVICE_NAMES.map((s) => `"${s}"`).join(', ')}.`,
    )
  }
  return service.name
}

/** One service with the products that bill it. */
export interface ServiceRow {
  service: ServiceName
  products: { productId: number; productName: string }[]
}

/** Lists the 8 services with their mapped products, and the products mapped to none. */
export async function listServices(ctx: AppContext) {
  const snapshot = await ctx.store.snapshots.current()
  const products = snapshot?.products ?? []
  const mappings = await ctx.store.mappings.serviceMappings()
  const names = new Map(products.map((product) => [product.id, product.name]))
  const services: ServiceRow[] = SERVICE_NAMES.map((service) => ({
    service,
    products: mappings
      .filter((mapping) => mapping.service === service)
      .map((mapping) => ({
        productId: mapping.productId,
        productName: names.get(mapping.productId) ?? `product ${mapping.productId}`,
      })),
  }))
  const mapped = new Set(mappings.map((mapping) => mapping.productId))
  return { services, unmappedProducts: products.filter((product) => !mapped.has(product.id)) }
}

/** Maps a PSA product to a service; a product bills one service only. */
export async function mapService(ctx: AppContext, serviceName: string, productId: number) {
  const service = parseService(serviceName)
  await requireSyncedRun(ctx)
  const product = await ctx.store.snapshots.findInCurrent('psa_products', productId)
  if (!product) {
    throw new AppError(
      'not_found',
      `Unknown PSA product ${productId}: it was not in the last sync of the catalog.`,
    )
  }
  await ctx.store.mappings.setServiceMapping(service, productId)
  await ctx.store.approvals.audit('map.service', service, { productId }, ctx.actor)
  await refreshIntegrationStatuses(ctx)
  return { service, productId, productName: product.name }
}

/** Removes a product's service mapping; throws `not_found` when it had none. */
export async function unmapService(ctx: AppContext, productId: number): Promise<void> {
  if (!(await ctx.store.mappings.deleteServiceMapping(productId))) {
    throw new AppError('not_found', `PSA product ${productId} is not mapped to a service.`)
  }
  await ctx.store.approvals.audit('unmap.service', String(productId), {}, ctx.actor)
  await refreshIntegrationStatuses(ctx)
}
