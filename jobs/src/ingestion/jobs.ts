import { z } from 'zod';
import { defineJob } from '../queue/define.ts';

/** Fetches one source: conditional GET, parse, store, announce. */
export const feedFetchJob = defineJob({
  name: 'feed-fetch',
  payload: z.object({ sourceId: z.uuid(), force: z.boolean().default(false) }),
  result: z.object({
    status: z.enum(['stored', 'not-modified', 'failed', 'skipped']),
    created: z.number().int(),
    updated: z.number().int(),
    error: z.string().optional(),
    nextFetchAt: z.string().optional(),
    /** The source's new URL after a permanent redirect. */
    movedTo: z.string().optional(),
  }),
  attempts: 2,
  backoff: { type: 'exponential', delayMs: 5_000 },
  concurrency: 8,
  timeoutMs: 120_000,
});

/** Looks for sources that are due and enqueues one fetch job each. */
export const feedScanJob = defineJob({
  name: 'feed-scan',
  payload: z.object({}),
  result: z.object({ enqueued: z.number().int() }),
  attempts: 1,
  backoff: { type: 'exponential', delayMs: 1_000 },
  concurrency: 1,
  timeoutMs: 60_000,
});

/** How often the scan runs; due sources wait at most this long past their next fetch time. */
export const FEED_SCAN_EVERY_MS = 30_000;

/** The job id of a source's fetch due at `due`: one job per source and due time. */
export function feedFetchJobKey(sourceId: string, due: Date): string {
  return `${sourceId}.${String(due.getTime())}`;
}
