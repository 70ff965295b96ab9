/** Joins the vendor definitions with the integrations the server stores. */
import type { Integration, IntegrationStatus } from '../api/types.ts'
import { VENDORS, type VendorDefinition } from './vendors.ts'

/** A vendor card's data: the definition, the stored integration and its status. */
export interface VendorState {
  vendor: VendorDefinition
  integration: Integration | undefined
  status: IntegrationStatus
}

/** Lists every vendor with its integration; absent integrations count as `disconnected`. */
export function vendorStates(integrations: Integration[]): VendorState[] {
  return VENDORS.map((vendor) => {
    const integration = integrations.find((candidate) => candidate.kind === vendor.kind)
    return { vendor, integration, status: integration?.status ?? 'disconnected' }
  })
}

/** Returns the connected PSA (any status but `disconnected`), if there is one. */
export function connectedPsa(integrations: Integration[] | undefined): Integration | undefined {
  return integrations?.find(
    (integration) => integration.role === 'psa' && integration.status !== 'disconnected',
  )
}
