/** The vendors the UI can connect, with the fields of each connect form. */
import type { IntegrationKind } from '../api/types.ts'

/** One input of a connect form; `name` is the request body key. */
export interface CredentialField {
  name: string
  label: string
  /** Secrets use a masked input and are never shown again after connecting. */
  secret?: boolean
  optional?: boolean
  placeholder?: string
  description?: string
}

/** A vendor card and its connect form. */
export interface VendorDefinition {
  kind: IntegrationKind
  name: string
  role: 'vendor' | 'psa'
  description: string
  fields: CredentialField[]
}

/** NinjaOne instances by region, as the region picker offers them. */
export const NINJA_REGIONS = [
  { value: 'us', label: 'US', url: 'https://app.ninjarmm.com' },
  { value: 'ca', label: 'Canada', url: 'https://ca.ninjarmm.com' },
  { value: 'eu', label: 'EMEA', url: 'https://eu.ninjarmm.com' },
  { value: 'oc', label: 'APAC', url: 'https://oc.ninjarmm.com' },
] as const

/** Every vendor in display order: the RMM first, then the PSAs. */
export const VENDORS: readonly VendorDefinition[] = [
  {
    kind: 'ninjaone',
    name: 'NinjaOne',
    role: 'vendor',
    description: 'Every device of every organization is counted into billing services.',
    fields: [
      { name: 'clientId', label: 'Client ID' },
      { name: 'clientSecret', label: 'Client Secret', secret: true },
    ],
  },
  {
    kind: 'connectwise',
    name: 'ConnectWise PSA',
    role: 'psa',
    description: 'Agreement additions are the billed lines; approved counts update them.',
    fields: [
      {
        name: 'apiUrl',
        label: 'Site or API URL',
        placeholder: 'na.myconnectwise.net',
        description: 'A cloud site name, or the full REST URL of an on-premises server.',
      },
      { name: 'companyId', label: 'Company ID' },
      { name: 'publicKey', label: 'Public key' },
      { name: 'privateKey', label: 'Private key', secret: true },
      {
        name: 'clientId',
        label: 'Client ID',
        description: 'From the ConnectWise developer portal.',
      },
    ],
  },
  {
    kind: 'autotask',
    name: 'Autotask',
    role: 'psa',
    description: 'Contract services are the billed lines; approved counts update their units.',
    fields: [
      { name: 'username', label: 'API username' },
      { name: 'integrationCode', label: 'Integration code' },
      { name: 'secret', label: 'Secret', secret: true },
      {
        name: 'zoneUrl',
        label: 'Zone URL',
        optional: true,
        description: 'Leave empty to look the zone up from the username.',
      },
    ],
  },
  {
    kind: 'halo',
    name: 'HaloPSA',
    role: 'psa',
    description: 'Recurring invoice lines are the billed lines; approved counts update them.',
    fields: [
      { name: 'apiUrl', label: 'API URL', placeholder: 'https://yourcompany.halopsa.com/api' },
      { name: 'clientId', label: 'Client ID' },
      { name: 'clientSecret', label: 'Client Secret', secret: true },
    ],
  },
]

/** Returns the definition of `kind`; undefined for an unknown kind from a URL. */
export function findVendor(kind: string | undefined): VendorDefinition | undefined {
  return VENDORS.find((vendor) => vendor.kind === kind)
}
