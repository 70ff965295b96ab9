/**
 * A small typed client of the REST API: same-origin cookies, the session's CSRF token on every
 * state change, and error bodies turned into `ApiError`s whose message a user can act on.
 */
import type {
  AccountsView,
  ApprovalResult,
  ApproveRequest,
  AuditEntry,
  Integration,
  IntegrationKind,
  ReconciliationView,
  ServicesView,
  Session,
  StatusReport,
  SyncProgress,
  SyncRun,
} from './types.ts'

/** A failed API call: the HTTP status, the server's error code and its message. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  /** The first invalid field path of a validation error. */
  readonly field: string | undefined

  constructor(status: number, code: string, message: string, field?: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
  }
}

/** Returns true when `error` is an {@link ApiError}, optionally with one HTTP status. */
export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status)
}

/** Returns the message to show a user for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

let csrfToken: string | null = null

/** Stores the CSRF token of the current session, sent on every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function toApiError(response: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } })?.error
  if (error && typeof error.message === 'string') {
    const field = typeof error.field === 'string' ? error.field : undefined
    return new ApiError(response.status, String(error.code ?? 'error'), error.message, field)
  }
  return new ApiError(
    response.status,
    'http_error',
    `The server answered HTTP ${response.status} ${response.statusText} without an error ` +
      'message. Retry, and check the server log if it happens again.',
  )
}

async function send(method: Method, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(
      0,
      'network',
      'The msp-recon server could not be reached. Check that it is running, then retry.',
    )
  }
}

/** Sends one request and returns the parsed JSON body; throws {@link ApiError} on failure. */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body)
  const parsed = parseBody(await response.text())
  if (!response.ok) throw toApiError(response, parsed)
  return parsed as T
}

/** Every endpoint the UI uses, one typed function each. */
export const api = {
  session: () => request<Session>('GET', '/api/auth/session'),
  login: (email: string, password: string) =>
    request<{ user: Session['user']; csrfToken: string }>('POST', '/api/auth/login', {
      email,
      password,
    }),
  setup: (email: string, password: string) =>
    request<{ user: Session['user']; csrfToken: string }>('POST', '/api/auth/setup', {
      email,
      password,
    }),
  logout: () => request<void>('POST', '/api/auth/logout'),

  status: () => request<StatusReport>('GET', '/api/status'),
  integrations: () => request<Integration[]>('GET', '/api/integrations'),
  connect: (kind: IntegrationKind, body: Record<string, unknown>) =>
    request<Integration>('POST', `/api/integrations/${kind}/connect`, body),
  disconnect: (kind: IntegrationKind) =>
    request<{ disconnected: boolean }>('DELETE', `/api/integrations/${kind}`, { confirm: true }),

  startSync: () => request<{ runId: number }>('POST', '/api/sync'),
  currentSync: () => request<SyncProgress>('GET', '/api/sync/current'),
  syncRuns: () => request<SyncRun[]>('GET', '/api/sync/runs'),

  accounts: () => request<AccountsView>('GET', '/api/accounts'),
  autoMapAccounts: () => request<{ added: number }>('POST', '/api/accounts/auto'),
  mapAccount: (organizationId: number, companyId: number) =>
    request<unknown>('PUT', `/api/accounts/${organizationId}`, { companyId }),
  unmapAccount: (organizationId: number) =>
    request<void>('DELETE', `/api/accounts/${organizationId}`),

  services: () => request<ServicesView>('GET', '/api/services'),
  mapService: (service: string, productId: number) =>
    request<unknown>('PUT', '/api/services/mappings', { service, productId }),
  unmapService: (productId: number) =>
    request<void>('DELETE', `/api/services/mappings/${productId}`),

  reconciliation: () => request<ReconciliationView>('GET', '/api/reconciliation'),
  approve: (body: ApproveRequest) =>
    request<{ results: ApprovalResult[] }>('POST', '/api/reconciliation/approve', body),
  dismiss: (ids: string[]) => request<void>('POST', '/api/reconciliation/dismiss', { ids }),

  audit: (limit: number) => request<AuditEntry[]>('GET', `/api/audit?limit=${limit}`),
}
