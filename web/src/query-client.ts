/** The app's QueryClient: no retries of client errors, and a session check after any 401. */
import { QueryCache, QueryClient } from '@tanstack/react-query'
import { isApiError } from './api/client.ts'
import { keys } from './api/queries.ts'

const MAX_RETRIES = 2

function shouldRetry(failureCount: number, error: unknown): boolean {
  // A 4xx answer will not change by asking again; network errors and 5xx may.
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false
  return failureCount < MAX_RETRIES
}

/** Creates the client; a 401 on any query refetches the session, which leads to sign-in. */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isApiError(error, 401) && query.queryKey[0] !== keys.session[0]) {
          void queryClient.invalidateQueries({ queryKey: keys.session })
        }
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 5_000 },
      mutations: { retry: false },
    },
  })
  return queryClient
}
