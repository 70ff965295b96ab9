import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../errors.ts'
import { ensureDataDir } from './database.ts'

const KEY_BYTES = 32
const IV_BYTES = 12

/** An encrypted value: AES-256-GCM ciphertext, nonce and authentication tag, all base64. */
export interface SealedSecret {
  ciphertext: string
  iv: string
  authTag: string
}

function decodeKey(encoded: string, source: string): Buffer {
  const key = Buffer.from(encoded.trim(), 'base64')
  if (key.length !== KEY_BYTES) {
    throw new AppError(
      'bad_request',
      `Invalid encryption key in ${source}: expected base64 of ${KEY_BYTES} bytes, got ` +
        `${key.length} bytes. Generate one with: openssl rand -base64 32`,
    )
  }
  return key
}

/**
 * Loads the key that encrypts stored credentials: `MSP_RECON_KEY` (base64 of 32 bytes) when
 * set, else `secret.key` in the data dir, created with mode 0600 on first use.
 */
export function loadEncryptionKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.MSP_RECON_KEY) return decodeKey(env.MSP_RECON_KEY, 'MSP_RECON_KEY')
  const path = join(dataDir, 'secret.key')
  if (existsSync(path)) return decodeKey(readFileSync(path, 'utf8'), path)
  ensureDataDir(dataDir)
  const key = randomBytes(KEY_BYTES)
  // `wx` fails if another process created the file meanwhile, instead of overwriting its key.
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
  return key
}

/** Encrypts `plaintext`, binding it to `context` (e.g. the integration kind) as associated data. */
export function seal(key: Buffer, plaintext: string, context: string): SealedSecret {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return {
    ciphertext: ciphertext.toString('base64'),
    iv: iv.toString('base64'),
    authTag: cipher.getAuthTag().toString('base64'),
  }
}

/** Decrypts a {@link SealedSecret}; fails when the key, context or ciphertext do not match. */
export function unseal(key: Buffer, sealed: SealedSecret, context: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'))
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(sealed.authTag, 'base64'))
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ])
    return plain.toString('utf8')
  } catch (error) {
    throw new AppError(
      'internal',
      `Stored credentials for ${context} cannot be decrypted: the encryption key changed or ` +
        'the data is damaged. Reconnect the integration.',
      {},
      { cause: error },
    )
  }
}
