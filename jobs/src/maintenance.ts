import { pruneEvents, pruneWebhookDeliveries, type PrismaClient } from '@pressbox/db';
import { z } from 'zod';
import { defineJob } from './queue/define.ts';

/** Events older than this cannot be resumed from; clients reconnecting later start from now. */
export const EVENT_RETENTION_MS = 7 * 86_400_000;
/** Svix retries a delivery for about three days; a month of ids keeps every replay a no-op. */
export const WEBHOOK_DELIVERY_RETENTION_MS = 30 * 86_400_000;
export const PRUNE_EVERY_MS = 3_600_000;

/** Deletes what the database only keeps for a while: the event log and webhook delivery ids. */
export const pruneJob = defineJob({
  name: 'prune',
  payload: z.object({}),
  result: z.object({ events: z.number().int(), webhookDeliveries: z.number().int() }),
  attempts: 2,
  backoff: { type: 'exponential', delayMs: 60_000 },
  concurrency: 1,
  timeoutMs: 300_000,
});

export async function prune(prisma: PrismaClient, now: Date = new Date()): Promise<{ events: number; webhookDeliveries: number }> {
  const events = await pruneEvents(prisma, new Date(now.getTime() - EVENT_RETENTION_MS));
  const webhookDeliveries = await pruneWebhookDeliveries(prisma, new Date(now.getTime() - WEBHOOK_DELIVERY_RETENTION_MS));
  return { events, webhookDeliveries };
}
