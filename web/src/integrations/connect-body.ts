/** Builds the JSON body of `POST /api/integrations/:kind/connect` from form values. */
import type { IntegrationKind } from '../api/types.ts'
import { NINJA_REGIONS, type VendorDefinition } from './vendors.ts'

/** Form values by field name. */
export type FormValues = Record<string, string>

/** Returns the region whose URL is exactly `url` (ignoring a trailing slash), if any. */
export function regionOfUrl(url: string): string | null {
  const trimmed = url.trim().replace(/\/+$/, '')
  return NINJA_REGIONS.find((region) => region.url === trimmed)?.value ?? null
}

function ninjaBody(values: FormValues): Record<string, unknown> {
  // The API takes a region or an API URL but not both, so a known region's URL goes as a region.
  const region = regionOfUrl(values.apiUrl ?? '')
  const location = region ? { region } : { apiUrl: values.apiUrl?.trim() }
  return { ...location, clientId: values.clientId?.trim(), clientSecret: values.clientSecret }
}

function connectWiseBody(values: FormValues): Record<string, unknown> {
  const { apiUrl = '', ...rest } = values
  // A bare host name is a cloud site, and anything with a scheme is the REST URL itself.
  const location = apiUrl.includes('://') ? { apiUrl: apiUrl.trim() } : { site: apiUrl.trim() }
  return { ...rest, ...location }
}

/** Builds the request body; optional fields left empty are omitted. */
export function connectBody(
  vendor: VendorDefinition,
  values: FormValues,
  replace: boolean,
): Record<string, unknown> {
  const filled: FormValues = {}
  for (const [name, value] of Object.entries(values)) {
    if (value.trim() !== '') filled[name] = value
  }
  const bodies: Record<IntegrationKind, (input: FormValues) => Record<string, unknown>> = {
    ninjaone: ninjaBody,
    connectwise: connectWiseBody,
    autotask: (input) => input,
    halo: (input) => input,
  }
  const body = bodies[vendor.kind](filled)
  return vendor.role === 'psa' && replace ? { ...body, replace: true } : body
}

/** Returns the labels of required fields that are still empty. */
export function missingFields(vendor: VendorDefinition, values: FormValues): string[] {
  const fields = [...vendor.fields]
  if (vendor.kind === 'ninjaone') fields.unshift({ name: 'apiUrl', label: 'API URL' })
  return fields
    .filter((field) => !field.optional && (values[field.name] ?? '').trim() === '')
    .map((field) => field.label)
}
