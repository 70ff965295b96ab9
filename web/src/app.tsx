/** The routes: sign-in and setup outside the shell, every other page inside it. */
import { Button } from '@mantine/core'
import { Link, Navigate, Route, Routes } from 'react-router-dom'
import { AuditPage } from './audit/audit-page.tsx'
import { RequireSession } from './auth/session.tsx'
import { SetupPage } from './auth/setup-page.tsx'
import { SignInPage } from './auth/sign-in-page.tsx'
import { EmptyMessage } from './components/page-state.tsx'
import { ConnectWizardPage } from './integrations/connect-wizard.tsx'
import { IntegrationsPage } from './integrations/integrations-page.tsx'
import { AppLayout } from './layout/app-layout.tsx'
import { AccountsPage } from './mapping/accounts-page.tsx'
import { ReviewPage } from './mapping/review-page.tsx'
import { ServicesPage } from './mapping/services-page.tsx'
import { ReconcilePage } from './reconcile/reconcile-page.tsx'

function NotFoundPage() {
  return (
    <EmptyMessage
      title="Page not found"
      description="This address matches no page of msp-recon."
      action={
        <Button component={Link} to="/integrations">
          Go to integrations
        </Button>
      }
    />
  )
}

/** Renders the whole app below the providers. */
export function App() {
  return (
    <Routes>
      <Route path="/login" element={<SignInPage />} />
      <Route path="/setup" element={<SetupPage />} />
      <Route
        element={
          <RequireSession>
            <AppLayout />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/integrations" replace />} />
        <Route path="integrations" element={<IntegrationsPage />} />
        <Route path="integrations/:kind/connect" element={<ConnectWizardPage />} />
        <Route path="accounts" element={<AccountsPage />} />
        <Route path="services" element={<ServicesPage />} />
        <Route path="review" element={<ReviewPage />} />
        <Route path="reconcile" element={<ReconcilePage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  )
}
