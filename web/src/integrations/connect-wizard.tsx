/** The connect wizard: choose the use, authenticate, wait for the first sync, then go on. */
import { Anchor, Button, Group, Radio, Stack, Stepper, Text, Title } from '@mantine/core'
import { useId, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { useIntegrations } from '../api/queries.ts'
import { EmptyMessage, ErrorState, LoadingState } from '../components/page-state.tsx'
import { CredentialForm } from './credential-form.tsx'
import { FirstSyncStep } from './first-sync-step.tsx'
import { connectedPsa } from './integration-state.ts'
import { findVendor, type VendorDefinition } from './vendors.ts'

const STEP_USE = 0
const STEP_CREDENTIALS = 1
const STEP_FIRST_SYNC = 2
const STEP_DONE = 3

function describeUse(vendor: VendorDefinition): string {
  return vendor.role === 'vendor'
    ? 'Read organizations, roles and devices to count billable devices. msp-recon never ' +
        'changes anything in NinjaOne.'
    : 'Read companies, the catalog and billed lines; write a line quantity only when you ' +
        'approve it.'
}

function UseStep({ vendor, onNext }: { vendor: VendorDefinition; onNext: () => void }) {
  const [use, setUse] = useState<string | null>(null)
  const titleId = useId()
  const descriptionId = useId()
  return (
    <Stack gap="md" maw={560}>
      <Radio.Group value={use} onChange={setUse} label="What should msp-recon do?">
        <Radio.Card
          value="billing"
          p="md"
          mt="xs"
          radius="md"
          aria-labelledby={titleId}
          aria-describedby={descriptionId}
        >
          <Group wrap="nowrap" align="flex-start">
            <Radio.Indicator />
            <div>
              <Text fw={600} id={titleId}>
                Billing only
              </Text>
              <Text size="sm" c="dimmed" id={descriptionId}>
                {describeUse(vendor)}
              </Text>
            </div>
          </Group>
        </Radio.Card>
      </Radio.Group>
      <Group>
        <Button onClick={onNext} disabled={use === null}>
          Next
        </Button>
      </Group>
    </Stack>
  )
}

function DoneStep({ vendor }: { vendor: VendorDefinition }) {
  const integrations = useIntegrations()
  const psa = connectedPsa(integrations.data)
  const needsPsa = vendor.role === 'vendor' && psa === undefined
  return (
    <Stack gap="md" maw={560}>
      <Text>
        {vendor.name} is connected.{' '}
        {needsPsa
          ? 'Connect your PSA next, then map accounts and services.'
          : 'Map NinjaOne organizations to PSA companies next.'}
      </Text>
      <Group gap="xs">
        {needsPsa ? (
          <Button component={Link} to="/integrations">
            Connect a PSA
          </Button>
        ) : (
          <Button component={Link} to="/accounts">
            Map accounts
          </Button>
        )}
        <Button component={Link} to="/integrations" variant="default">
          Back to integrations
        </Button>
      </Group>
    </Stack>
  )
}

function Wizard({ vendor, startPending }: { vendor: VendorDefinition; startPending: boolean }) {
  const [active, setActive] = useState(startPending ? STEP_FIRST_SYNC : STEP_USE)
  return (
    <Stepper
      active={active}
      onStepClick={(step) => step < active && active !== STEP_DONE && setActive(step)}
      allowNextStepsSelect={false}
      size="sm"
      contentPadding="lg"
    >
      <Stepper.Step label="Use" description="Billing only">
        <UseStep vendor={vendor} onNext={() => setActive(STEP_CREDENTIALS)} />
      </Stepper.Step>
      <Stepper.Step label="Credentials" description="Authenticate">
        <CredentialForm vendor={vendor} onConnected={() => setActive(STEP_FIRST_SYNC)} />
      </Stepper.Step>
      <Stepper.Step label="First sync" description="Accounts and services">
        <FirstSyncStep vendor={vendor} onNext={() => setActive(STEP_DONE)} />
      </Stepper.Step>
      <Stepper.Completed>
        <DoneStep vendor={vendor} />
      </Stepper.Completed>
    </Stepper>
  )
}

/** Renders the wizard of the vendor in the URL, e.g. `/integrations/ninjaone/connect`. */
export function ConnectWizardPage() {
  const { kind } = useParams()
  const vendor = findVendor(kind)
  const integrations = useIntegrations()

  if (!vendor) {
    return (
      <EmptyMessage
        title="Unknown vendor"
        description={`There is no integration named "${kind}".`}
        action={
          <Button component={Link} to="/integrations">
            Back to integrations
          </Button>
        }
      />
    )
  }
  if (integrations.isPending) return <LoadingState label="Loading integrations…" />
  if (integrations.isError) {
    return <ErrorState title="Could not load integrations" error={integrations.error} />
  }
  const current = integrations.data.find((integration) => integration.kind === vendor.kind)

  return (
    <Stack gap="lg" maw={900}>
      <Stack gap={4}>
        <Anchor component={Link} to="/integrations" size="sm">
          ← Integrations
        </Anchor>
        <Title order={1} size="h2">
          Connect {vendor.name}
        </Title>
      </Stack>
      <Wizard key={vendor.kind} vendor={vendor} startPending={current?.status === 'pending'} />
    </Stack>
  )
}
