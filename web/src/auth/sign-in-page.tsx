/** The sign-in form. */
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Navigate, useLocation, useNavigate } from 'react-router-dom'
import { api, errorMessage } from '../api/client.ts'
import { LoadingState } from '../components/page-state.tsx'
import { AuthCard } from './auth-card.tsx'
import { useSession, useStoreSession } from './session.tsx'

function targetAfterSignIn(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from
  return typeof from === 'string' && from.startsWith('/') && from !== '/login'
    ? from
    : '/integrations'
}

/** Signs a user in with email and password. */
export function SignInPage() {
  const session = useSession()
  const storeSession = useStoreSession()
  const navigate = useNavigate()
  const location = useLocation()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const signIn = useMutation({
    mutationFn: () => api.login(email.trim(), password),
    onSuccess: (result) => {
      storeSession(result.user, result.csrfToken)
      navigate(targetAfterSignIn(location.state), { replace: true })
    },
  })

  if (session.isPending) return <LoadingState label="Checking your session…" />
  if (session.data?.setupRequired) return <Navigate to="/setup" replace />
  if (session.data?.user) return <Navigate to={targetAfterSignIn(location.state)} replace />

  const submit = (event: FormEvent) => {
    event.preventDefault()
    signIn.mutate()
  }

  return (
    <AuthCard title="Sign in" subtitle="Reconcile NinjaOne device counts with PSA billing.">
      <form onSubmit={submit}>
        <Stack>
          {signIn.isError && (
            <Alert color="red" role="alert" title="Sign-in failed">
              {errorMessage(signIn.error)}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={signIn.isPending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  )
}
