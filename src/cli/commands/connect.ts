import type { Command } from 'commander'
import { connectNinjaOne, connectPsa } from '../../app/integrations.ts'
import { PSA_NAMES } from '../../psa/registry.ts'
import { type CliIo, readSecret } from '../io.ts'
import { withContext } from '../runtime.ts'

interface NinjaFlags {
  region?: string
  apiUrl?: string
  clientId: string
  clientSecretStdin?: boolean
}

interface ConnectWiseFlags {
  site?: string
  apiUrl?: string
  companyId: string
  publicKey: string
  clientId: string
  privateKeyStdin?: boolean
  replace?: boolean
}

interface AutotaskFlags {
  username: string
  integrationCode: string
  zoneUrl?: string
  secretStdin?: boolean
  replace?: boolean
}

interface HaloFlags {
  apiUrl: string
  clientId: string
  clientSecretStdin?: boolean
  replace?: boolean
}

const STDIN_NOTE = 'secrets are read from standard input, never from arguments'

/** Registers `connect ninjaone|connectwise|autotask|halo`. */
export function registerConnect(program: Command, io: CliIo): void {
  const connect = program.command('connect').description('Connect NinjaOne or a PSA')

  connect
    .command('ninjaone')
    .description(`Check NinjaOne API credentials and store them encrypted (${STDIN_NOTE})`)
    .option('--region <region>', 'NinjaOne region: us, us2, ca, eu or oc')
    .option('--api-url <url>', 'NinjaOne instance URL instead of a region')
    .requiredOption('--client-id <id>', 'API client ID (client credentials app)')
    .requiredOption('--client-secret-stdin', 'read the client secret from standard input')
    .action(async (flags: NinjaFlags) => {
      const clientSecret = await readSecret(io, 'NinjaOne client secret')
      const integration = await withContext(io, (ctx) =>
        connectNinjaOne(ctx, { ...flags, clientSecret }),
      )
      io.stdout.write(
        `Connected to NinjaOne at ${integration.settings.apiUrl}. Next: msp-recon sync\n`,
      )
    })

  connect
    .command('connectwise')
    .description(`Check ConnectWise PSA API keys and store them encrypted (${STDIN_NOTE})`)
    .option('--site <host>', 'ConnectWise API host, e.g. api-na.myconnectwise.net')
    .option('--api-url <url>', 'full API URL ending in /apis/3.0, instead of --site')
    .requiredOption('--company-id <id>', 'ConnectWise company ID used to sign in')
    .requiredOption('--public-key <key>', 'API member public key')
    .requiredOption('--private-key-stdin', 'read the API member private key from standard input')
    .requiredOption('--client-id <guid>', 'clientId registered at developer.connectwise.com')
    .option('--replace', 'replace another connected PSA, clearing every mapping')
    .action(async (flags: ConnectWiseFlags) => {
      const privateKey = await readSecret(io, 'ConnectWise private key')
      const { site, apiUrl, companyId, publicKey, clientId } = flags
      await connectPsaAndReport(io, 'connectwise', flags.replace, {
        settings: { site, apiUrl, companyId, publicKey, clientId },
        secrets: { privateKey },
      })
    })

  connect
    .command('autotask')
    .description(`Check Autotask API user credentials and store them encrypted (${STDIN_NOTE})`)
    .requiredOption('--username <user>', 'API user name (an email address)')
    .requiredOption('--integration-code <code>', 'API tracking identifier (integration code)')
    .requiredOption('--secret-stdin', 'read the API user secret from standard input')
    .option('--zone-url <url>', 'where the zone lookup is asked', undefined)
    .option('--replace', 'replace another connected PSA, clearing every mapping')
    .action(async (flags: AutotaskFlags) => {
      const secret = await readSecret(io, 'Autotask secret')
      const { username, integrationCode, zoneUrl } = flags
      await connectPsaAndReport(io, 'autotask', flags.replace, {
        settings: { username, integrationCode, zoneUrl },
        secrets: { secret },
      })
    })

  connect
    .command('halo')
    .description(`Check HaloPSA client credentials and store them encrypted (${STDIN_NOTE})`)
    .requiredOption('--api-url <url>', "the tenant's base URL, without /api")
    .requiredOption('--client-id <id>', 'client ID of a Client ID and Secret (Services) app')
    .requiredOption('--client-secret-stdin', 'read the client secret from standard input')
    .option('--replace', 'replace another connected PSA, clearing every mapping')
    .action(async (flags: HaloFlags) => {
      const clientSecret = await readSecret(io, 'HaloPSA client secret')
      await connectPsaAndReport(io, 'halo', flags.replace, {
        settings: { apiUrl: flags.apiUrl, clientId: flags.clientId },
        secrets: { clientSecret },
      })
    })
}

async function connectPsaAndReport(
  io: CliIo,
  kind: 'connectwise' | 'autotask' | 'halo',
  replace: boolean | undefined,
  input: { settings: Record<string, string | undefined>; secrets: Record<string, string> },
): Promise<void> {
  await withContext(io, (ctx) => connectPsa(ctx, { kind, replace, ...input }))
  io.stdout.write(`Connected to ${PSA_NAMES[kind]}. Next: msp-recon sync\n`)
}
