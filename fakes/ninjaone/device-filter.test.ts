import { describe, expect, it } from 'vitest'
import { DeviceFilterError, type FilterableDevice, parseDeviceFilter } from './device-filter.ts'

const server: FilterableDevice = {
  id: 7,
  organizationId: 12,
  locationId: 121,
  nodeRoleId: 1,
  nodeClass: 'WINDOWS_SERVER',
  approvalStatus: 'APPROVED',
  offline: false,
  created: Date.UTC(2024, 5, 1) / 1000,
}
const pendingMac: FilterableDevice = {
  ...server,
  id: 8,
  organizationId: 30,
  locationId: 302,
  nodeRoleId: 4,
  nodeClass: 'MAC',
  approvalStatus: 'PENDING',
  offline: true,
  created: Date.UTC(2023, 0, 1) / 1000,
}

describe('parseDeviceFilter', () => {
  const cases: Array<[string, boolean, boolean]> = [
    ['', true, true],
    ['   ', true, true],
    ['org = 12', true, false],
    ['org=12', true, false],
    ['org eq 30', false, true],
    ['ORG EQ 30', false, true],
    ['org != 12', false, true],
    ['org neq 12', false, true],
    ['org in (12, 30)', true, true],
    ['org notin (12)', false, true],
    ['org nin (30)', true, false],
    ['loc = 302', false, true],
    ['role in (1,2,3)', true, false],
    ['id = 8', false, true],
    ['class = MAC', false, true],
    ['class eq windows_server', true, false],
    ['class in (WINDOWS_SERVER,MAC)', true, true],
    ['status = PENDING', false, true],
    ['status eq approved', true, false],
    ['online', true, false],
    ['offline', false, true],
    ['created after 2024-01-01', true, false],
    ['created before 2024-01-01', false, true],
    ['class = MAC AND offline', false, true],
    ['org in (12,30) and status = APPROVED and online', true, false],
  ]

  it('matches devices per clause', () => {
    for (const [filter, matchesServer, matchesMac] of cases) {
      const predicate = parseDeviceFilter(filter)
      expect(predicate(server), `${filter} on server`).toBe(matchesServer)
      expect(predicate(pendingMac), `${filter} on mac`).toBe(matchesMac)
    }
  })

  it('rejects unparseable filters', () => {
    const invalid = [
      'bogus',
      'org = abc',
      'org = -1',
      'colour = red',
      'status = LOST',
      'class = MAC-OS',
      'org in (1,2',
      'org = 12 AND',
      'org = 12 OR org = 30',
      'created after yesterday',
    ]
    for (const filter of invalid) {
      expect(() => parseDeviceFilter(filter), filter).toThrow(DeviceFilterError)
    }
  })

  it('names the invalid clause', () => {
    expect(() => parseDeviceFilter('org = 12 AND tagId = 5')).toThrow(/"tagId"/)
  })
})
