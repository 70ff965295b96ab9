/** Builds any PSA adapter from stored settings and secrets, so callers stay PSA-neutral. */
import { AppError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { createAutotaskAdapter, resolveAutotaskZoneUrl } from './autotask/index.ts'
import { createConnectWiseAdapter, resolveConnectWiseBaseUrl } from './connectwise/index.ts'
import { createHaloAdapter, resolveHaloBaseUrl } from './halo/index.ts'
import type { PsaAdapter, PsaKind } from './types.ts'

export const PSA_NAMES: Record<PsaKind, string> = {
  connectwise: 'ConnectWise PSA',
  autotask: 'Autotask',
  halo: 'HaloPSA',
}

/** Validated settings (stored in clear) and secrets (stored encrypted) of one PSA connection. */
export interface PsaConnection {
  settings: Record<string, string>
  secrets: Record<string, string>
}

export interface PsaClientOptions {
  logger?: Logger
  timeoutMs?: number
  maxRetries?: number
  baseDelayMs?: number
}

function required(values: Record<string, string | undefined>, key: string, label: string): string {
  const value = values[key]?.trim()
  if (!value) throw new AppError('bad_request', `Missing ${label}.`)
  return value
}

/** Checks and normalizes what a user entered for a PSA; throws `bad_request` naming the field. */
export function resolvePsaConnection(
  kind: PsaKind,
  settings: Record<string, string | undefined>,
  secrets: Record<string, string | undefined>,
): PsaConnection {
  switch (kind) {
    case 'connectwise': {
      const apiUrl = resolveConnectWiseBaseUrl({ site: settings.site, apiUrl: settings.apiUrl })
      return {
        settings: {
          apiUrl: apiUrl.href,
          companyId: required(settings, 'companyId', 'ConnectWise company ID (--company-id)'),
          publicKey: required(settings, 'publicKey', 'ConnectWise public key (--public-key)'),
          clientId: required(settings, 'clientId', 'ConnectWise client ID (--client-id)'),
        },
        secrets: { privateKey: required(secrets, 'privateKey', 'ConnectWise private key') },
      }
    }
    case 'autotask': {
      const zoneUrl = resolveAutotaskZoneUrl(settings.zoneUrl)
      return {
        settings: {
          zoneUrl: zoneUrl.href,
          username: required(settings, 'username', 'Autotask API user name (--username)'),
          integrationCode: required(
            settings,
            'integrationCode',
            'Autotask integration code (--integration-code)',
          ),
        },
        secrets: { secret: required(secrets, 'secret', 'Autotask API user secret') },
      }
    }
    case 'halo': {
      const apiUrl = resolveHaloBaseUrl(required(settings, 'apiUrl', 'HaloPSA API URL (--api-url)'))
      return {
        settings: {
          apiUrl: apiUrl.href.replace(/\/$/, ''),
          clientId: required(settings, 'clientId', 'HaloPSA client ID (--client-id)'),
        },
        secrets: { clientSecret: required(secrets, 'clientSecret', 'HaloPSA client secret') },
      }
    }
  }
}

/** Creates the adapter for a resolved connection. */
export function createPsaAdapter(
  kind: PsaKind,
  connection: PsaConnection,
  options: PsaClientOptions,
): PsaAdapter {
  const { settings, secrets } = connection
  switch (kind) {
    case 'connectwise':
      return createConnectWiseAdapter(
        {
          baseUrl: new URL(settings.apiUrl!),
          companyId: settings.companyId!,
          publicKey: settings.publicKey!,
          privateKey: secrets.privateKey!,
          clientId: settings.clientId!,
        },
        options,
      )
    case 'autotask':
      return createAutotaskAdapter(
        {
          zoneUrl: new URL(settings.zoneUrl!),
          username: settings.username!,
          integrationCode: settings.integrationCode!,
          secret: secrets.secret!,
        },
        options,
      )
    case 'halo':
      return createHaloAdapter(
        {
          baseUrl: new URL(settings.apiUrl!),
          clientId: settings.clientId!,
          clientSecret: secrets.clientSecret!,
        },
        options,
      )
  }
}
