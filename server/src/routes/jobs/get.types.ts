import { z } from 'zod';
import { jobSchema } from '../../schemas/job.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/jobs/{jobId}',
    tags: ['jobs'],
    summary: 'A background job: state, progress, result or error',
    description: 'Members see the jobs they started and summary jobs; admins see every job.',
  },
} satisfies Meta;

export const input = z.object({
  jobId: z
    .string()
    .min(1)
    .max(400)
    .meta({ description: 'Job id', examples: ['summary.nba-bos.MEDIUM.3f2a9c'] }),
});
export const output = jobSchema;
