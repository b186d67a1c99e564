import { z } from 'zod';
import type { JobDefinition } from './interface.ts';

/** Job names double as BullMQ queue names and as the first part of every job id. */
export const jobNamePattern = /^[a-z][a-z0-9-]{0,62}$/;

const settingsSchema = z.object({
  name: z.string().regex(jobNamePattern, 'must be lower-case letters, digits and "-", starting with a letter (at most 63)'),
  attempts: z.int().min(1).max(100),
  backoff: z.object({ type: z.literal('exponential'), delayMs: z.int().min(0).max(86_400_000) }),
  concurrency: z.int().min(1).max(1_000),
  timeoutMs: z.int().min(1).optional(),
});

/**
 * Declares a kind of background job: its payload and result schemas and how it is retried. The
 * settings are checked here, so a bad definition fails at import time rather than at first use.
 *
 * @example
 * export const refreshSummaryJob = defineJob({
 *   name: 'summary-refresh',
 *   payload: z.object({ teamId: z.string(), length: z.enum(['SHORT', 'MEDIUM', 'LONG']) }),
 *   result: z.object({ summaryId: z.string() }),
 *   attempts: 3,
 *   backoff: { type: 'exponential', delayMs: 1_000 },
 *   concurrency: 2,
 *   timeoutMs: 60_000,
 * });
 */
export function defineJob<P extends z.ZodType, R extends z.ZodType>(definition: JobDefinition<P, R>): JobDefinition<P, R> {
  const settings = settingsSchema.safeParse({
    name: definition.name,
    attempts: definition.attempts,
    backoff: definition.backoff,
    concurrency: definition.concurrency,
    timeoutMs: definition.timeoutMs,
  });
  if (!settings.success) {
    const problems = settings.error.issues.map((issue) => `${issue.path.join('.') || 'definition'} ${issue.message}`).join('; ');
    throw new Error(`Invalid job definition "${definition.name}": ${problems}`);
  }
  return Object.freeze({ ...definition, backoff: Object.freeze({ ...definition.backoff }) });
}

/** A delay in ms: a non-negative integer, at most 30 days. */
export function checkedDelayMs(delayMs: number | undefined): number {
  if (delayMs === undefined) return 0;
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 30 * 86_400_000) {
    throw new Error(`delayMs must be an integer from 0 to 30 days in ms, got ${String(delayMs)}`);
  }
  return delayMs;
}

/** A scheduler interval in ms: a positive integer. */
export function checkedEveryMs(everyMs: number): number {
  if (!Number.isInteger(everyMs) || everyMs < 1) throw new Error(`everyMs must be a positive integer, got ${String(everyMs)}`);
  return everyMs;
}
