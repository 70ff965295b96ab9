/** Account mapping: drag NinjaOne organizations onto PSA companies. */
import { type DragEndEvent, DragOverlay, type DragStartEvent } from '@dnd-kit/core'
import { Button, Group, Paper, SegmentedControl, Stack, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { Link } from 'react-router-dom'
import { api, errorMessage, isApiError } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { AccountsView, OrganizationRow } from '../api/types.ts'
import { EmptyMessage, ErrorState, LoadingState } from '../components/page-state.tsx'
import {
  idOf,
  includesText,
  matchesFilter,
  type OrganizationFilter,
  SCREEN_READER_INSTRUCTIONS,
  sortCompanies,
  sortOrganizations,
  useAccountAnnouncements,
} from './account-board-helpers.ts'
import { CompanyColumn, OrganizationColumn } from './account-columns.tsx'
import { useMapAccount, useUnmapAccount } from './account-mutations.ts'
import { Board } from './mapping-board.tsx'
import { MappingDndContext } from './mapping-dnd-context.tsx'
import { MappingSteps } from './mapping-steps.tsx'
import { OrganizationSummary } from './organization-card.tsx'

/** Maps organizations to companies of exactly the same name (`POST /api/accounts/auto`). */
function useMapExactNames() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: api.autoMapAccounts,
    onSuccess: async ({ added }) => {
      await queryClient.invalidateQueries({ queryKey: keys.accounts })
      notifications.show({
        color: added > 0 ? 'green' : 'gray',
        message:
          added > 0
            ? `Mapped ${added} organizations to companies of the same name.`
            : 'No unmapped organization has a company of exactly the same name.',
      })
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: 'Exact matching failed',
        message: errorMessage(error),
      }),
  })
}

function AccountsToolbar({
  search,
  onSearch,
  filter,
  onFilter,
}: {
  search: string
  onSearch: (value: string) => void
  filter: OrganizationFilter
  onFilter: (value: OrganizationFilter) => void
}) {
  const mapExactNames = useMapExactNames()
  return (
    <Group justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <TextInput
          aria-label="Search organizations and companies"
          placeholder="Search names"
          value={search}
          onChange={(event) => onSearch(event.currentTarget.value)}
          w={240}
        />
        <SegmentedControl
          aria-label="Show organizations"
          value={filter}
          onChange={(value) => onFilter(value as OrganizationFilter)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'mapped', label: 'Mapped' },
            { value: 'unmapped', label: 'Unmapped' },
            { value: 'suggested', label: 'Suggested' },
          ]}
        />
      </Group>
      <Button
        variant="default"
        loading={mapExactNames.isPending}
        onClick={() => mapExactNames.mutate()}
      >
        Map exact names
      </Button>
    </Group>
  )
}

function AccountsBoard({ view }: { view: AccountsView }) {
  const [search, setSearch] = useState('')
  const [filter, setFilter] = useState<OrganizationFilter>('all')
  const [dragged, setDragged] = useState<OrganizationRow | null>(null)
  const announcements = useAccountAnnouncements(view)
  const mapAccount = useMapAccount()
  const unmapAccount = useUnmapAccount()
  const sortedOrganizations = useMemo(
    () => sortOrganizations(view.organizations),
    [view.organizations],
  )
  const sortedCompanies = useMemo(() => sortCompanies(view.companies), [view.companies])

  const onDragStart = (event: DragStartEvent) => {
    const id = idOf(event.active.data, 'organizationId')
    setDragged(view.organizations.find((org) => org.organizationId === id) ?? null)
  }
  const onDragEnd = (event: DragEndEvent) => {
    setDragged(null)
    const organizationId = idOf(event.active.data, 'organizationId')
    const companyId = event.over ? idOf(event.over.data, 'companyId') : null
    if (organizationId !== null && companyId !== null) {
      mapAccount.mutate({ organizationId, companyId })
    }
  }

  return (
    <Stack gap="sm">
      <AccountsToolbar search={search} onSearch={setSearch} filter={filter} onFilter={setFilter} />
      <MappingDndContext
        announcements={announcements}
        instructions={SCREEN_READER_INSTRUCTIONS}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragged(null)}
      >
        <Board>
          <OrganizationColumn
            view={view}
            organizations={sortedOrganizations.filter(
              (org) => matchesFilter(org, filter) && includesText(org.organizationName, search),
            )}
            mapAccount={mapAccount}
            unmapAccount={unmapAccount}
          />
          <CompanyColumn
            view={view}
            companies={sortedCompanies.filter((company) => includesText(company.name, search))}
          />
        </Board>
        <DragOverlay>
          {dragged && (
            <Paper withBorder p="xs" className="drag-overlay-card" w={360}>
              <OrganizationSummary org={dragged} />
            </Paper>
          )}
        </DragOverlay>
      </MappingDndContext>
    </Stack>
  )
}

/** Renders the account mapping page, first of the three mapping steps. */
export function AccountsPage() {
  const accounts = useQuery({ queryKey: keys.accounts, queryFn: api.accounts })

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Accounts
        </Title>
        <Button component={Link} to="/services">
          Next: services
        </Button>
      </Group>
      <MappingSteps active={0} />
      {accounts.isPending && <LoadingState label="Loading organizations and companies…" />}
      {accounts.isError &&
        (isApiError(accounts.error, 404) ? (
          <EmptyMessage
            title="Nothing synced yet"
            description={
              'Accounts appear after the first successful sync. Connect NinjaOne and a PSA first.'
            }
            action={
              <Button component={Link} to="/integrations">
                Go to integrations
              </Button>
            }
          />
        ) : (
          <ErrorState
            title="Could not load accounts"
            error={accounts.error}
            onRetry={() => void accounts.refetch()}
          />
        ))}
      {accounts.data && accounts.data.organizations.length === 0 && (
        <EmptyMessage
          title="No organizations"
          description="NinjaOne returned no organizations in the last sync."
        />
      )}
      {accounts.data && accounts.data.organizations.length > 0 && (
        <AccountsBoard view={accounts.data} />
      )}
    </Stack>
  )
}
