import { createBullmqJobQueue } from './bullmq.ts';
import type { JobQueue, JobQueueLogger } from './interface.ts';
import { createMemoryJobQueue } from './memory.ts';

export type JobQueueConfig =
  | { kind: 'bullmq'; redisUrl: string; prefix: string; lockDurationMs?: number; stalledIntervalMs?: number; logger?: JobQueueLogger }
  | { kind: 'memory'; logger?: JobQueueLogger };

/**
 * Opens the job queue the process runs with, chosen once at start: BullMQ when Redis is
 * configured, otherwise the in-process runner of the embedded default.
 *
 * @example
 * const jobs = createJobQueue(env.REDIS_URL ? { kind: 'bullmq', redisUrl: env.REDIS_URL, prefix: 'pressbox' } : { kind: 'memory' });
 * jobs.registerWorker(refreshSummaryJob, summarize);
 * await jobs.start();
 * process.once('SIGTERM', () => void jobs.close());
 */
export function createJobQueue(config: JobQueueConfig): JobQueue {
  return config.kind === 'bullmq' ? createBullmqJobQueue(config) : createMemoryJobQueue({ logger: config.logger });
}

/**
 * Whether the job queue can take work, for /readyz: Redis answers (BullMQ) or the runner is
 * open (memory). Never throws; gives up after about a second.
 */
export function isJobQueueHealthy(queue: JobQueue): Promise<boolean> {
  return queue.ping();
}

export { createBullmqJobQueue, type BullmqJobQueueOptions } from './bullmq.ts';
export { createMemoryJobQueue } from './memory.ts';
export { defineJob } from './define.ts';
export {
  NonRetryableError,
  InvalidJobPayloadError,
  JobTimeoutError,
  maxJobErrorLength,
  internalJobError,
  type SchemaIssue,
} from './errors.ts';
export { silentJobLogger } from './interface.ts';
export { jobIdFor, jobNameOf } from './job-id.ts';
export type {
  EnqueueOptions,
  EnqueueResult,
  JobContext,
  JobDefinition,
  JobInfo,
  JobProcessor,
  JobProgress,
  JobQueue,
  JobQueueLogger,
  JobState,
  QueueCounts,
  SchedulerOptions,
} from './interface.ts';
