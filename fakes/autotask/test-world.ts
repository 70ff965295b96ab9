/** Small hand-built worlds for the Autotask fake's and adapter's tests. */
import type { World, WorldContract, WorldLine } from '../world/types.ts'

/** The day the tests run on: periods of May 2025 are current. */
export const TEST_TODAY = new Date('2025-05-15T12:00:00Z')

/** Test credentials; they reach nothing but the fake. */
export const TEST_CREDENTIALS = {
  username: 'api-user@msp.example',
  integrationCode: 'TEST-INTEGRATION-CODE',
  secret: 'test-secret-5f2c',
}

function line(id: number, productId: number, quantity: number, cancelledDate?: string): WorldLine {
  return {
    id,
    productId,
    quantity,
    lessIncluded: 0,
    unitPrice: productId === 11 ? 90 : 30,
    cancelledDate: cancelledDate ?? null,
    updatedAt: '2025-04-01T00:00:00Z',
  }
}

/**
 * Four companies (two active customers, one inactive customer, one prospect) and five
 * contracts. Contract 100 bills 25 workstations (line 1000), 3 servers (line 1001) and a
 * backup line cancelled on 2025-04-01 (line 1002). Contract 102 is inactive.
 */
export function buildTestWorld(): World {
  const contracts: WorldContract[] = [
    {
      id: 100,
      companyId: 1,
      name: 'Acme Managed Services',
      active: true,
      lines: [line(1000, 10, 25), line(1001, 11, 3), line(1002, 12, 5, '2025-04-01T00:00:00Z')],
    },
    { id: 101, companyId: 2, name: 'Bolt Care Plan', active: true, lines: [line(1010, 10, 40)] },
    { id: 102, companyId: 2, name: 'Bolt Old Plan', active: false, lines: [line(1020, 10, 7)] },
    { id: 103, companyId: 3, name: 'Closed Co Plan', active: true, lines: [line(1030, 10, 9)] },
    { id: 104, companyId: 4, name: 'Prospect Trial', active: true, lines: [line(1040, 10, 2)] },
  ]
  return {
    seed: 1,
    organizations: [],
    roles: [],
    devices: [],
    companies: [
      { id: 1, name: 'Acme Dental', active: true, customer: true },
      { id: 2, name: 'Bolt Logistics', active: true, customer: true },
      { id: 3, name: 'Closed Co', active: false, customer: true },
      { id: 4, name: 'Prospect Ltd', active: true, customer: false },
    ],
    products: [
      { id: 10, identifier: 'NINJA-WKS', name: 'Workstations', service: 'wks', unitPrice: 30 },
      { id: 11, identifier: 'NINJA-SRV', name: 'Servers', service: 'srv', unitPrice: 90 },
      { id: 12, identifier: 'BACKUP', name: 'Cloud Backup', service: null, unitPrice: 15 },
    ],
    contracts,
  }
}

/** `count` active customers, each with one contract (id 10000 + n) billing one line. */
export function buildLargeWorld(count: number): World {
  const base = buildTestWorld()
  const ids = Array.from({ length: count }, (_, index) => index + 1)
  return {
    ...base,
    companies: ids.map((id) => ({ id, name: `Customer ${id}`, active: true, customer: true })),
    contracts: ids.map((id) => ({
      id: 10_000 + id,
      companyId: id,
      name: `Plan ${id}`,
      active: true,
      lines: [line(20_000 + id, 10, id % 50)],
    })),
  }
}
