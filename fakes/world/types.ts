/**
 * A deterministic MSP world shared by every fake: NinjaOne organizations, roles and devices,
 * and PSA-neutral companies, catalog and contracts that each PSA fake renders in its own
 * API shapes.
 */

export interface WorldOrganization {
  id: number
  name: string
}

export interface WorldRole {
  id: number
  name: string
  nodeClass: string
  custom: boolean
  /** Built-in role a custom role derives from; null for built-in roles. */
  parentId: number | null
}

export interface WorldDevice {
  id: number
  organizationId: number
  /** Null on a few devices, so classification must fall back to the role. */
  nodeClass: string | null
  nodeRoleId: number
  displayName: string
  approvalStatus: 'APPROVED' | 'PENDING'
  offline: boolean
  /** Epoch seconds. */
  created: number
  lastContact: number
}

export interface WorldCompany {
  id: number
  name: string
  /** Inactive companies and non-customers must be ignored by adapters. */
  active: boolean
  customer: boolean
}

export interface WorldProduct {
  id: number
  /** Catalog identifier, e.g. `NINJA-WKS`. */
  identifier: string
  name: string
  /** The NinjaOne service this product is meant to bill, or null for unrelated products. */
  service: string | null
  unitPrice: number
}

export interface WorldLine {
  id: number
  productId: number
  quantity: number
  lessIncluded: number
  unitPrice: number
  /** ISO 8601; a cancelled line must be ignored. */
  cancelledDate: string | null
  /** ISO 8601 time of the last change. */
  updatedAt: string
}

export interface WorldContract {
  id: number
  companyId: number
  name: string
  active: boolean
  lines: WorldLine[]
}

export interface World {
  seed: number
  organizations: WorldOrganization[]
  roles: WorldRole[]
  devices: WorldDevice[]
  companies: WorldCompany[]
  products: WorldProduct[]
  contracts: WorldContract[]
}

export interface WorldOptions {
  seed: number
  /** Total devices across all organizations. */
  devices: number
  organizations: number
}
