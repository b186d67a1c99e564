import { feedFetchJob, feedScanJob, pruneJob, summaryJob } from '@pressbox/jobs';
import { z } from 'zod';
import { isoDateTime } from './common.ts';

const jobFields = {
  id: z.string(),
  state: z.enum(['waiting', 'active', 'completed', 'failed', 'delayed']),
  progress: z.union([z.number(), z.record(z.string(), z.unknown())]),
  error: z.string().optional().meta({ description: 'Why the job failed' }),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.optional(),
};

/** A job of one kind, with the result that kind produces (present once it completed). */
function jobOf<Name extends string, Result extends z.ZodType>(name: Name, result: Result, id: string, description: string) {
  return z
    .object({ name: z.literal(name), ...jobFields, result: result.meta({ id: `${id}Result` }).optional() })
    .meta({ id: `${id}Job`, description });
}

export const jobSchema = z
  .discriminatedUnion('name', [
    jobOf('feed-fetch', feedFetchJob.result, 'FeedFetch', 'Fetches one source: conditional GET, parse, store, announce'),
    jobOf('summary', summaryJob.result, 'Summary', 'Makes the summary of a team’s news at one length'),
    jobOf('feed-scan', feedScanJob.result, 'FeedScan', 'Enqueues a fetch for every source that is due'),
    jobOf('prune', pruneJob.result, 'Prune', 'Deletes old events and webhook delivery ids'),
  ])
  .meta({ id: 'Job', description: 'A background job; `name` says which kind, and so the shape of `result`' });

export type JobDto = z.infer<typeof jobSchema>;
