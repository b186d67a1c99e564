import { AppError } from '@pressbox/db';
import type { JobInfo, JobQueue } from '@pressbox/jobs';
import type { JobDto } from '../schemas/job.ts';
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
}
