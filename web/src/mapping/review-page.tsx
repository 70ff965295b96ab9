/** The review step: every account and service mapping, then Finish to run a sync. */
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router-dom'
import { api, errorMessage, isApiError } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { AccountsView, ServicesView } from '../api/types.ts'
import { ErrorState, LoadingState } from '../components/page-state.tsx'
import { useStartSync, useSyncRun } from '../sync/sync-hooks.ts'
import { SyncProgressBar, SyncRunSummary } from '../sync/sync-outcome.tsx'
import { MappingSteps } from './mapping-steps.tsx'

const TABLE_HEIGHT = 'max(240px, calc(100vh - 410px))'

function AccountTable({ view }: { view: AccountsView }) {
  const mapped = view.organizations.filter((org) => org.companyId !== null)
  const unmapped = view.organizations.length - mapped.length
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Account mappings</Text>
        <Text size="sm" c={unmapped > 0 ? 'orange.8' : 'dimmed'}>
          {mapped.length} mapped, {unmapped} unmapped
        </Text>
      </Group>
      <ScrollArea h={TABLE_HEIGHT} type="auto">
        <Table striped stickyHeader data-testid="review-accounts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>NinjaOne organization</Table.Th>
              <Table.Th>PSA company</Table.Th>
              <Table.Th>Matched by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mapped.map((org) => (
              <Table.Tr key={org.organizationId}>
                <Table.Td>{org.organizationName}</Table.Td>
                <Table.Td>{org.companyName}</Table.Td>
                <Table.Td>
                  <Badge color={org.matchedBy === 'exact' ? 'green' : 'blue'} variant="light">
                    {org.matchedBy}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Paper>
  )
}

function ServiceTable({ view }: { view: ServicesView }) {
  return (
    <Paper withBorder p="sm">
      <Text fw={600} mb="xs">
        Service mappings
      </Text>
      <ScrollArea h={TABLE_HEIGHT} type="auto">
        <Table striped stickyHeader data-testid="review-services">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>NinjaOne service</Table.Th>
              <Table.Th>PSA products</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.services.map((row) => (
              <Table.Tr key={row.service}>
                <Table.Td>{row.service}</Table.Td>
                <Table.Td c={row.products.length === 0 ? 'dimmed' : undefined}>
                  {row.products.length === 0
                    ? 'not mapped'
                    : row.products.map((product) => product.productName).join(', ')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Paper>
  )
}

function FinishPanel({ ready }: { ready: boolean }) {
  const [runId, setRunId] = useState<number | null>(null)
  const [started, setStarted] = useState(false)
  const startSync = useStartSync()
  const { progress, running, run } = useSyncRun(runId, started)
  const finish = () =>
    startSync.mutate(undefined, {
      onSuccess: (id) => {
        setRunId(id)
        setStarted(true)
      },
    })

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            Finish runs a sync with these mappings and computes the reconciliation.
          </Text>
          <Button onClick={finish} loading={startSync.isPending} disabled={!ready || running}>
            Finish
          </Button>
        </Group>
        {!ready && (
          <Alert color="yellow">Map at least one account and one service before finishing.</Alert>
        )}
        {startSync.isError && (
          <Alert color="red" role="alert" title="Sync not started">
            {errorMessage(startSync.error)}
          </Alert>
        )}
        {started && running && <SyncProgressBar progress={progress} />}
        {started && !running && run && run.status !== 'running' && (
          <>
            <SyncRunSummary run={run} />
            {run.status === 'succeeded' && (
              <Group>
                <Button component={Link} to="/reconcile" color="green">
                  Open Reconcile
                </Button>
              </Group>
            )}
          </>
        )}
      </Stack>
    </Paper>
  )
}

/** Renders the review page, last of the three mapping steps. */
export function ReviewPage() {
  const accounts = useQuery({ queryKey: keys.accounts, queryFn: api.accounts })
  const services = useQuery({ queryKey: keys.services, queryFn: api.services })
  const loading = accounts.isPending || services.isPending
  const accountsMissing = isApiError(accounts.error, 404)
  const error = (accountsMissing ? null : accounts.error) ?? services.error
  const ready =
    (accounts.data?.organizations.some((org) => org.companyId !== null) ?? false) &&
    (services.data?.services.some((row) => row.products.length > 0) ?? false)

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Review
        </Title>
        <Button component={Link} to="/services" variant="default">
          Back: services
        </Button>
      </Group>
      <MappingSteps active={2} />
      {loading && <LoadingState label="Loading mappings…" />}
      {error && <ErrorState title="Could not load the mappings" error={error} />}
      {accountsMissing && (
        <Alert color="yellow">No sync has finished yet, so there are no accounts to review.</Alert>
      )}
      {!loading && !error && (
        <>
          <FinishPanel ready={ready} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {accounts.data && <AccountTable view={accounts.data} />}
            {services.data && <ServiceTable view={services.data} />}
          </SimpleGrid>
        </>
      )}
    </Stack>
  )
}
