import { describe, expect, it } from 'vitest'
import { AUTOTASK_DEFAULT_ZONE_URL, apiBaseFromZone, resolveAutotaskZoneUrl } from './zone.ts'

const NO_HOSTS = {}

describe('resolveAutotaskZoneUrl', () => {
  it('defaults to the shared lookup', () => {
    expect(resolveAutotaskZoneUrl(undefined, NO_HOSTS).href).toBe(AUTOTASK_DEFAULT_ZONE_URL)
    expect(resolveAutotaskZoneUrl('  ', NO_HOSTS).href).toBe(AUTOTASK_DEFAULT_ZONE_URL)
  })

  it('accepts numbered Autotask hosts', () => {
    const url = resolveAutotaskZoneUrl(
      'https://webservices14.autotask.net/ATServicesRest',
      NO_HOSTS,
    )
    expect(url.href).toBe('https://webservices14.autotask.net/ATServicesRest/')
  })

  it('rejects other hosts and plain http', () => {
    for (const raw of [
      'https://webservices.autotask.net.attacker.example/atservicesrest/',
      'https://autotask.net/atservicesrest/',
      'http://webservices5.autotask.net/atservicesrest/',
      'http://127.0.0.1:8789/atservicesrest/',
    ]) {
      expect(() => resolveAutotaskZoneUrl(raw, NO_HOSTS), raw).toThrow(
        expect.objectContaining({ code: 'host_not_allowed' }),
      )
    }
  })

  it('rejects malformed URLs', () => {
    expect(() => resolveAutotaskZoneUrl('webservices.autotask.net', NO_HOSTS)).toThrow(
      expect.objectContaining({ code: 'bad_request' }),
    )
  })

  it('accepts hosts the environment allows', () => {
    const env = { MSP_RECON_ALLOWED_HOSTS: '127.0.0.1' }
    const url = resolveAutotaskZoneUrl('http://127.0.0.1:8789/atservicesrest/', env)
    expect(url.href).toBe('http://127.0.0.1:8789/atservicesrest/')
  })
})

describe('apiBaseFromZone', () => {
  it('appends the API version', () => {
    const base = apiBaseFromZone('https://webservices5.autotask.net/atservicesrest', NO_HOSTS)
    expect(base.href).toBe('https://webservices5.autotask.net/atservicesrest/v1.0/')
  })

  it('rejects a foreign zone response', () => {
    expect(() => apiBaseFromZone('https://169.254.169.254/atservicesrest/', NO_HOSTS)).toThrow(
      expect.objectContaining({ code: 'host_not_allowed' }),
    )
  })
})
