import { unwrap, type PressboxClient } from '../index.ts';
import type { components } from '../generated/schema.ts';
import { progress } from './output.ts';

type Job = components['schemas']['Job'];

/** Polls a job until it finishes, reporting its state and progress on stderr. */
export async function waitForJob(client: PressboxClient, jobId: string, intervalMs = 500): Promise<Job> {
  let last = '';
  for (;;) {
    const job = await unwrap(client.GET('/jobs/{jobId}', { params: { path: { jobId } } }));
    const percent = typeof job.progress === 'number' ? ` ${String(Math.round(job.progress))}%` : '';
    const line = `job ${job.id}: ${job.state}${percent}`;
    if (line !== last) progress(line);
    last = line;
    if (job.state === 'completed' || job.state === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
