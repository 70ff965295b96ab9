/** The zone lookup URL and the API base URL it returns, both checked against the host rule. */
import { parseAllowedUrl } from '../../net/allowed-hosts.ts'

/** The zone lookup that every Autotask tenant shares. It returns the tenant's own API host. */
export const AUTOTASK_DEFAULT_ZONE_URL = 'https://webservices.autotask.net/atservicesrest/'

const VENDOR = 'Autotask'
const AUTOTASK_HOST = /^webservices\d*\.autotask\.net$/

/** Returns whether `host` is an Autotask host such as `webservices5.autotask.net`. */
export function isAutotaskHost(host: string): boolean {
  return AUTOTASK_HOST.test(host)
}

/**
 * Parses the zone lookup URL (default {@link AUTOTASK_DEFAULT_ZONE_URL}). Accepts Autotask
 * hosts over HTTPS and hosts listed in MSP_RECON_ALLOWED_HOSTS. Throws `host_not_allowed`
 * for any other host and `bad_request` for a malformed URL. The result ends with `/`.
 */
export function resolveAutotaskZoneUrl(
  zoneUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): URL {
  const raw = zoneUrl?.trim() || AUTOTASK_DEFAULT_ZONE_URL
  return withTrailingSlash(
    parseAllowedUrl(
      raw,
      { vendor: VENDOR, isDefaultHost: isAutotaskHost, flag: 'zone URL (--zone-url)' },
      env,
    ),
  )
}

/**
 * Checks the `url` of a zone lookup response under the same host rule, so a tampered or
 * misdirected response cannot send the credentials elsewhere (SSRF). Returns the API base,
 * `url + 'v1.0/'`.
 */
export function apiBaseFromZone(zoneApiUrl: string, env: NodeJS.ProcessEnv = process.env): URL {
  const options = { vendor: VENDOR, isDefaultHost: isAutotaskHost, flag: 'zone lookup response' }
  const url = withTrailingSlash(parseAllowedUrl(zoneApiUrl, options, env))
  return new URL('v1.0/', url)
}

function withTrailingSlash(url: URL): URL {
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`
  return url
}
