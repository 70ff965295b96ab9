import { AppError } from '../errors.ts'

/** Reads `MSP_RECON_ALLOWED_HOSTS`: comma-separated `host` or `host:port` entries. */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.MSP_RECON_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0)
}

function listedExplicitly(url: URL, allowed: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return allowed.some((entry) => {
    const bracketed = entry.match(/^\[([^\]]+)\](?::(\d+))?$/)
    const [entryHost, entryPort] = bracketed
      ? [bracketed[1], bracketed[2]]
      : entry.includes(':') && entry.indexOf(':') === entry.lastIndexOf(':')
        ? entry.split(':')
        : [entry, undefined]
    return entryHost === host && (entryPort === undefined || entryPort === port)
  })
}

/**
 * Parses an API base URL and rejects it unless its host is a vendor default (HTTPS only) or
 * is listed in `MSP_RECON_ALLOWED_HOSTS`. This guards against sending credentials to an
 * arbitrary host (SSRF) when a URL comes from user input.
 */
export function parseAllowedUrl(
  raw: string,
  options: { vendor: string; isDefaultHost: (host: string) => boolean; flag: string },
  env: NodeJS.ProcessEnv = process.env,
): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new AppError('bad_request', `Invalid ${options.flag} "${raw}": not an absolute URL.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('bad_request', `Invalid ${options.flag} "${raw}": use https.`)
  }
  if (url.username || url.password) {
    throw new AppError('bad_request', `Invalid ${options.flag}: it must not contain credentials.`)
  }
  if (listedExplicitly(url, allowedHostsFromEnv(env))) return url
  if (url.protocol === 'https:' && options.isDefaultHost(url.hostname.toLowerCase())) return url
  throw new AppError(
    'host_not_allowed',
    `Host ${url.host} is not an allowed ${options.vendor} API host. Use a documented ` +
      `${options.vendor} host over https, or add it to MSP_RECON_ALLOWED_HOSTS.`,
    { host: url.host },
  )
}
