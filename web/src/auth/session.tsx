/** The session query and the guard that sends signed-out visitors to sign-in or setup. */
import { Center } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router-dom'
import { api, setCsrfToken } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { Session } from '../api/types.ts'
import { ErrorState, LoadingState } from '../components/page-state.tsx'

async function fetchSession(): Promise<Session> {
  const session = await api.session()
  setCsrfToken(session.csrfToken)
  return session
}

/** Queries the current session and hands its CSRF token to the API client on every fetch. */
export function useSession() {
  return useQuery({ queryKey: keys.session, queryFn: fetchSession, staleTime: 60_000 })
}

/** Returns a function that stores a new session after sign-in or setup. */
export function useStoreSession() {
  const queryClient = useQueryClient()
  return (user: Session['user'], csrfToken: string | null) => {
    setCsrfToken(csrfToken)
    queryClient.setQueryData<Session>(keys.session, { user, csrfToken, setupRequired: false })
  }
}

/** Renders `children` for a signed-in user; otherwise redirects to setup or sign-in. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession()
  const location = useLocation()

  if (session.isPending) return <LoadingState label="Checking your session…" />
  if (session.isError) {
    return (
      <Center p="xl">
        <ErrorState
          title="Could not check your session"
          error={session.error}
          onRetry={() => void session.refetch()}
        />
      </Center>
    )
  }
  if (session.data.setupRequired) return <Navigate to="/setup" replace />
  if (!session.data.user) {
    return <Navigate to="/login" replace state={{ from: location.pathname }} />
  }
  return children
}
