/** The credentials step of the connect wizard: inputs, Authenticate and the server's errors. */
import { Alert, Button, Group, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type ChangeEvent, type FormEvent, useState } from 'react'
import { api, errorMessage, isApiError } from '../api/client.ts'
import { keys } from '../api/queries.ts'
import type { Integration } from '../api/types.ts'
import { connectBody, type FormValues, missingFields, regionOfUrl } from './connect-body.ts'
import { type CredentialField, NINJA_REGIONS, type VendorDefinition } from './vendors.ts'

function initialValues(vendor: VendorDefinition): FormValues {
  const values: FormValues = {}
  for (const field of vendor.fields) values[field.name] = ''
  if (vendor.kind === 'ninjaone') values.apiUrl = NINJA_REGIONS[0].url
  return values
}

function FieldInput({
  field,
  value,
  error,
  onChange,
}: {
  field: CredentialField
  value: string
  error: string | undefined
  onChange: (value: string) => void
}) {
  const shared = {
    label: field.label,
    description: field.description,
    placeholder: field.placeholder,
    required: !field.optional,
    value,
    error,
    autoComplete: 'off',
    onChange: (event: ChangeEvent<HTMLInputElement>) => onChange(event.currentTarget.value),
  }
  return field.secret ? <PasswordInput {...shared} /> : <TextInput {...shared} />
}

function RegionPicker({ apiUrl, onPick }: { apiUrl: string; onPick: (url: string) => void }) {
  return (
    <Select
      label="Region"
      description="Fills the API URL. Edit the URL for another instance."
      placeholder="Custom URL"
      data={NINJA_REGIONS.map((region) => ({ value: region.value, label: region.label }))}
      value={regionOfUrl(apiUrl)}
      allowDeselect={false}
      onChange={(value) => {
        const region = NINJA_REGIONS.find((candidate) => candidate.value === value)
        if (region) onPick(region.url)
      }}
    />
  )
}

function ConflictAlert({
  message,
  pending,
  onReplace,
}: {
  message: string
  pending: boolean
  onReplace: () => void
}) {
  return (
    <Alert color="yellow" title="Another PSA is connected" data-testid="psa-conflict">
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        <Group>
          <Button color="yellow" loading={pending} onClick={onReplace}>
            Replace
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}

function useConnect(vendor: VendorDefinition, onConnected: (integration: Integration) => void) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.connect(vendor.kind, body),
    onSuccess: async (integration) => {
      await queryClient.invalidateQueries({
        predicate: (query) => query.queryKey[0] !== keys.session[0],
      })
      onConnected(integration)
    },
  })
}

/** Asks for a vendor's credentials and checks them with the server. */
export function CredentialForm({
  vendor,
  onConnected,
}: {
  vendor: VendorDefinition
  onConnected: (integration: Integration) => void
}) {
  const [values, setValues] = useState<FormValues>(() => initialValues(vendor))
  const [missing, setMissing] = useState<string[]>([])
  const connect = useConnect(vendor, onConnected)
  const setValue = (name: string, value: string) =>
    setValues((previous) => ({ ...previous, [name]: value }))

  const submit = (replace: boolean) => {
    const absent = missingFields(vendor, values)
    setMissing(absent)
    if (absent.length === 0) connect.mutate(connectBody(vendor, values, replace))
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    submit(false)
  }
  const error = connect.error
  const conflict = isApiError(error, 409) && vendor.role === 'psa'
  const fieldOfError = isApiError(error) ? error.field : undefined

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm" maw={520}>
        {vendor.kind === 'ninjaone' && (
          <>
            <RegionPicker apiUrl={values.apiUrl ?? ''} onPick={(url) => setValue('apiUrl', url)} />
            <TextInput
              label="API URL"
              required
              value={values.apiUrl ?? ''}
              error={fieldOfError === 'apiUrl' ? errorMessage(error) : undefined}
              onChange={(event) => setValue('apiUrl', event.currentTarget.value)}
            />
          </>
        )}
        {vendor.fields.map((field) => (
          <FieldInput
            key={field.name}
            field={field}
            value={values[field.name] ?? ''}
            error={fieldOfError === field.name ? errorMessage(error) : undefined}
            onChange={(value) => setValue(field.name, value)}
          />
        ))}
        {missing.length > 0 && (
          <Alert color="red" role="alert">
            Fill in: {missing.join(', ')}.
          </Alert>
        )}
        {conflict && (
          <ConflictAlert
            message={errorMessage(error)}
            pending={connect.isPending}
            onReplace={() => submit(true)}
          />
        )}
        {error && !conflict && !fieldOfError && (
          <Alert color="red" role="alert" title="Could not connect" data-testid="connect-error">
            {errorMessage(error)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={connect.isPending && !conflict}>
            Authenticate
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
