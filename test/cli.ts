/** Runs the real `msp-recon` binary as a child process, the way users and scripts do. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { PsaKind } from '../src/psa/types.ts'

const BIN = fileURLToPath(new URL('../bin/msp-recon.js', import.meta.url))

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs `msp-recon args…` with `env` added to a minimal environment and optional stdin. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      // The sources under test, not a dist/ build that may be older.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, MSP_RECON_FROM_SOURCE: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

/** Arguments of `connect ninjaone` for a NinjaOne fake; the secret goes to standard input. */
export function ninjaConnectArgs(ninja: { url: string; clientId: string }): string[] {
  return [
    'connect',
    'ninjaone',
    '--api-url',
    ninja.url,
    '--client-id',
    ninja.clientId,
    '--client-secret-stdin',
  ]
}

/** Arguments of `connect <psa>` for a PSA fake's settings; the secret goes to standard input. */
export const PSA_CONNECT_ARGS: Record<PsaKind, (settings: Record<string, string>) => string[]> = {
  connectwise: (s) => [
    'connect',
    'connectwise',
    '--api-url',
    s.apiUrl!,
    '--company-id',
    s.companyId!,
    '--public-key',
    s.publicKey!,
    '--client-id',
    s.clientId!,
    '--private-key-stdin',
  ],
  autotask: (s) => [
    'connect',
    'autotask',
    '--username',
    s.username!,
    '--integration-code',
    s.integrationCode!,
    '--zone-url',
    s.zoneUrl!,
    '--secret-stdin',
  ],
  halo: (s) => [
    'connect',
    'halo',
    '--api-url',
    s.apiUrl!,
    '--client-id',
    s.clientId!,
    '--client-secret-stdin',
  ],
}

/** Returns the one secret of a PSA fake connection, which `connect` reads from stdin. */
export function psaSecret(connection: { secrets: Record<string, string> }): string {
  return Object.values(connection.secrets)[0]!
}
