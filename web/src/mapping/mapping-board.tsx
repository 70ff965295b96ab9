/** The two-column layout shared by account and service mapping. */
import { Badge, Group, Paper, ScrollArea, SimpleGrid, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'

/** Height of a board column: the viewport minus the header, title, stepper and toolbar. */
export const COLUMN_HEIGHT = 'max(320px, calc(100vh - 330px))'

/** Renders one titled, scrolling column of cards. */
export function BoardColumn({
  title,
  count,
  testId,
  children,
}: {
  title: string
  count: string
  testId: string
  children: ReactNode
}) {
  return (
    <Paper withBorder p="sm" bg="gray.0" data-testid={testId}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{title}</Text>
        <Badge variant="default">{count}</Badge>
      </Group>
      <ScrollArea h={COLUMN_HEIGHT} offsetScrollbars type="auto">
        <Stack gap="xs">{children}</Stack>
      </ScrollArea>
    </Paper>
  )
}

/** Two columns side by side: the draggable cards and the drop targets. */
export function Board({ children }: { children: ReactNode }) {
  return (
    <SimpleGrid cols={2} spacing="md">
      {children}
    </SimpleGrid>
  )
}
