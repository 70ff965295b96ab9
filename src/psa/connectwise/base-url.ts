import { AppError } from '../../errors.ts'
import { parseAllowedUrl } from '../../net/allowed-hosts.ts'

const VENDOR = 'ConnectWise PSA'
const API_PATH = '/v4_6_release/apis/3.0'
const BARE_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i

/**
 * Returns whether `host` is a ConnectWise cloud host (`myconnectwise.net` or a subdomain),
 * which needs no entry in MSP_RECON_ALLOWED_HOSTS.
 */
export function isConnectWiseCloudHost(host: string): boolean {
  return host === 'myconnectwise.net' || host.endsWith('.myconnectwise.net')
}

/**
 * Builds the REST base URL (ending in `/apis/3.0`) from either `--site` (a bare host such as
 * `api-na.myconnectwise.net`) or `--api-url` (a full URL). Exactly one must be given.
 * Throws `bad_request` for a malformed value and `host_not_allowed` for a host outside
 * `*.myconnectwise.net` that MSP_RECON_ALLOWED_HOSTS does not list.
 */
export function resolveConnectWiseBaseUrl(
  input: { site?: string; apiUrl?: string },
  env: NodeJS.ProcessEnv = process.env,
): URL {
  const site = input.site?.trim() || undefined
  const apiUrl = input.apiUrl?.trim() || undefined
  if ((site === undefined) === (apiUrl === undefined)) {
    throw new AppError(
      'bad_request',
      'Give exactly one of --site (e.g. api-na.myconnectwise.net) or --api-url ' +
        `(e.g. https://api-na.myconnectwise.net${API_PATH}).`,
    )
  }
  return site !== undefined ? urlFromSite(site, env) : urlFromApiUrl(apiUrl as string, env)
}

function urlFromSite(site: string, env: NodeJS.ProcessEnv): URL {
  if (!BARE_HOST.test(site)) {
    throw new AppError(
      'bad_request',
      `Invalid site (--site) "${site}": give the bare host name, e.g. api-na.myconnectwise.net, ` +
        'without a scheme or path. Use --api-url for a full URL.',
    )
  }
  const options = { vendor: VENDOR, isDefaultHost: isConnectWiseCloudHost, flag: 'site (--site)' }
  return parseAllowedUrl(`https://${site}${API_PATH}`, options, env)
}

function urlFromApiUrl(apiUrl: string, env: NodeJS.ProcessEnv): URL {
  const options = {
    vendor: VENDOR,
    isDefaultHost: isConnectWiseCloudHost,
    flag: 'API URL (--api-url)',
  }
  const url = parseAllowedUrl(apiUrl, options, env)
  const path = url.pathname.replace(/\/+$/, '')
  if (!path.endsWith('/apis/3.0') || url.search !== '' || url.hash !== '') {
    throw new AppError(
      'bad_request',
      `Invalid API URL (--api-url) "${apiUrl}": expected a URL whose path ends with /apis/3.0 and that ` +
        `has no query, e.g. https://api-na.myconnectwise.net${API_PATH}.`,
    )
  }
  url.pathname = path
  return url
}
