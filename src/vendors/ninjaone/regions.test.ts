import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import { NINJA_REGIONS, regionOfHost, resolveNinjaBaseUrl } from './regions.ts'

const loopbackEnv = { MSP_RECON_ALLOWED_HOSTS: '127.0.0.1' }
const noAllowedHosts = {}

function errorOf(action: () => unknown): AppError {
  try {
    action()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError, but nothing was thrown')
}

describe('resolveNinjaBaseUrl with a region', () => {
  it('maps every region to its host', () => {
    for (const [region, origin] of Object.entries(NINJA_REGIONS)) {
      expect(resolveNinjaBaseUrl({ region }, noAllowedHosts).origin).toBe(origin)
    }
  })

  it('accepts region names in any case', () => {
    expect(resolveNinjaBaseUrl({ region: 'EU' }, noAllowedHosts).href).toBe(
      'https://eu.ninjarmm.com/',
    )
    expect(resolveNinjaBaseUrl({ region: ' Us2 ' }, noAllowedHosts).host).toBe('us2.ninjarmm.com')
  })

  it('rejects an unknown region', () => {
    const error = errorOf(() => resolveNinjaBaseUrl({ region: 'xx' }, noAllowedHosts))
    expect(error.code).toBe('bad_request')
    expect(error.message).toBe('Unknown NinjaOne region "xx". Use one of: us, us2, ca, eu, oc.')
  })

  it('rejects region and URL together', () => {
    const input = { region: 'eu', apiUrl: 'https://eu.ninjarmm.com' }
    const error = errorOf(() => resolveNinjaBaseUrl(input, noAllowedHosts))
    expect(error.code).toBe('bad_request')
    expect(error.message).toContain('not both')
  })

  it('rejects a missing location', () => {
    const error = errorOf(() => resolveNinjaBaseUrl({ region: ' ', apiUrl: '' }, noAllowedHosts))
    expect(error.code).toBe('bad_request')
    expect(error.message).toContain('Missing NinjaOne location')
  })
})

describe('resolveNinjaBaseUrl with an API URL', () => {
  it('strips trailing /api and /v2', () => {
    const cases = {
      'https://eu.ninjarmm.com': 'https://eu.ninjarmm.com/',
      'https://eu.ninjarmm.com/': 'https://eu.ninjarmm.com/',
      'https://eu.ninjarmm.com/api': 'https://eu.ninjarmm.com/',
      'https://eu.ninjarmm.com/api/': 'https://eu.ninjarmm.com/',
      'https://eu.ninjarmm.com/v2/': 'https://eu.ninjarmm.com/',
      'https://eu.ninjarmm.com/api/v2': 'https://eu.ninjarmm.com/',
      'https://EU.ninjarmm.com/API/V2?x=1': 'https://eu.ninjarmm.com/',
    }
    for (const [apiUrl, expected] of Object.entries(cases)) {
      expect(resolveNinjaBaseUrl({ apiUrl }, noAllowedHosts).href, apiUrl).toBe(expected)
    }
  })

  it('keeps a proxy path prefix', () => {
    const url = resolveNinjaBaseUrl({ apiUrl: 'http://127.0.0.1:8080/ninja/api' }, loopbackEnv)
    expect(url.href).toBe('http://127.0.0.1:8080/ninja')
  })

  it('accepts an allowed loopback host', () => {
    const url = resolveNinjaBaseUrl({ apiUrl: 'http://127.0.0.1:41234/api/' }, loopbackEnv)
    expect(url.href).toBe('http://127.0.0.1:41234/')
  })

  it('rejects a host not allowed', () => {
    const error = errorOf(() =>
      resolveNinjaBaseUrl({ apiUrl: 'https://ninjarmm.example.com/api' }, loopbackEnv),
    )
    expect(error.code).toBe('host_not_allowed')
    expect(error.message).toContain('ninjarmm.example.com')
    expect(error.message).toContain('MSP_RECON_ALLOWED_HOSTS')
  })

  it('rejects plain http to a region host', () => {
    const error = errorOf(() =>
      resolveNinjaBaseUrl({ apiUrl: 'http://eu.ninjarmm.com' }, noAllowedHosts),
    )
    expect(error.code).toBe('host_not_allowed')
  })

  it('rejects a relative URL', () => {
    const error = errorOf(() => resolveNinjaBaseUrl({ apiUrl: 'eu.ninjarmm.com' }, noAllowedHosts))
    expect(error.code).toBe('bad_request')
    expect(error.message).toContain('--api-url')
  })
})

describe('regionOfHost', () => {
  it('names the region of a host', () => {
    expect(regionOfHost('app.ninjarmm.com')).toBe('us')
    expect(regionOfHost('OC.ninjarmm.com')).toBe('oc')
  })

  it('returns undefined for other hosts', () => {
    expect(regionOfHost('127.0.0.1')).toBeUndefined()
    expect(regionOfHost('ninjarmm.com')).toBeUndefined()
  })
})
