/** The centered card that frames the sign-in and setup forms. */
import { Center, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

/** Renders a titled card in the middle of the page. */
export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string
  subtitle: string
  children: ReactNode
}) {
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <Stack gap="lg">
          <Stack gap={4}>
            <Text fw={700} c="blue.7" size="sm">
              msp-recon
            </Text>
            <Title order={2} size="h3">
              {title}
            </Title>
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          </Stack>
          {children}
        </Stack>
      </Paper>
    </Center>
  )
}
