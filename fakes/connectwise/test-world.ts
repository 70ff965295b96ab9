/** Small hand-built worlds for the ConnectWise PSA fake and adapter tests. */
import type { World, WorldCompany } from '../world/types.ts'

/** Credentials the test fakes accept. */
export const TEST_CREDENTIALS = {
  companyId: 'acme-msp',
  publicKey: 'test-public',
  privateKey: 'test-private-key-never-shown',
  clientId: '11111111-2222-4333-8444-555555555555',
}

const UPDATED = '2025-03-01T10:00:00Z'

/**
 * Five companies (one deleted, one prospect, one vendor), three products and three
 * agreements. Agreement 100 has an active line (1000), a line cancelled in the past (1001)
 * and one cancelled in the future (1002). Agreement 102 is cancelled.
 */
export function smallWorld(): World {
  return {
    seed: 1,
    organizations: [],
    roles: [],
    devices: [],
    companies: [
      { id: 1, name: 'Acme Dental', active: true, customer: true },
      { id: 2, name: 'Globex Logistics', active: true, customer: true },
      { id: 3, name: 'Initech', active: false, customer: true },
      { id: 4, name: 'Hooli Prospect', active: true, customer: false },
      { id: 5, name: 'Umbrella Supplies', active: true, customer: false },
    ],
    products: [
      {
        id: 10,
        identifier: 'NINJA-WKS',
        name: 'Workstation RMM',
        service: 'workstations',
        unitPrice: 4.5,
      },
      { id: 11, identifier: 'NINJA-SRV', name: 'Server RMM', service: 'servers', unitPrice: 12 },
      {
        id: 12,
        identifier: 'M365-BP',
        name: 'Microsoft 365 Business Premium',
        service: null,
        unitPrice: 22,
      },
    ],
    contracts: [
      {
        id: 100,
        companyId: 1,
        name: 'Acme Managed Services',
        active: true,
        lines: [
          line(1000, 10, 40, { lessIncluded: 5, unitPrice: 4.5 }),
          line(1001, 11, 3, { cancelledDate: '2024-06-30T00:00:00Z' }),
          line(1002, 12, 7, { cancelledDate: '2999-01-01T00:00:00Z' }),
        ],
      },
      { id: 101, companyId: 2, name: 'Globex Managed', active: true, lines: [line(1010, 10, 12)] },
      { id: 102, companyId: 1, name: 'Acme Legacy', active: false, lines: [line(1020, 10, 9)] },
    ],
  }
}

/** Builds a world of `count` active customer companies and nothing else, for paging tests. */
export function companiesWorld(count: number): World {
  const companies: WorldCompany[] = Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    name: `Company ${String(index + 1).padStart(4, '0')}`,
    active: true,
    customer: true,
  }))
  return {
    seed: 1,
    organizations: [],
    roles: [],
    devices: [],
    companies,
    products: [],
    contracts: [],
  }
}

function line(
  id: number,
  productId: number,
  quantity: number,
  overrides: { lessIncluded?: number; unitPrice?: number; cancelledDate?: string } = {},
) {
  return {
    id,
    productId,
    quantity,
    lessIncluded: overrides.lessIncluded ?? 0,
    unitPrice: overrides.unitPrice ?? 5,
    cancelledDate: overrides.cancelledDate ?? null,
    updatedAt: UPDATED,
  }
}
