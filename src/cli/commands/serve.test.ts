import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { makeDataDir } from '../../../test/stores.ts'
import { Store } from '../../store/store.ts'
import { UserRepository } from '../../store/users.ts'
import type { CliIo } from '../io.ts'
import { main } from '../main.ts'
import { serveUntil } from './serve.ts'

const PASSWORD = 'a long enough passphrase'

let dataDir: string | undefined

afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  dataDir = undefined
})

/** Creates the streams of a CLI run: stdin piping `input`, and captured stdout and stderr. */
function testIo(env: NodeJS.ProcessEnv, input = '') {
  const output = { stdout: '', stderr: '' }
  const io: CliIo = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text) },
    stdin: Readable.from([input]),
    env,
  }
  return { io, output }
}

function freshDataDir() {
  const created = makeDataDir()
  dataDir = created.dataDir
  return created.env
}

async function addUser(env: NodeJS.ProcessEnv, email: string, password: string) {
  const { io, output } = testIo(env, `${password}\n`)
  const code = await main(['node', 'msp-recon', 'user', 'add', email], io)
  return { code, ...output }
}

describe('user add', () => {
  it('adds a user who can sign in', async () => {
    const env = freshDataDir()
    const result = await addUser(env, 'Ops@Example.com', PASSWORD)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      'Added user ops@example.com. Sign in with this email in the web app.\n',
    )
    expect(result.stdout + result.stderr).not.toContain(PASSWORD)

    const store = await Store.open({ dataDir }, env)
    try {
      const users = new UserRepository(store.db, store.dialect)
      expect(await users.verifyPassword('ops@example.com', PASSWORD)).toMatchObject({
        email: 'ops@example.com',
      })
      expect(await users.verifyPassword('ops@example.com', `${PASSWORD}!`)).toBeUndefined()
    } finally {
      await store.close()
    }
  })

  it('rejects an existing email', async () => {
    const env = freshDataDir()
    expect((await addUser(env, 'ops@example.com', PASSWORD)).code).toBe(0)
    const again = await addUser(env, 'OPS@example.com', 'another long passphrase')
    expect(again.code).toBe(1)
    expect(again.stderr).toBe('msp-recon: User ops@example.com already exists.\n')
  })

  it('rejects a short password', async () => {
    const env = freshDataDir()
    const result = await addUser(env, 'ops@example.com', 'short-pw')
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'msp-recon: The password is too short: use at least 12 characters that are not spaces.\n',
    )
    expect(result.stderr).not.toContain('short-pw')
  })

  it('rejects a password of spaces', async () => {
    const env = freshDataDir()
    const result = await addUser(env, 'ops@example.com', ' '.repeat(16))
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('The password is too short')
  })

  it('rejects an invalid email', async () => {
    const env = freshDataDir()
    const result = await addUser(env, 'not-an-email', PASSWORD)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Invalid email "not-an-email"')
  })
})

describe('serve', () => {
  it('answers on the printed URL', async () => {
    const env = freshDataDir()
    const { io, output } = testIo(env)
    let stop = () => {}
    const stopped = new Promise<void>((resolve) => {
      stop = resolve
    })
    let announce = (_url: string) => {}
    const announced = new Promise<string>((resolve) => {
      announce = resolve
    })
    const options = { port: 0, host: '127.0.0.1', secureCookies: false, webDist: '/nowhere' }
    const serving = serveUntil(io, options, stopped, announce)
    const endedEarly = serving.then(() => {
      throw new Error('serve ended before listening')
    })
    const baseUrl = await Promise.race([announced, endedEarly])
    try {
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const response = await fetch(`${baseUrl}/api/auth/session`)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ setupRequired: true })
      expect(output.stdout).toContain(`msp-recon serves ${baseUrl}\n`)
      expect(output.stdout).toContain('No web app build at /nowhere; serving the API only.')
      expect(output.stdout).toContain(join(dataDir!, 'msp-recon.log'))
    } finally {
      stop()
      await serving
    }
    expect(output.stdout).toContain('Stopping: waiting for a running sync to finish')
  })
})
