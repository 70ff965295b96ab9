import { AppError } from '../../errors.ts'
import { parseAllowedUrl } from '../../net/allowed-hosts.ts'

/** NinjaOne instance URLs by region name. Each instance serves the token endpoint and the API. */
export const NINJA_REGIONS = {
  us: 'https://app.ninjarmm.com',
  us2: 'https://us2.ninjarmm.com',
  ca: 'https://ca.ninjarmm.com',
  eu: 'https://eu.ninjarmm.com',
  oc: 'https://oc.ninjarmm.com',
} as const

/** A NinjaOne region name, e.g. `eu`. */
export type NinjaRegion = keyof typeof NINJA_REGIONS

const REGION_NAMES = Object.keys(NINJA_REGIONS) as NinjaRegion[]

const REGION_BY_HOST = new Map<string, NinjaRegion>(
  REGION_NAMES.map((region) => [new URL(NINJA_REGIONS[region]).hostname, region]),
)

/** Returns the region whose instance is `host` (case-insensitive), or undefined for others. */
export function regionOfHost(host: string): NinjaRegion | undefined {
  return REGION_BY_HOST.get(host.toLowerCase())
}

/** A NinjaOne instance given by region name or by API URL, exactly one of the two. */
export interface NinjaLocation {
  region?: string
  apiUrl?: string
}

/**
 * Resolves the base URL of a NinjaOne instance from a region name or from an API URL.
 * An API URL must pass the allowed-host check. A trailing `/api`, `/v2` or `/api/v2` is
 * removed, so users may paste the URL of either the instance or its API.
 */
export function resolveNinjaBaseUrl(
  input: NinjaLocation,
  env: NodeJS.ProcessEnv = process.env,
): URL {
  const region = input.region?.trim() || undefined
  const apiUrl = input.apiUrl?.trim() || undefined
  if (region !== undefined && apiUrl !== undefined) {
    throw new AppError('bad_request', 'Give either a NinjaOne region or --api-url, not both.', {
      region,
      apiUrl,
    })
  }
  if (region !== undefined) return regionBaseUrl(region)
  if (apiUrl !== undefined) return apiBaseUrl(apiUrl, env)
  throw new AppError(
    'bad_request',
    `Missing NinjaOne location. Give a region (${REGION_NAMES.join(', ')}) or --api-url.`,
  )
}

function regionBaseUrl(name: string): URL {
  const region = REGION_NAMES.find((candidate) => candidate === name.toLowerCase())
  if (region === undefined) {
    throw new AppError(
      'bad_request',
      `Unknown NinjaOne region "${name}". Use one of: ${REGION_NAMES.join(', ')}.`,
      { region: name },
    )
  }
  return new URL(NINJA_REGIONS[region])
}

function apiBaseUrl(raw: string, env: NodeJS.ProcessEnv): URL {
  const url = parseAllowedUrl(
    raw,
    {
      vendor: 'NinjaOne',
      isDefaultHost: (host) => REGION_BY_HOST.has(host),
      flag: 'API URL (--api-url)',
    },
    env,
  )
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/(?:\/api)?(?:\/v2)?$/i, '') || '/'
  url.search = ''
  url.hash = ''
  return url
}
