import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** One injected failure. Rules apply in the order they were added; the first match wins. */
export interface FaultRule {
  /** Fires only for request URLs that contain this text; every request when absent. */
  path?: string
  /** Lets this many matching requests through before the rule fires. */
  after?: number
  /** How many matching requests it affects once it fires; unlimited when absent. */
  times?: number
  kind: 'status' | 'rate-limit' | 'slow' | 'malformed-json'
  /** HTTP status for `status` rules (500 when absent). */
  status?: number
  /** `Retry-After` seconds for `rate-limit` rules (1 when absent). */
  retryAfterSeconds?: number
  /** Added delay for `slow` rules before the normal response. */
  delayMs?: number
}

interface ActiveRule extends FaultRule {
  seen: number
  fired: number
}

/** Mutable fault switches of a fake server, plus the log of requests it received. */
export class FaultPlan {
  #rules: ActiveRule[] = []
  /** Latency added to every request, for benchmarks. */
  latencyMs = 0
  /** Every request received, as `METHOD /path?query`. */
  readonly requests: string[] = []

  add(rule: FaultRule): this {
    this.#rules.push({ ...rule, seen: 0, fired: 0 })
    return this
  }

  clear(): void {
    this.#rules = []
  }

  /** Requests received whose URL contains `text`. */
  count(text = ''): number {
    return this.requests.filter((line) => line.includes(text)).length
  }

  /** Returns the rule that fires for this URL, advancing every matching rule's counters. */
  match(url: string): FaultRule | undefined {
    for (const rule of this.#rules) {
      if (rule.path !== undefined && !url.includes(rule.path)) continue
      rule.seen++
      if (rule.seen <= (rule.after ?? 0)) continue
      if (rule.times !== undefined && rule.fired >= rule.times) continue
      rule.fired++
      return rule
    }
    return undefined
  }
}

/** Installs the fault plan as the first hook of a fake's Fastify app. */
export function installFaults(app: FastifyInstance, plan: FaultPlan): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    plan.requests.push(`${request.method} ${request.url}`)
    if (plan.latencyMs > 0) await sleep(plan.latencyMs)
    const rule = plan.match(request.url)
    if (!rule) return
    if (rule.kind === 'slow') {
      await sleep(rule.delayMs ?? 5000)
      return
    }
    if (rule.kind === 'rate-limit') {
      return reply
        .code(429)
        .header('retry-after', String(rule.retryAfterSeconds ?? 1))
        .send({ message: 'Too many requests' })
    }
    if (rule.kind === 'malformed-json') {
      return reply.code(200).header('content-type', 'application/json').send('[{"id": 1,')
    }
    return reply.code(rule.status ?? 500).send({ message: 'Injected server error' })
  })
}
