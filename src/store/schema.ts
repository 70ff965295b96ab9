/** Table types of the msp-recon store (the same schema on SQLite and PostgreSQL). */
import type { Generated } from 'kysely'

export type IntegrationStatus = 'pending' | 'mapping' | 'connected' | 'error' | 'disconnected'

export interface IntegrationsTable {
  /** `ninjaone`, `connectwise`, `autotask` or `halo`. */
  kind: string
  role: 'vendor' | 'psa'
  status: IntegrationStatus
  status_reason: string | null
  /** JSON of non-secret settings: region, API URL, client id, company id, ... */
  settings: string
  created_at: string
  updated_at: string
}

export interface CredentialsTable {
  integration_kind: string
  /** AES-256-GCM ciphertext of the JSON secret fields, base64. */
  ciphertext: string
  iv: string
  auth_tag: string
  created_at: string
}

export interface SyncRunsTable {
  id: Generated<number>
  status: 'running' | 'succeeded' | 'failed'
  started_at: string
  finished_at: string | null
  /** Last sign of life of a running sync; a run silent for long is treated as abandoned. */
  heartbeat_at: string | null
  error: string | null
  vendor_requests: Generated<number>
  psa_requests: Generated<number>
  organization_count: Generated<number>
  device_count: Generated<number>
  line_count: Generated<number>
}

export interface VendorOrganizationsTable {
  run_id: number
  id: number
  name: string
}

export interface VendorDevicesTable {
  run_id: number
  id: number
  organization_id: number
  node_class: string | null
  billing_class: string
  node_role_id: number | null
  display_name: string | null
  approval_status: string | null
  offline: number | null
  last_contact: number | null
}

export interface VendorCountsTable {
  run_id: number
  organization_id: number
  service: string
  count: number
}

export interface UnclassifiedCountsTable {
  run_id: number
  organization_id: number
  node_class: string
  count: number
}

export interface PsaCompaniesTable {
  run_id: number
  id: number
  name: string
}

export interface PsaProductsTable {
  run_id: number
  id: number
  name: string
  identifier: string | null
  unit_price: number | null
}

export interface PsaLinesTable {
  run_id: number
  id: number
  agreement_id: number
  agreement_name: string
  company_id: number
  product_id: number
  quantity: number
  less_included: number
  unit_price: number
  updated_at: string | null
}

export interface AccountMappingsTable {
  organization_id: number
  company_id: number
  matched_by: 'exact' | 'manual'
  created_at: string
}

export interface ServiceMappingsTable {
  product_id: number
  service: string
  created_at: string
}

export interface ApprovalsTable {
  id: Generated<number>
  item_id: string
  run_id: number
  /** Item, sync run and target quantity; approve skips a key that already has a write. */
  idempotency_key: string
  agreement_id: number | null
  line_id: number | null
  before_quantity: number | null
  after_quantity: number | null
  outcome: string
  reason: string | null
  actor: string
  created_at: string
}

export interface DismissalsTable {
  item_id: string
  vendor_count: number
  psa_quantity: number | null
  actor: string
  created_at: string
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  actor: string
  action: string
  subject: string
  /** JSON with before/after values and ids; never a secret. */
  details: string
}

export interface UsersTable {
  id: Generated<number>
  email: string
  password_hash: string
  created_at: string
}

export interface SessionsTable {
  /** SHA-256 of the session token; the token itself lives only in the cookie. */
  id: string
  user_id: number
  csrf_token: string
  created_at: string
  expires_at: string
}

export interface ApprovalLocksTable {
  /** `<psa>:<agreement id>:<line id>` of the line being written. */
  line_key: string
  acquired_at: string
}

export interface Database {
  approval_locks: ApprovalLocksTable
  integrations: IntegrationsTable
  credentials: CredentialsTable
  sync_runs: SyncRunsTable
  vendor_organizations: VendorOrganizationsTable
  vendor_devices: VendorDevicesTable
  vendor_counts: VendorCountsTable
  unclassified_counts: UnclassifiedCountsTable
  psa_companies: PsaCompaniesTable
  psa_products: PsaProductsTable
  psa_lines: PsaLinesTable
  account_mappings: AccountMappingsTable
  service_mappings: ServiceMappingsTable
  approvals: ApprovalsTable
  dismissals: DismissalsTable
  audit_log: AuditLogTable
  users: UsersTable
  sessions: SessionsTable
}
