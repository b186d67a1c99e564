import { AppError } from '@pressbox/db';
import type { JobInfo, JobQueue } from '@pressbox/jobs';
import { jobSchema, type JobDto } from '../schemas/job.ts';
import type { CurrentUser } from './user-directory.ts';

export interface JobsDeps {
  queue: JobQueue;
}

/** Jobs about shared data (summaries) are everyone's; others are their requester's and admins'. */
const sharedJobs = new Set(['summary']);

function canSee(job: JobInfo, user: CurrentUser): boolean {
  return user.role === 'ADMIN' || sharedJobs.has(job.name) || job.requestedBy === user.id;
}

/** A job the user may see; NOT_FOUND for any other, so ids of others' jobs reveal nothing. */
export async function getVisibleJob(deps: JobsDeps, user: CurrentUser, jobId: string): Promise<JobDto> {
  const job = await deps.queue.getJob(jobId);
  if (!job || !canSee(job, user)) throw new AppError('NOT_FOUND', `No job with id ${jobId}`);
  const info = {
    id: job.id,
    name: job.name,
    state: job.state,
    progress: job.progress,
    ...(job.result === undefined ? {} : { result: job.result }),
    ...(job.error === undefined ? {} : { error: job.error }),
    createdAt: job.createdAt.toISOString(),
    ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
  };
  const known = jobSchema.safeParse(info);
  if (known.success) return known.data;
  // A result of another release's shape is left out rather than shown wrong; a kind this release
  // does not run is no job the API knows.
  const withoutResult = jobSchema.safeParse({ ...info, result: undefined });
  if (withoutResult.success) return withoutResult.data;
  throw new AppError('NOT_FOUND', `No job with id ${jobId}`);
}
