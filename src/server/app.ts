import { randomUUID } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifySwagger from '@fastify/swagger'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod'
import { createContext, type HttpSettings, httpSettingsFromEnv } from '../app/context.ts'
import { type Logger, REDACTED_PATHS } from '../log.ts'
import type { Store } from '../store/store.ts'
import { UserRepository } from '../store/users.ts'
import { installSessionHook, SESSION_COOKIE } from './auth.ts'
import { installErrorHandler } from './errors.ts'
import { accountRoutes } from './routes/accounts.ts'
import { authRoutes, tooManyAttempts } from './routes/auth.ts'
import { integrationRoutes } from './routes/integrations.ts'
import { reconciliationRoutes } from './routes/reconciliation.ts'
import { serviceRoutes } from './routes/services.ts'
import { syncRoutes } from './routes/sync.ts'
import type { RouteDeps } from './schemas.ts'
import { SyncRunner } from './sync-runner.ts'
import { installWebApp, isApiPath } from './web-app.ts'

/** Parts and settings of the server. */
export interface ServerOptions {
  store: Store
  /** Structured logger. Request logs carry method, URL and status, never headers or bodies. */
  logger: Logger
  /** Folder of the built web app, served when it contains index.html. */
  webDist?: string
  /** Marks the session cookie Secure and sends HSTS, for servers behind a TLS proxy. */
  secureCookies?: boolean
  /** Vendor and PSA client settings, read from `MSP_RECON_HTTP_*` variables when absent. */
  http?: HttpSettings
}

/** A built msp-recon server. */
export type Server = FastifyInstance

/**
 * Builds the msp-recon HTTP server (not listening): the REST API under `/api` with session
 * sign-in, CSRF checks and an OpenAPI document, and the web app when `webDist` is given.
 */
export async function buildServer(options: ServerOptions): Promise<Server> {
  const secureCookies = options.secureCookies ?? false
  const logger = options.logger.child(
    { component: 'http' },
    { redact: { paths: [...REDACTED_PATHS, 'req.body', 'body'], censor: '[redacted]' } },
  )
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    trustProxy: false,
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  installJsonParser(app)
  installErrorHandler(app)

  await app.register(fastifyHelmet, helmetOptions(secureCookies))
  await app.register(fastifyCookie)
  await app.register(fastifyRateLimit, {
    global: false,
    // Only sign-in is rate limited, so the error names it.
    errorResponseBuilder: (_request, context) => tooManyAttempts(context.ttl),
  })
  await app.register(fastifySwagger, openApiOptions())

  const users = new UserRepository(options.store.db, options.store.dialect)
  const runner = new SyncRunner(logger.child({ component: 'sync' }))
  installSessionHook(app, { users, secureCookies })
  installResponseHeaders(app)

  const http = options.http ?? httpSettingsFromEnv()
  const deps: RouteDeps = {
    store: options.store,
    users,
    runner,
    secureCookies,
    contextFor: (request: FastifyRequest) =>
      createContext(options.store, {
        logger: logger.child({ reqId: request.id }),
        http,
        actor: request.userSession?.user.email ?? 'api',
      }),
  }
  await registerRoutes(app, deps)
  await installWebApp(app, options.webDist)
  app.addHook('onClose', () => runner.idle())
  return app
}

async function registerRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger())
  for (const routes of [
    authRoutes,
    integrationRoutes,
    syncRoutes,
    accountRoutes,
    serviceRoutes,
    reconciliationRoutes,
  ]) {
    await app.register(routes, { prefix: '/api', deps })
  }
}

/**
 * Parses JSON bodies only: the default text/plain parser is removed, so a cross-site form
 * cannot reach a route. An empty JSON body counts as no body, since browsers send one on
 * DELETE with the header set.
 */
function installJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') {
      done(null, undefined)
      return
    }
    parseJson(request, body as string, done)
  })
}

function installResponseHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    // API responses are per user and may name customers, so no cache may keep them.
    if (isApiPath(request.url)) reply.header('cache-control', 'no-store')
  })
}

/**
 * Builds the Helmet options. The Content Security Policy suits a same-origin single-page app:
 * scripts, data and frames from this origin only. Inline styles stay allowed because Mantine
 * injects its CSS variables in a style element and charts set style attributes.
 */
function helmetOptions(secure: boolean) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only makes sense when the site is reached over HTTPS.
    strictTransportSecurity: secure ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'no-referrer' as const },
    frameguard: { action: 'deny' as const },
  }
}

function openApiOptions() {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'msp-recon API',
        description:
          'Reconcile NinjaOne device counts with PSA billing. Sign in with POST ' +
          '/api/auth/login; send the csrfToken as x-csrf-token on every POST, PUT and DELETE.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey' as const, in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  }
}
