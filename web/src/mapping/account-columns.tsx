/** The two columns of the account mapping board: organizations and companies. */
import { Text } from '@mantine/core'
import { useMemo } from 'react'
import type { AccountsView, CompanyRow, OrganizationRow } from '../api/types.ts'
import type { useMapAccount, useUnmapAccount } from './account-mutations.ts'
import { CompanyCard } from './company-card.tsx'
import { BoardColumn } from './mapping-board.tsx'
import { OrganizationCard } from './organization-card.tsx'

/** Renders the column of organization cards, each with its mapping controls. */
export function OrganizationColumn({
  view,
  organizations,
  mapAccount,
  unmapAccount,
}: {
  view: AccountsView
  organizations: OrganizationRow[]
  mapAccount: ReturnType<typeof useMapAccount>
  unmapAccount: ReturnType<typeof useUnmapAccount>
}) {
  const freeCompanyOptions = useMemo(
    () =>
      view.companies
        .filter((company) => company.mappedOrganizationId === null)
        .map((company) => ({ value: String(company.id), label: company.name })),
    [view.companies],
  )
  const mappedCount = view.organizations.filter((org) => org.companyId !== null).length

  return (
    <BoardColumn
      title="NinjaOne organizations"
      count={`${mappedCount} of ${view.organizations.length} mapped`}
      testId="organization-column"
    >
      {organizations.length === 0 && (
        <Text size="sm" c="dimmed" p="sm">
          No organization matches the search and filter.
        </Text>
      )}
      {organizations.map((org) => (
        <OrganizationCard
          key={org.organizationId}
          org={org}
          companyOptions={freeCompanyOptions}
          actions={{
            onMap: (companyId) =>
              mapAccount.mutate({ organizationId: org.organizationId, companyId }),
            onUnmap: () => unmapAccount.mutate(org.organizationId),
          }}
        />
      ))}
    </BoardColumn>
  )
}

/** Renders the column of company cards, the drop targets. */
export function CompanyColumn({
  view,
  companies,
}: {
  view: AccountsView
  companies: CompanyRow[]
}) {
  const orgNames = useMemo(
    () => new Map(view.organizations.map((org) => [org.organizationId, org.organizationName])),
    [view.organizations],
  )

  return (
    <BoardColumn
      title="PSA companies"
      count={`${view.companies.length} companies`}
      testId="company-column"
    >
      {companies.length === 0 && (
        <Text size="sm" c="dimmed" p="sm">
          {view.companies.length === 0
            ? 'The PSA has no companies yet. Connect a PSA and sync.'
            : 'No company matches the search.'}
        </Text>
      )}
      {companies.map((company) => (
        <CompanyCard
          key={company.id}
          company={company}
          organizationName={
            company.mappedOrganizationId === null
              ? null
              : (orgNames.get(company.mappedOrganizationId) ?? null)
          }
        />
      ))}
    </BoardColumn>
  )
}
