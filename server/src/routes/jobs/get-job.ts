import { AppError } from '@pressbox/db';
import type { JobInfo } from '@pressbox/jobs';
import { z } from 'zod';
import { isoDateTime } from '../../schemas/common.ts';
import type { Meta } from '../../trpc/meta.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

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

/** Jobs about shared data (summaries) are everyone's; others are their requester's and admins'. */
const sharedJobs = new Set(['summary']);

function canSee(job: JobInfo, user: { id: string; role: string }): boolean {
  return user.role === 'ADMIN' || sharedJobs.has(job.name) || job.requestedBy === user.id;
}

export const getJobProcedure = protectedProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/jobs/{jobId}',
      tags: ['jobs'],
      summary: 'A background job: state, progress, result or error',
      description: 'Members see the jobs they started and summary jobs; admins see every job.',
    },
  } satisfies Meta)
  .input(
    z.object({
      jobId: z
        .string()
        .min(1)
        .max(400)
        .meta({ description: 'Job id', examples: ['summary.nba-bos.MEDIUM.3f2a9c'] }),
    }),
  )
  .output(jobSchema)
  .query(async ({ ctx, input }) => {
    const job = await ctx.services.queue.getJob(input.jobId);
    if (!job || !canSee(job, ctx.user)) throw new AppError('NOT_FOUND', `No job with id ${input.jobId}`);
    return {
      id: job.id,
      name: job.name,
      state: job.state,
      progress: job.progress,
      ...(job.result === undefined ? {} : { result: job.result }),
      ...(job.error === undefined ? {} : { error: job.error }),
      createdAt: job.createdAt.toISOString(),
      ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
    };
  });
