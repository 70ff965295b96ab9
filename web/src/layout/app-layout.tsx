/** The app shell: a header with the main navigation, the signed-in user and sign-out. */
import { AppShell, Button, Group, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { NavLink, Outlet, useNavigate } from 'react-router-dom'
import { api, errorMessage, setCsrfToken } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { Session } from '../api/types.ts'
import { useSession } from '../auth/session.tsx'

const NAVIGATION = [
  { to: '/integrations', label: 'Integrations' },
  { to: '/accounts', label: 'Accounts' },
  { to: '/services', label: 'Services' },
  { to: '/reconcile', label: 'Reconcile' },
  { to: '/audit', label: 'Audit' },
]

function useSignOut() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  return useMutation({
    mutationFn: api.logout,
    onSuccess: () => {
      setCsrfToken(null)
      queryClient.clear()
      queryClient.setQueryData<Session>(keys.session, {
        user: null,
        csrfToken: null,
        setupRequired: false,
      })
      navigate('/login', { replace: true })
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Sign-out failed', message: errorMessage(error) }),
  })
}

/** Wraps every signed-in page. */
export function AppLayout() {
  const session = useSession()
  const signOut = useSignOut()

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Text fw={700} c="blue.7">
              msp-recon
            </Text>
            <Group component="nav" aria-label="Main" gap={4} wrap="nowrap">
              {NAVIGATION.map((link) => (
                <Button
                  key={link.to}
                  component={NavLink}
                  to={link.to}
                  variant="subtle"
                  color="gray"
                  size="compact-md"
                  className="main-nav-link"
                >
                  {link.label}
                </Button>
              ))}
            </Group>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" truncate maw={220}>
              {session.data?.user?.email}
            </Text>
            <Button
              variant="default"
              size="compact-md"
              loading={signOut.isPending}
              onClick={() => signOut.mutate()}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  )
}
