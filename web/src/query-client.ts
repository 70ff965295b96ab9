/** The app's QueryClient: no retries of client errors, and a session check after any 401. */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query'
import { isApiError } from './api/client.ts'
import { keys } from './api/queries.ts'

const MAX_RETRIES = 2

function shouldRetry(failureCount: number, error: unknown): boolean {
  // Repeating a request that got a 4xx response gets the same response, but network errors
  // and 5xx responses may pass on a retry.
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false
  return failureCount < MAX_RETRIES
}

/** Creates the client; any 401 refetches the session, which leads to the sign-in page. */
export function createQueryClient(): QueryClient {
  const checkSignedOut = (error: unknown) => {
    if (isApiError(error, 401)) void queryClient.invalidateQueries({ queryKey: keys.session })
  }
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.queryKey[0] !== keys.session[0]) checkSignedOut(error)
      },
    }),
    mutationCache: new MutationCache({ onError: (error) => checkSignedOut(error) }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 5_000 },
      mutations: { retry: false },
    },
  })
  return queryClient
}
