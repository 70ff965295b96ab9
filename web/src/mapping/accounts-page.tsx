/** Account mapping: drag NinjaOne organizations onto PSA companies. */
import {
  type Announcements,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
} from '@dnd-kit/core'
import {
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Link } from 'react-router-dom'
import { api, errorMessage, isApiError } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { AccountsView, CompanyRow, OrganizationRow } from '../api/types.ts'
import { EmptyMessage, ErrorState, LoadingState } from '../components/page-state.tsx'
import { useMapAccount, useUnmapAccount } from './account-mutations.ts'
import { CompanyCard } from './company-card.tsx'
import { detectTarget, useMappingSensors } from './dnd.ts'
import { Board, BoardColumn } from './mapping-board.tsx'
import { MappingSteps } from './mapping-steps.tsx'
import {
  OrganizationCard,
  type OrganizationState,
  OrganizationSummary,
  organizationState,
} from './organization-card.tsx'

type OrganizationFilter = 'all' | OrganizationState

const SCREEN_READER_INSTRUCTIONS =
  'To map an organization, focus its grip and press Space or Enter to pick it up. Use the ' +
  'arrow keys to move between companies, then press Space or Enter to drop it on one. ' +
  'Press Escape to cancel.'

function matchesFilter(org: OrganizationRow, filter: OrganizationFilter): boolean {
  if (filter === 'all') return true
  const state = organizationState(org)
  return filter === 'unmapped' ? state !== 'mapped' : state === filter
}

function includesText(name: string, search: string): boolean {
  return name.toLowerCase().includes(search.trim().toLowerCase())
}

const STATE_ORDER: Record<OrganizationState, number> = { suggested: 0, unmapped: 1, mapped: 2 }

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' })

/** Orders organizations that need a decision first: suggested, unmapped, then mapped. */
function sortOrganizations(organizations: OrganizationRow[]): OrganizationRow[] {
  return [...organizations].sort(
    (a, b) =>
      STATE_ORDER[organizationState(a)] - STATE_ORDER[organizationState(b)] ||
      byName(a.organizationName, b.organizationName),
  )
}

/** Orders free companies, the possible drop targets, before mapped ones. */
function sortCompanies(companies: CompanyRow[]): CompanyRow[] {
  return [...companies].sort(
    (a, b) =>
      Number(a.mappedOrganizationId !== null) - Number(b.mappedOrganizationId !== null) ||
      byName(a.name, b.name),
  )
}

function idOf(data: { current?: Record<string, unknown> | undefined }, key: string) {
  const value = data.current?.[key]
  return typeof value === 'number' ? value : null
}

function useAnnouncements(view: AccountsView | undefined): Announcements {
  return useMemo(() => {
    const orgName = (id: unknown) =>
      view?.organizations.find((org) => `org-${org.organizationId}` === id)?.organizationName ??
      'the organization'
    const companyName = (id: unknown) =>
      view?.companies.find((company) => `company-${company.id}` === id)?.name ?? 'a company'
    return {
      onDragStart: ({ active }) => `Picked up ${orgName(active.id)}.`,
      onDragOver: ({ active, over }) =>
        over
          ? `${orgName(active.id)} is over ${companyName(over.id)}.`
          : `${orgName(active.id)} is over no company.`,
      onDragEnd: ({ active, over }) =>
        over
          ? `${orgName(active.id)} mapped to ${companyName(over.id)}.`
          : `${orgName(active.id)} dropped outside the companies; nothing changed.`,
      onDragCancel: ({ active }) => `Cancelled. ${orgName(active.id)} is unchanged.`,
    }
  }, [view])
}

/** Maps exact names once, the first time the page shows accounts and nothing is mapped yet. */
function useExactMatchesOnFirstVisit(view: AccountsView | undefined) {
  const queryClient = useQueryClient()
  const attempted = useRef(false)
  const autoMap = useMutation({
    mutationFn: api.autoMapAccounts,
    onSuccess: async ({ added }) => {
      await queryClient.invalidateQueries({ queryKey: keys.accounts })
      if (added > 0) {
        notifications.show({
          color: 'green',
          message: `Mapped ${added} organizations to companies of the same name.`,
        })
      }
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: 'Exact matching failed',
        message: errorMessage(error),
      }),
  })
  const { mutate } = autoMap

  useEffect(() => {
    if (attempted.current || !view) return
    const nothingMapped = view.organizations.every((org) => org.companyId === null)
    if (nothingMapped && view.organizations.length > 0 && view.companies.length > 0) {
      attempted.current = true
      mutate()
    }
  }, [view, mutate])
  return autoMap
}

function AccountsBoard({ view }: { view: AccountsView }) {
  const [search, setSearch] = useState('')
  const [filter, setFilter] = useState<OrganizationFilter>('all')
  const [dragged, setDragged] = useState<OrganizationRow | null>(null)
  const sensors = useMappingSensors()
  const announcements = useAnnouncements(view)
  const mapAccount = useMapAccount()
  const unmapAccount = useUnmapAccount()
  const autoMap = useExactMatchesOnFirstVisit(view)

  const freeCompanyOptions = useMemo(
    () =>
      view.companies
        .filter((company) => company.mappedOrganizationId === null)
        .map((company) => ({ value: String(company.id), label: company.name })),
    [view.companies],
  )
  const orgNames = useMemo(
    () => new Map(view.organizations.map((org) => [org.organizationId, org.organizationName])),
    [view.organizations],
  )
  const organizations = useMemo(
    () => sortOrganizations(view.organizations),
    [view.organizations],
  ).filter((org) => matchesFilter(org, filter) && includesText(org.organizationName, search))
  const companies = useMemo(() => sortCompanies(view.companies), [view.companies]).filter(
    (company) => includesText(company.name, search),
  )
  const mappedCount = view.organizations.filter((org) => org.companyId !== null).length

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
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <TextInput
            aria-label="Search organizations and companies"
            placeholder="Search names"
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            w={240}
          />
          <SegmentedControl
            aria-label="Show organizations"
            value={filter}
            onChange={(value) => setFilter(value as OrganizationFilter)}
            data={[
              { value: 'all', label: 'All' },
              { value: 'mapped', label: 'Mapped' },
              { value: 'unmapped', label: 'Unmapped' },
              { value: 'suggested', label: 'Suggested' },
            ]}
          />
        </Group>
        <Button variant="default" loading={autoMap.isPending} onClick={() => autoMap.mutate()}>
          Map exact names
        </Button>
      </Group>
      <DndContext
        sensors={sensors}
        collisionDetection={detectTarget}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragged(null)}
        accessibility={{
          announcements,
          screenReaderInstructions: { draggable: SCREEN_READER_INSTRUCTIONS },
        }}
      >
        <Board>
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
        </Board>
        <DragOverlay>
          {dragged && (
            <Paper withBorder p="xs" className="drag-overlay-card" w={360}>
              <OrganizationSummary org={dragged} />
            </Paper>
          )}
        </DragOverlay>
      </DndContext>
    </Stack>
  )
}

/** The account mapping page, first of the three mapping steps. */
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
            description="Accounts appear after the first successful sync. Connect NinjaOne and a PSA first."
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
