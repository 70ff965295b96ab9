import type { Readable } from 'node:stream'

/** The streams and environment a CLI run uses; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean }
  stderr: { write(text: string): unknown; isTTY?: boolean }
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown }
  env: NodeJS.ProcessEnv
}

export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}

/**
 * Reads a secret from standard input: the first line of piped input, or a line typed at a
 * prompt without echo on a terminal. The secret is never echoed or logged.
 */
export async function readSecret(io: CliIo, label: string): Promise<string> {
  if (io.stdin.isTTY && io.stdin.setRawMode) return promptHidden(io, label)
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer))
  const text = Buffer.concat(chunks).toString('utf8')
  return (text.split(/\r?\n/)[0] ?? '').trim()
}

function promptHidden(io: CliIo, label: string): Promise<string> {
  io.stderr.write(`${label}: `)
  const stdin = io.stdin
  stdin.setRawMode?.(true)
  stdin.resume()
  let typed = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\u0003') {
          finish()
          reject(new Error('Cancelled.'))
          return
        }
        if (char === '\r' || char === '\n') {
          finish()
          resolve(typed.trim())
          return
        }
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char
      }
    }
    const finish = () => {
      stdin.off('data', onData)
      stdin.setRawMode?.(false)
      stdin.pause()
      io.stderr.write('\n')
    }
    stdin.on('data', onData)
  })
}
