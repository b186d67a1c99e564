import { verifyWebhook } from '@clerk/backend/webhooks';
import express, { Router } from 'express';
import { applyClerkWebhook } from '../domain/clerk-webhooks.ts';
import type { Services } from '../services/container.ts';
import { sendError, summarize } from './errors.ts';

const MAX_WEBHOOK_BYTES = 1024 * 1024;

/**
 * `POST /webhooks/clerk`: Clerk's user events, verified (Standard Webhooks / Svix signature over
 * the raw body, timestamp tolerance) before anything is parsed or written.
 */
export function clerkWebhookRoutes(services: Services): Router {
  const routes = Router();
  routes.post('/webhooks/clerk', express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), async (req, res) => {
    const secret = services.config.webhookSigningSecret;
    if (!secret) {
      sendError(res, 'SERVICE_UNAVAILABLE', 'Clerk webhooks are not configured (CLERK_WEBHOOK_SIGNING_SECRET)');
      return;
    }
    const body: unknown = req.body;
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const headers = new Headers();
    for (const name of [
      'svix-id',
      'svix-timestamp',
      'svix-signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'content-type',
    ]) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    let event: { type: string; data: unknown };
    try {
      event = await verifyWebhook(new Request('http://localhost/webhooks/clerk', { method: 'POST', headers, body: raw }), {
        signingSecret: secret,
      });
    } catch {
      services.log.warn({ deliveryId: headers.get('svix-id') }, 'clerk webhook refused: bad or missing signature');
      sendError(res, 'BAD_REQUEST', 'Webhook signature verification failed');
      return;
    }
    const deliveryId = headers.get('svix-id') ?? headers.get('webhook-id') ?? '';
    try {
      const result = await applyClerkWebhook(services.prisma, deliveryId.slice(0, 200), event, (userId) =>
        services.config.adminUserIds.has(userId) ? 'ADMIN' : 'MEMBER',
      );
      if (result.userId) services.users.forget(result.userId);
      services.log.info({ deliveryId, type: event.type, outcome: result.outcome }, 'clerk webhook');
      res.json({ status: result.outcome });
    } catch (error) {
      services.log.error({ deliveryId, err: summarize(error) }, 'clerk webhook failed');
      sendError(res, 'INTERNAL_SERVER_ERROR');
    }
  });
  return routes;
}
