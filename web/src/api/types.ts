/** Shapes of the REST API under `/api`, as the server sends them. */
import type { ItemView as ReconciliationItem } from '../../../src/app/reconcile.ts'
import type { ReconcileTotals } from '../../../src/core/reconcile.ts'

export type IntegrationKind = 'ninjaone' | 'connectwise' | 'autotask' | 'halo'
export type PsaKind = Exclude<IntegrationKind, 'ninjaone'>
export type IntegrationStatus = 'pending' | 'mapping' | 'connected' | 'error' | 'disconnected'

/** The signed-in user, or none, and whether the first user still has to be created. */
export interface Session {
  user: { id: number | string; email: string } | null
  csrfToken: string | null
  setupRequired: boolean
}

/** One vendor connection. `settings` contains the non-secret fields only. */
export interface Integration {
  kind: IntegrationKind
  role: 'vendor' | 'psa'
  status: IntegrationStatus
  statusReason: string | null
  hasCredentials: boolean
  settings: Record<string, string>
}

/** A sync run as `GET /api/status` and `GET /api/sync/runs` list it. */
export interface SyncRun {
  id: number
  status: string
  startedAt: string
  finishedAt: string | null
  error: string | null
  deviceCount: number
  organizationCount?: number
  lineCount?: number
  vendorRequests: number
  psaRequests: number
}

/** Integrations, mapping counts and the last sync. */
export interface StatusReport {
  integrations: (Omit<Integration, 'kind' | 'settings'> & { vendor: IntegrationKind })[]
  accountMappings: number
  serviceMappings: number
  lastSync: SyncRun | null
  lastGoodSync: { id: number; finishedAt: string | null } | null
}

/** Progress of the running sync; `done` counts the items of `phase` read so far. */
export interface SyncProgress {
  running: boolean
  runId: number | null
  phase: string | null
  done: number | null
}

export interface CompanySuggestion {
  companyId: number
  companyName: string
  /** 0..1, where 1 is an identical name. */
  score: number
}

/** A NinjaOne organization with its mapping, or suggestions when unmapped. */
export interface OrganizationRow {
  organizationId: number
  organizationName: string
  companyId: number | null
  companyName: string | null
  matchedBy: 'exact' | 'manual' | null
  suggestions: CompanySuggestion[]
}

export interface CompanyRow {
  id: number
  name: string
  mappedOrganizationId: number | null
}

export interface AccountsView {
  organizations: OrganizationRow[]
  companies: CompanyRow[]
}

export interface CatalogProduct {
  id: number
  name: string
  identifier: string | null
  unitPrice: number | null
}

export interface ServiceRow {
  service: string
  products: { productId: number; productName: string }[]
}

export interface ServicesView {
  services: ServiceRow[]
  unmappedProducts: CatalogProduct[]
}

// Reconciliation shapes come from the types the server computes them with, so the two cannot
// drift apart. Only types cross over, and the status list, which has no dependencies.
export type { ApprovalResult } from '../../../src/app/approve.ts'
export type { ReconcileTotals } from '../../../src/core/reconcile.ts'
export { ITEM_STATUSES, type ItemStatus } from '../../../src/core/types.ts'
export type { ApprovalOutcome } from '../../../src/store/approvals.ts'
export type { ReconciliationItem }

export interface ReconciliationView {
  runId: number | null
  totals: ReconcileTotals
  items: ReconciliationItem[]
}

export interface ApproveRequest {
  ids?: string[]
  all?: boolean
  dryRun?: boolean
  allowZero?: boolean
  effectiveDate?: string
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  subject: string
  details: unknown
}
