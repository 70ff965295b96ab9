import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import {
  deviceListSchema,
  formatIssuePath,
  parseResponse,
  roleListSchema,
  tokenResponseSchema,
  toVendorDevice,
  toVendorRole,
} from './schemas.ts'

const devicesEndpoint = { entity: 'device', endpoint: '/v2/devices' }

function device(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    organizationId: 7,
    nodeClass: 'WINDOWS_WORKSTATION',
    displayName: `PC-${id}`,
    ...extra,
  }
}

function parseError(body: unknown): AppError {
  try {
    parseResponse(deviceListSchema, body, devicesEndpoint)
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError, but the body was accepted')
}

describe('parseResponse', () => {
  it('names endpoint and field path', () => {
    const body = [device(1), device(2), device(3), device(4, { organizationId: '7' })]
    const error = parseError(body)
    expect(error.code).toBe('invalid_response')
    expect(error.message).toBe(
      'NinjaOne returned an invalid device at /v2/devices: ' +
        '[3].organizationId expected number, received string.',
    )
    expect(error.details).toMatchObject({ endpoint: '/v2/devices', path: '[3].organizationId' })
  })

  it('reports a missing required field', () => {
    const error = parseError([{ id: 1, nodeClass: 'MAC' }])
    expect(error.message).toContain('[0].organizationId expected number, received undefined')
  })

  it('rejects a body that is not an array', () => {
    const error = parseError({ devices: [] })
    expect(error.message).toBe(
      'NinjaOne returned an invalid device at /v2/devices: expected array, received object.',
    )
  })

  it('tolerates unknown fields and classes', () => {
    const body = [device(1, { nodeClass: 'QUANTUM_TOASTER', tags: ['x'], references: {} })]
    const [parsed] = parseResponse(deviceListSchema, body, devicesEndpoint)
    expect(parsed?.nodeClass).toBe('QUANTUM_TOASTER')
    expect(parsed).not.toHaveProperty('tags')
  })

  it('accepts null optional fields', () => {
    const body = [
      {
        id: 1,
        organizationId: 2,
        nodeClass: null,
        nodeRoleId: null,
        displayName: null,
        systemName: null,
        approvalStatus: null,
        offline: null,
        lastContact: null,
      },
    ]
    expect(parseResponse(deviceListSchema, body, devicesEndpoint)).toHaveLength(1)
  })

  it('keeps the token value out of messages', () => {
    const response = { access_token: 'tok-SECRET-123', token_type: 'Bearer', expires_in: 'soon' }
    const source = { entity: 'token response', endpoint: '/ws/oauth/token' }
    let message = ''
    try {
      parseResponse(tokenResponseSchema, response, source)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('expires_in expected number')
    expect(message).not.toContain('tok-SECRET-123')
  })
})

describe('formatIssuePath', () => {
  it('formats indexes and keys', () => {
    expect(formatIssuePath([3, 'organizationId'])).toBe('[3].organizationId')
    expect(formatIssuePath(['references', 'role', 'id'])).toBe('references.role.id')
    expect(formatIssuePath([])).toBe('')
  })
})

describe('domain mapping', () => {
  it('falls back to the system name', () => {
    const [parsed] = parseResponse(
      deviceListSchema,
      [device(5, { displayName: '', systemName: 'srv-05', lastContact: 1760000000.5 })],
      devicesEndpoint,
    )
    expect(toVendorDevice(parsed!)).toEqual({
      id: 5,
      organizationId: 7,
      nodeClass: 'WINDOWS_WORKSTATION',
      nodeRoleId: null,
      displayName: 'srv-05',
      approvalStatus: null,
      offline: null,
      lastContact: 1760000000.5,
    })
  })

  it('prefers the display name', () => {
    const [parsed] = parseResponse(
      deviceListSchema,
      [device(6, { displayName: 'Front desk', systemName: 'DESK-06' })],
      devicesEndpoint,
    )
    expect(toVendorDevice(parsed!).displayName).toBe('Front desk')
  })

  it('maps the parent role id', () => {
    const body = [
      { id: 10, name: 'Windows Desktop', nodeClass: 'WINDOWS_WORKSTATION', custom: false },
      {
        id: 11,
        name: 'Kiosk',
        nodeClass: 'WINDOWS_WORKSTATION',
        custom: true,
        nodeRoleParentId: 10,
      },
    ]
    const roles = parseResponse(roleListSchema, body, { entity: 'role', endpoint: '/v2/roles' })
    expect(roles.map(toVendorRole)).toEqual([
      {
        id: 10,
        name: 'Windows Desktop',
        nodeClass: 'WINDOWS_WORKSTATION',
        custom: false,
        parentId: null,
      },
      { id: 11, name: 'Kiosk', nodeClass: 'WINDOWS_WORKSTATION', custom: true, parentId: 10 },
    ])
  })
})
