import { AppError } from '../../errors.ts'
import { parseAllowedUrl } from '../../net/allowed-hosts.ts'

const VENDOR = 'HaloPSA'
// Halo hosts cloud tenants as subdomains, e.g. acme.halopsa.com or acme.haloitsm.com.
const HOSTED_DOMAINS = ['halopsa.com', 'haloitsm.com']

/** Returns whether `host` is a Halo-hosted tenant, which needs no MSP_RECON_ALLOWED_HOSTS entry. */
export function isHaloHostedHost(host: string): boolean {
  const lower = host.toLowerCase()
  return HOSTED_DOMAINS.some((domain) => lower.endsWith(`.${domain}`))
}

/**
 * Parses a Halo URL and applies the host rule: Halo-hosted tenants over https, any other
 * host (self-hosted tenants, the fake) only when MSP_RECON_ALLOWED_HOSTS lists it.
 * `label` names the value in error messages, e.g. `--api-url`.
 */
export function parseHaloUrl(raw: string, label: string, env: NodeJS.ProcessEnv): URL {
  return parseAllowedUrl(raw, { vendor: VENDOR, isDefaultHost: isHaloHostedHost, flag: label }, env)
}

/**
 * Returns the tenant base URL (without `/api`) of a HaloPSA URL such as
 * `https://acme.halopsa.com/api`. Throws `bad_request` for a malformed value and
 * `host_not_allowed` for a host the rule of {@link parseHaloUrl} rejects.
 */
export function resolveHaloBaseUrl(apiUrl: string, env: NodeJS.ProcessEnv = process.env): URL {
  const url = parseHaloUrl(apiUrl.trim(), 'API URL (--api-url)', env)
  if (url.search !== '' || url.hash !== '') {
    throw new AppError(
      'bad_request',
      `Invalid API URL (--api-url) "${apiUrl}": give the tenant URL without a query or fragment, ` +
        'e.g. https://acme.halopsa.com.',
    )
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/i, '')
  url.pathname = path === '' ? '/' : path
  return url
}
