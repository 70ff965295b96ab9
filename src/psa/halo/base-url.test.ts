import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import { isHaloHostedHost, resolveHaloBaseUrl } from './base-url.ts'

const NO_ALLOWED_HOSTS = {}
const LOOPBACK_ALLOWED = { MSP_RECON_ALLOWED_HOSTS: '127.0.0.1' }

function errorCode(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError'
  }
  return undefined
}

describe('isHaloHostedHost', () => {
  it('accepts hosted tenant subdomains', () => {
    expect(isHaloHostedHost('acme.halopsa.com')).toBe(true)
    expect(isHaloHostedHost('acme.haloitsm.com')).toBe(true)
    expect(isHaloHostedHost('ACME.HaloPSA.com')).toBe(true)
  })

  it('rejects look-alike and bare domains', () => {
    expect(isHaloHostedHost('halopsa.com')).toBe(false)
    expect(isHaloHostedHost('acme.halopsa.com.evil.example')).toBe(false)
    expect(isHaloHostedHost('evilhalopsa.com')).toBe(false)
  })
})

describe('resolveHaloBaseUrl', () => {
  it('strips a trailing /api', () => {
    const url = resolveHaloBaseUrl('https://acme.halopsa.com/api', NO_ALLOWED_HOSTS)
    expect(url.href).toBe('https://acme.halopsa.com/')
  })

  it('strips /api/ and keeps a path prefix', () => {
    const url = resolveHaloBaseUrl('https://halo.example.org/itsm/api/', {
      MSP_RECON_ALLOWED_HOSTS: 'halo.example.org',
    })
    expect(url.href).toBe('https://halo.example.org/itsm')
  })

  it('accepts a bare tenant URL', () => {
    expect(resolveHaloBaseUrl('https://acme.haloitsm.com', NO_ALLOWED_HOSTS).href).toBe(
      'https://acme.haloitsm.com/',
    )
  })

  it('requires https for hosted tenants', () => {
    const code = errorCode(() => resolveHaloBaseUrl('http://acme.halopsa.com', NO_ALLOWED_HOSTS))
    expect(code).toBe('host_not_allowed')
  })

  it('rejects an unlisted self-hosted host', () => {
    const code = errorCode(() => resolveHaloBaseUrl('https://halo.example.org', NO_ALLOWED_HOSTS))
    expect(code).toBe('host_not_allowed')
  })

  it('accepts a listed loopback fake', () => {
    const url = resolveHaloBaseUrl('http://127.0.0.1:8790/api', LOOPBACK_ALLOWED)
    expect(url.href).toBe('http://127.0.0.1:8790/')
  })

  it('rejects a query string', () => {
    const code = errorCode(() => resolveHaloBaseUrl('https://acme.halopsa.com/api?x=1', {}))
    expect(code).toBe('bad_request')
  })

  it('rejects a value that is no URL', () => {
    expect(errorCode(() => resolveHaloBaseUrl('acme.halopsa.com', NO_ALLOWED_HOSTS))).toBe(
      'bad_request',
    )
  })
})
