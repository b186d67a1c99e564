import { z } from 'zod';
import { isoDateTime } from './common.ts';

export const jobSchema = z
  .object({
    id: z.string(),
    name: z.string().meta({ examples: ['summary', 'feed-fetch'] }),
    state: z.enum(['waiting', 'active', 'completed', 'failed', 'delayed']),
    progress: z.union([z.number(), z.record(z.string(), z.unknown())]),
    result: z.unknown().optional(),
    error: z.string().optional().meta({ description: 'Why the job failed' }),
    createdAt: isoDateTime,
    finishedAt: isoDateTime.optional(),
  })
  .meta({ id: 'Job' });

export type JobDto = z.infer<typeof jobSchema>;
