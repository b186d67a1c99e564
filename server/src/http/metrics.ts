import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { sendError } from './errors.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in the Prometheus text format. With a token configured (PRESSBOX_METRICS_TOKEN)
 * scrapers must send it as `Authorization: Bearer <token>`, compared in constant time; without one
 * the endpoint is open and belongs on a private network.
 */
export function metricsRoutes(registry: Registry, token: string | undefined): Router {
  const expected = token === undefined ? undefined : digest(token);
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (expected) {
      const match = /^Bearer ([^\s,]+)$/.exec(req.headers.authorization ?? '');
      if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
        sendError(res, 'UNAUTHORIZED');
        return;
      }
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
