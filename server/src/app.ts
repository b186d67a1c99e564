import express, { Router, type Express, type RequestHandler } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { accessLog } from './http/access-log.ts';
import { clerkWebhookRoutes } from './http/clerk-webhook.ts';
import { cors } from './http/cors.ts';
import { metricsRoutes } from './http/metrics.ts';
import { docsRoutes } from './http/docs.ts';
import { errorHandler, notFound, summarize } from './http/errors.ts';
import { healthRoutes, type ReadinessCheck } from './http/health.ts';
import { ipRateLimit } from './http/ip-rate-limit.ts';
import { markTransport, requestContext } from './http/request-context.ts';
import { trpcRequestLimits } from './http/request-limits.ts';
import { restHandlers } from './http/rest/handler.ts';
import { securityHeaders } from './http/security-headers.ts';
import { inSequence } from './http/sequence.ts';
import { trpcSingleQueries } from './http/trpc-queries.ts';
import { buildOpenApiDocument } from './openapi/document.ts';
import { appRouter } from './router.ts';
import type { Services } from './services/container.ts';
import { httpContextFactory } from './trpc/create-context.ts';
import { subscriptionPaths } from './trpc/meta.ts';
import { version } from './version.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

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

  const isShuttingDown = options.isShuttingDown ?? (() => false);
  app.use(inSequence(requestContext(), closeWhenDraining(isShuttingDown), accessLog(log, services.metrics), securityHeaders()));
  const limitPerIp = ipRateLimit(services.rateLimiter, config.rateLimits.ipPerMinute, log);
  const allowOrigins = cors(config.corsOrigins);
  const trpcLimits = trpcRequestLimits(config.limits, MAX_BODY_BYTES, subscriptionPaths(appRouter));
  // The API first: its requests are most of the traffic, and no other route shares its prefixes.
  app.use(
    '/api/v1',
    inSequence(
      allowOrigins,
      markTransport('rest'),
      limitPerIp,
      ...restHandlers(appRouter, services, { maxBodyBytes: MAX_BODY_BYTES, limits: config.limits }),
    ),
  );
  app.use(
    '/trpc',
    inSequence(
      allowOrigins,
      markTransport('trpc'),
      limitPerIp,
      ...trpcLimits,
      trpcSingleQueries(appRouter, services, logInternalErrors(log)),
      trpcHandler(services),
    ),
  );
  app.use(healthRoutes({ checks: readinessChecks(services, options), isShuttingDown }));
  app.use(documentRoutes());
  app.use(metricsRoutes(services.metrics.registry, config.metricsToken));
  const devKey = services.devKey;
  if (devKey) {
    app.get('/.well-known/jwks.json', (_req, res) => {
      res.json(devKey.publicJwks);
    });
  }
  app.use(clerkWebhookRoutes(services));
  app.use(notFound());
  app.use(errorHandler(log));
  return app;
}

/** While the server drains, every answer ends its connection, so keep-alive clients move elsewhere. */
function closeWhenDraining(isShuttingDown: () => boolean): RequestHandler {
  return function closeWhenDraining(_req, res, next) {
    if (isShuttingDown()) res.setHeader('Connection', 'close');
    next();
  };
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
