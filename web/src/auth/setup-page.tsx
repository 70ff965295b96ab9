/** First-run setup: creates the first user while no user exists. */
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Navigate, useNavigate } from 'react-router-dom'
import { api, errorMessage, isApiError } from '../api/client.ts'
import { LoadingState } from '../components/page-state.tsx'
import { AuthCard } from './auth-card.tsx'
import { useSession, useStoreSession } from './session.tsx'

function fieldError(error: unknown, field: string): string | undefined {
  return isApiError(error) && error.field === field ? error.message : undefined
}

/** Creates the first account, then signs it in. */
export function SetupPage() {
  const session = useSession()
  const storeSession = useStoreSession()
  const navigate = useNavigate()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const setup = useMutation({
    mutationFn: () => api.setup(email.trim(), password),
    onSuccess: (result) => {
      storeSession(result.user, result.csrfToken)
      navigate('/integrations', { replace: true })
    },
  })

  if (session.isPending) return <LoadingState label="Checking your session…" />
  if (session.data && !session.data.setupRequired) {
    return <Navigate to={session.data.user ? '/integrations' : '/login'} replace />
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const differs = password !== confirmation
    setMismatch(differs)
    if (!differs) setup.mutate()
  }
  const emailError = fieldError(setup.error, 'email')
  const passwordError = fieldError(setup.error, 'password')

  return (
    <AuthCard
      title="Create the first account"
      subtitle="No user exists yet. Create the account you will sign in with."
    >
      <form onSubmit={submit}>
        <Stack>
          {setup.isError && !emailError && !passwordError && (
            <Alert color="red" role="alert" title="Setup failed">
              {errorMessage(setup.error)}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            error={emailError}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            description="At least 12 characters."
            autoComplete="new-password"
            required
            value={password}
            error={passwordError}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <PasswordInput
            label="Repeat the password"
            autoComplete="new-password"
            required
            value={confirmation}
            error={mismatch ? 'The two passwords differ. Type the same password twice.' : undefined}
            onChange={(event) => setConfirmation(event.currentTarget.value)}
          />
          <Button type="submit" loading={setup.isPending} fullWidth>
            Create account
          </Button>
        </Stack>
      </form>
    </AuthCard>
  )
}
