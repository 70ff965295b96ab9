/** Domain types shared by the core, the adapters, the store and the interfaces. */
import type { ServiceName } from './services.ts'

/** A NinjaOne organization (a client of the MSP). */
export interface VendorOrganization {
  id: number
  name: string
}

/** A NinjaOne device role; a custom role's `nodeClass` is its parent class. */
export interface VendorRole {
  id: number
  name: string
  nodeClass: string | null
  custom: boolean
  parentId: number | null
}

/** The fields of a NinjaOne device that billing needs. */
export interface VendorDevice {
  id: number
  organizationId: number
  nodeClass: string | null
  nodeRoleId: number | null
  displayName: string | null
  approvalStatus: string | null
  offline: boolean | null
  /** Epoch seconds, as the API sends them. */
  lastContact: number | null
}

/** How many devices of one organization count in one service. */
export interface OrgServiceCount {
  organizationId: number
  service: ServiceName
  count: number
}

/** Devices of one organization whose class bills under no service but Total Devices. */
export interface UnclassifiedCount {
  organizationId: number
  nodeClass: string
  count: number
}

/** A PSA company (ConnectWise company, Autotask company, Halo client). */
export interface PsaCompany {
  id: number
  name: string
}

/** A PSA catalog entry (ConnectWise catalog item, Autotask service, Halo item). */
export interface PsaProduct {
  id: number
  name: string
  identifier: string | null
  /** Catalog list price per unit, when the PSA has one; prices new-revenue lines. */
  unitPrice: number | null
}

/**
 * A billed recurring line: a ConnectWise agreement addition, an Autotask contract service
 * or a HaloPSA recurring-invoice line. Only active lines of active agreements are listed.
 */
export interface PsaLine {
  /** Addition id, contract-service id or recurring-invoice line id. */
  id: number
  /** Agreement id, contract id or recurring-invoice id. */
  agreementId: number
  agreementName: string
  companyId: number
  productId: number
  quantity: number
  lessIncluded: number
  unitPrice: number
  /** ISO 8601 time of the PSA's last change to the line, when the PSA reports one. */
  updatedAt: string | null
}

export type MatchedBy = 'exact' | 'manual'

/** A NinjaOne organization mapped to a PSA company (one to one). */
export interface AccountMapping {
  organizationId: number
  companyId: number
  matchedBy: MatchedBy
}

/** A NinjaOne service mapped to a PSA product; a product maps to one service only. */
export interface ServiceMapping {
  service: ServiceName
  productId: number
}

export const ITEM_STATUSES = [
  'match',
  'under-billed',
  'over-billed',
  'ambiguous',
  'new-revenue',
] as const

export type ItemStatus = (typeof ITEM_STATUSES)[number]

/** One reconciliation line: a mapped account × mapped service. */
export interface ReconciliationItem {
  /** Stable id `ORG_ID:SERVICE_KEY`, e.g. `1042:workstations`. */
  id: string
  organizationId: number
  organizationName: string
  companyId: number
  companyName: string
  service: ServiceName
  productId: number | null
  agreementId: number | null
  additionId: number | null
  vendorCount: number
  psaQuantity: number | null
  lessIncluded: number
  delta: number
  unitPrice: number
  monthlyImpact: number
  status: ItemStatus
  /** ISO 8601: the later of the count's sync time and the PSA line's change time. */
  lastUpdated: string
  /** Line ids when two or more lines could bill this service (status `ambiguous`). */
  candidateLineIds: number[]
}
