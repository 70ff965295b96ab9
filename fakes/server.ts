import type { FastifyInstance } from 'fastify'

/** A fake API listening on 127.0.0.1. */
export interface RunningFake {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string
  port: number
  close(): Promise<void>
}

/** Starts a fake's Fastify app on 127.0.0.1 only; port 0 picks a free port. */
export async function listenOnLoopback(app: FastifyInstance, port = 0): Promise<RunningFake> {
  await app.listen({ host: '127.0.0.1', port })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('fake has no TCP address')
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () => app.close(),
  }
}
