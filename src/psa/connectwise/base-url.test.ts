import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import { resolveConnectWiseBaseUrl } from './base-url.ts'

const NO_EXTRA_HOSTS = {}
const LOOPBACK_ENV = { MSP_RECON_ALLOWED_HOSTS: '127.0.0.1' }

function failureOf(resolve: () => unknown): AppError {
  try {
    resolve()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

describe('resolveConnectWiseBaseUrl with --site', () => {
  it('builds the cloud API URL', () => {
    const url = resolveConnectWiseBaseUrl({ site: 'api-na.myconnectwise.net' }, NO_EXTRA_HOSTS)

    expect(url.href).toBe('https://api-na.myconnectwise.net/v4_6_release/apis/3.0')
  })

  it('rejects a site with a scheme', () => {
    const error = failureOf(() =>
      resolveConnectWiseBaseUrl({ site: 'https://api-na.myconnectwise.net' }, NO_EXTRA_HOSTS),
    )

    expect(error.code).toBe('bad_request')
    expect(error.message).toContain('give the bare host name')
    expect(error.message).toContain('Use --api-url for a full URL')
  })

  it('rejects a site with a path', () => {
    const error = failureOf(() =>
      resolveConnectWiseBaseUrl({ site: 'api-na.myconnectwise.net/v4_6_release' }, NO_EXTRA_HOSTS),
    )

    expect(error.code).toBe('bad_request')
  })

  it('rejects an unlisted on-premises site', () => {
    const error = failureOf(() =>
      resolveConnectWiseBaseUrl({ site: 'cw.example-msp.com' }, NO_EXTRA_HOSTS),
    )

    expect(error.code).toBe('host_not_allowed')
    expect(error.message).toContain('MSP_RECON_ALLOWED_HOSTS')
  })

  it('accepts a listed on-premises site', () => {
    const env = { MSP_RECON_ALLOWED_HOSTS: 'cw.example-msp.com' }

    const url = resolveConnectWiseBaseUrl({ site: 'cw.example-msp.com' }, env)

    expect(url.href).toBe('https://cw.example-msp.com/v4_6_release/apis/3.0')
  })
})

describe('resolveConnectWiseBaseUrl with --api-url', () => {
  it('tolerates a trailing slash', () => {
    const url = resolveConnectWiseBaseUrl(
      { apiUrl: 'https://eu.myconnectwise.net/v2025_1/apis/3.0/' },
      NO_EXTRA_HOSTS,
    )

    expect(url.href).toBe('https://eu.myconnectwise.net/v2025_1/apis/3.0')
  })

  it('rejects a path without /apis/3.0', () => {
    const error = failureOf(() =>
      resolveConnectWiseBaseUrl({ apiUrl: 'https://api-na.myconnectwise.net/' }, NO_EXTRA_HOSTS),
    )

    expect(error.code).toBe('bad_request')
    expect(error.message).toContain('path ends with /apis/3.0')
    expect(error.message).toContain('https://api-na.myconnectwise.net/v4_6_release/apis/3.0')
  })

  it('rejects loopback unless listed', () => {
    const apiUrl = 'http://127.0.0.1:8788/v4_6_release/apis/3.0'

    const error = failureOf(() => resolveConnectWiseBaseUrl({ apiUrl }, NO_EXTRA_HOSTS))

    expect(error.code).toBe('host_not_allowed')
    expect(resolveConnectWiseBaseUrl({ apiUrl }, LOOPBACK_ENV).href).toBe(apiUrl)
  })

  it('rejects plain http to cloud hosts', () => {
    const error = failureOf(() =>
      resolveConnectWiseBaseUrl(
        { apiUrl: 'http://api-na.myconnectwise.net/v4_6_release/apis/3.0' },
        NO_EXTRA_HOSTS,
      ),
    )

    expect(error.code).toBe('host_not_allowed')
  })

  it('rejects look-alike hosts', () => {
    for (const host of ['myconnectwise.net.example.com', 'evilmyconnectwise.net']) {
      const error = failureOf(() =>
        resolveConnectWiseBaseUrl(
          { apiUrl: `https://${host}/v4_6_release/apis/3.0` },
          NO_EXTRA_HOSTS,
        ),
      )

      expect(error.code, host).toBe('host_not_allowed')
    }
  })

  it('rejects embedded credentials', () => {
    const error = failureOf(() =>
      resolveConnectWiseBaseUrl(
        { apiUrl: 'https://user:pass@api-na.myconnectwise.net/v4_6_release/apis/3.0' },
        NO_EXTRA_HOSTS,
      ),
    )

    expect(error.code).toBe('bad_request')
    expect(error.message).not.toContain('pass')
  })
})

describe('resolveConnectWiseBaseUrl inputs', () => {
  it('requires exactly one option', () => {
    const both = failureOf(() =>
      resolveConnectWiseBaseUrl(
        {
          site: 'api-na.myconnectwise.net',
          apiUrl: 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0',
        },
        NO_EXTRA_HOSTS,
      ),
    )
    const neither = failureOf(() => resolveConnectWiseBaseUrl({}, NO_EXTRA_HOSTS))

    expect(both.code).toBe('bad_request')
    expect(neither.code).toBe('bad_request')
    expect(neither.message).toContain('Give exactly one of --site')
  })
})
