import express, { Router, type Express, type RequestHandler } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import { accessLog } from './http/access-log.ts';
import { clerkWebhookRoutes } from './http/clerk-webhook.ts';
import { cors } from './http/cors.ts';
import { metricsRoutes } from './http/metrics.ts';
import { docsRoutes } from './http/docs.ts';
import { errorHandler, notFound, summarize } from './http/errors.ts';
import { healthRoutes, type ReadinessCheck } from './http/health.ts';
import { ipRateLimit } from './http/ip-rate-limit.ts';
import { markTransport, requestContext } from './http/request-context.ts';
import { restRequestLimits, trpcRequestLimits } from './http/request-limits.ts';
import { securityHeaders } from './http/security-headers.ts';
import { buildOpenApiDocument } from './openapi/document.ts';
import { appRouter } from './router.ts';
import type { Services } from './services/container.ts';
import { httpContextFactory } from './trpc/create-context.ts';
import { procedureMetas, subscriptionPaths } from './trpc/meta.ts';
import { version } from './version.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

const procedureMeta = procedureMetas(appRouter);

/** REST status of a successful call: 202 for accepted background work, else 200. */
function restSuccessStatus({
  paths,
  data,
  errors,
}: {
  paths?: readonly string[] | undefined;
  data: readonly unknown[];
  errors: readonly unknown[];
}) {
  if (errors.length > 0) return {};
  const meta = paths?.[0] === undefined ? undefined : procedureMeta.get(paths[0]);
  if (meta?.successStatus) return { status: meta.successStatus };
  const result = data[0];
  if (meta?.deferrable && typeof result === 'object' && result !== null && 'status' in result && result.status === 'pending')
    return { status: 202 };
  return {};
}

export interface AppOptions {
  isShuttingDown?: () => boolean;
  readinessChecks?: readonly ReadinessCheck[];
}

/**
 * The HTTP surface: tRPC at /trpc, REST at /api/v1 (same procedures), the OpenAPI document and
 * its reference page, health probes and, in dev auth mode, the JWKS of the local signing key.
 */
export function createApp(services: Services, options: AppOptions = {}): Express {
  const { log, config } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trustProxy);

  app.use(requestContext());
  app.use(accessLog(log, services.metrics));
  app.use(securityHeaders());
  app.use(healthRoutes({ checks: readinessChecks(services, options), isShuttingDown: options.isShuttingDown ?? (() => false) }));
  app.use(documentRoutes());
  app.use(metricsRoutes(services.metrics.registry, config.metricsToken));
  const devKey = services.devKey;
  if (devKey) {
    app.get('/.well-known/jwks.json', (_req, res) => {
      res.json(devKey.publicJwks);
    });
  }
  app.use(clerkWebhookRoutes(services));
  const limitPerIp = ipRateLimit(services.rateLimiter, config.rateLimits.ipPerMinute, log);
  const allowOrigins = cors(config.corsOrigins);
  const trpcLimits = trpcRequestLimits(config.limits, MAX_BODY_BYTES, subscriptionPaths(appRouter));
  app.use('/trpc', allowOrigins, markTransport('trpc'), limitPerIp, ...trpcLimits, trpcHandler(services));
  app.use(
    '/api/v1',
    allowOrigins,
    markTransport('rest'),
    limitPerIp,
    ...restRequestLimits(config.limits, MAX_BODY_BYTES),
    ...restHandlers(services),
  );
  app.use(notFound());
  app.use(errorHandler(log));
  return app;
}

/** What /readyz checks: the database, Redis, the job queue and the summarizer's breaker. */
function readinessChecks(services: Services, options: AppOptions): ReadinessCheck[] {
  return [
    { name: 'database', check: async () => (await services.db.ping(), { kind: services.db.kind }) },
    ...(services.redis ? [{ name: 'redis', check: async () => (await services.redis?.ping(), undefined) } satisfies ReadinessCheck] : []),
    {
      name: 'jobs',
      check: async () => {
        if (!(await services.queue.ping())) throw new Error('job queue unavailable');
        return { kind: services.queue.kind };
      },
    },
    {
      name: 'summarizer',
      check: () => {
        const health = services.summaries.health();
        return Promise.resolve({ provider: health.provider, model: health.model, breaker: health.breaker, servingStale: !health.ready });
      },
    },
    ...(options.readinessChecks ?? []),
  ];
}

/** `/openapi.json` (built once from the router) and `/docs`. */
function documentRoutes(): Router {
  const routes = Router();
  const documentJson = JSON.stringify(buildOpenApiDocument(appRouter, { version, baseUrl: '/api/v1' }));
  routes.get('/openapi.json', (_req, res) => {
    res.type('application/json').setHeader('Access-Control-Allow-Origin', '*').send(documentJson);
  });
  routes.use(docsRoutes());
  return routes;
}

function logInternalErrors(log: Services['log']) {
  return function logInternalError({ error, path }: { error: { code: string; cause?: unknown }; path?: string | undefined }): void {
    if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ path, err: summarize(error.cause ?? error) }, 'procedure failed');
  };
}

/** tRPC over HTTP. */
function trpcHandler(services: Services): RequestHandler {
  return createExpressMiddleware({
    router: appRouter,
    createContext: httpContextFactory(services, 'trpc'),
    maxBodySize: MAX_BODY_BYTES,
    maxBatchSize: services.config.limits.batchCalls,
    onError: logInternalErrors(services.log),
  });
}

/** REST: JSON bodies parsed by Express (whatever their charset), then trpc-to-openapi. */
function restHandlers(services: Services): RequestHandler[] {
  const rest = createOpenApiNodeHttpHandler({
    router: appRouter,
    createContext: httpContextFactory(services, 'rest'),
    maxBodySize: MAX_BODY_BYTES,
    onError: logInternalErrors(services.log),
    responseMeta: restSuccessStatus,
  });
  return [
    express.json({ limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] }),
    function treatEmptyBodyAsEmptyObject(req, _res, next) {
      // PUT /me/follows/{teamId} and friends carry everything in the path: an empty body is fine.
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      if (!hasBody && req.headers['content-type'] === undefined && req.method !== 'GET' && req.method !== 'HEAD') {
        req.headers['content-type'] = 'application/json';
        req.body = {};
      }
      next();
    },
    function restHandler(req, res, next) {
      void rest(req, res, next);
    },
  ];
}
