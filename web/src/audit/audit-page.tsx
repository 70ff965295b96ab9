/** The audit log: who connected, mapped, approved and disconnected what, newest first. */
import { Code, Group, ScrollArea, Select, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { AuditEntry } from '../api/types.ts'
import { EmptyMessage, ErrorState, LoadingState } from '../components/page-state.tsx'
import { formatTime } from '../format.ts'

const LIMITS = ['50', '200', '1000']

function formatDetails(details: unknown): string {
  if (details === null || details === undefined) return ''
  if (typeof details === 'string') return details
  return JSON.stringify(details)
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <ScrollArea h="max(300px, calc(100vh - 190px))" type="auto">
      <Table striped stickyHeader layout="fixed" data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={170}>Time</Table.Th>
            <Table.Th w={180}>Actor</Table.Th>
            <Table.Th w={160}>Action</Table.Th>
            <Table.Th w={160}>Subject</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id}>
              <Table.Td>{formatTime(entry.at)}</Table.Td>
              <Table.Td>
                <Text size="sm" truncate>
                  {entry.actor}
                </Text>
              </Table.Td>
              <Table.Td>{entry.action}</Table.Td>
              <Table.Td>
                <Text size="sm" truncate title={entry.subject}>
                  {entry.subject}
                </Text>
              </Table.Td>
              <Table.Td>
                <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {formatDetails(entry.details)}
                </Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  )
}

/** Lists the latest audit entries. */
export function AuditPage() {
  const [limit, setLimit] = useState('200')
  const audit = useQuery({
    queryKey: [...keys.audit, limit],
    queryFn: () => api.audit(Number(limit)),
  })

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Audit
        </Title>
        <Select
          aria-label="Entries to show"
          data={LIMITS.map((value) => ({ value, label: `Latest ${value}` }))}
          value={limit}
          onChange={(value) => value && setLimit(value)}
          allowDeselect={false}
          w={140}
        />
      </Group>
      {audit.isPending && <LoadingState label="Loading the audit log…" />}
      {audit.isError && (
        <ErrorState
          title="Could not load the audit log"
          error={audit.error}
          onRetry={() => void audit.refetch()}
        />
      )}
      {audit.data && audit.data.length === 0 && (
        <EmptyMessage
          title="No audit entries yet"
          description="Connecting, mapping, approving and disconnecting are recorded here."
        />
      )}
      {audit.data && audit.data.length > 0 && <AuditTable entries={audit.data} />}
    </Stack>
  )
}
