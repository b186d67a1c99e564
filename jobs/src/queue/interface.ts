import type { z } from 'zod';

/**
 * Background jobs enter Pressbox through this one interface. Two implementations keep the same
 * semantics and are chosen once at start (`createJobQueue`):
 *
 * - `bullmq`: BullMQ on Redis. Jobs survive any process: a worker killed mid-job loses its lock
 *   and the job runs again on another worker once the lock expires (`lockDurationMs`), so every
 *   processor must be idempotent. API and worker processes can run apart and scale out.
 * - `memory`: the embedded default. Jobs run inside the API process and everything pending
 *   (waiting, delayed, active, schedulers) lives in memory: a crash or restart loses it, and only
 *   `close()` is guaranteed to let active jobs finish. Finished jobs are kept with the same
 *   retention as BullMQ so that `getJob` answers alike.
 *
 * Semantics both keep:
 * - Payloads are checked against the definition's schema when enqueued (throws
 *   `InvalidJobPayloadError`, nothing enqueued) and again when a worker picks the job up (a
 *   payload that no longer matches fails the job at once, without retry). Payloads travel as
 *   JSON: use schemas whose input survives `JSON.stringify` (ISO strings rather than `Date`).
 * - Results are checked against the result schema; a mismatch fails the job without retry.
 * - Thrown errors are retried up to `attempts` with exponential backoff (`delayMs * 2^(n-1)`
 *   after the n-th failure); `NonRetryableError` fails the job at once.
 * - A job id names its definition (`<name>.<key>`, scheduler runs `repeat:<name>.<scheduler>:<ms>`),
 *   so `getJob(id)` needs nothing else. Enqueueing an id that exists and has not failed returns it
 *   with `deduplicated: true`; enqueueing the id of a failed job runs it again with the new payload.
 * - Concurrency is a per-process limit per definition.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'memory';

  /**
   * Validates and enqueues a job. `jobId` makes the call idempotent: while a job with that id
   * exists (and has not failed) no second one is created.
   */
  enqueue<P extends z.ZodType, R extends z.ZodType>(
    definition: JobDefinition<P, R>,
    payload: z.input<P>,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult>;

  /** The job's current state, or undefined for an unknown, expired or malformed id. */
  getJob(id: string): Promise<JobInfo | undefined>;

  /**
   * Resolves as soon as the job has completed or failed, or with its current state once
   * `timeoutMs` has passed (undefined when there is no such job).
   */
  waitForJob(id: string, options: { timeoutMs: number }): Promise<JobInfo | undefined>;

  /** Runs `processor` for jobs of this definition once `start()` was called (one per name). */
  registerWorker<P extends z.ZodType, R extends z.ZodType>(definition: JobDefinition<P, R>, processor: JobProcessor<P, R>): void;

  /** Starts the registered workers; workers registered later start at once. */
  start(): Promise<void>;

  /**
   * Creates or updates a scheduler that enqueues `payload` every `everyMs`, the first run right
   * away. Upserting the same id again (in this or another process, or after a restart) updates
   * it rather than adding a second one.
   */
  upsertScheduler<P extends z.ZodType, R extends z.ZodType>(
    schedulerId: string,
    schedule: SchedulerOptions,
    definition: JobDefinition<P, R>,
    payload: z.input<P>,
  ): Promise<void>;

  /** Stops a scheduler and drops its next delayed run; false when there was none. */
  removeScheduler(schedulerId: string, definition: JobDefinition): Promise<boolean>;

  /** True while the backing store answers (bounded to about a second); for /readyz. */
  ping(): Promise<boolean>;

  /** Jobs per state for every job name this process has used; for metrics. */
  counts(): Promise<Record<string, QueueCounts>>;

  /**
   * Stops taking jobs, waits for active ones to finish (the SIGTERM path), resolves pending
   * `waitForJob` calls, and closes every connection and timer it opened.
   */
  close(): Promise<void>;
}

/** What a job is: see `defineJob`. */
export interface JobDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** Lower-case letters, digits and '-'; it is also the BullMQ queue name. */
  readonly name: string;
  readonly payload: P;
  readonly result: R;
  /** Runs at most this many times (1 = no retry). */
  readonly attempts: number;
  readonly backoff: { readonly type: 'exponential'; readonly delayMs: number };
  /** Jobs of this definition running at once in one process. */
  readonly concurrency: number;
  /** Aborts `ctx.signal` and fails the attempt (retryable) after this long. */
  readonly timeoutMs?: number;
}

export type JobProcessor<P extends z.ZodType, R extends z.ZodType> = (payload: z.output<P>, context: JobContext) => Promise<z.input<R>>;

export interface JobContext {
  readonly jobId: string;
  /** 1 for the first run, 2 for the first retry, ... (a run lost to a crash does not count). */
  readonly attempt: number;
  /** Aborted when the job times out; long work should stop when it fires. */
  readonly signal: AbortSignal;
  updateProgress(progress: JobProgress): Promise<void>;
  /** A line kept with the job (BullMQ job logs); not shown to API callers. */
  log(message: string): Promise<void>;
}

/** A percentage or a small JSON object (e.g. `{ fetched: 3, total: 10 }`). */
export type JobProgress = number | { readonly [key: string]: unknown };

export interface EnqueueOptions {
  /** Letters, digits, '.', '_' and '-' (at most 200); the job id becomes `<name>.<jobId>`. */
  jobId?: string;
  delayMs?: number;
  /** The user on whose behalf the job runs, to decide who may read it. */
  requestedBy?: string;
}

export interface EnqueueResult {
  id: string;
  /** True when a job with this id already existed and no new job was created. */
  deduplicated: boolean;
}

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed';

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  progress: JobProgress;
  /** Present once completed (null when the processor returned nothing). */
  result?: unknown;
  /** Present once failed: the processor's message, truncated, never a stack. */
  error?: string;
  /** Runs that finished, successfully or not. */
  attemptsMade: number;
  requestedBy?: string;
  createdAt: Date;
  finishedAt?: Date;
}

export interface SchedulerOptions {
  everyMs: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * Where the queue reports: every job's start, retry, failure and outcome (with job id, name,
 * attempt and duration), and queue infrastructure errors. The server passes its pino logger.
 */
export interface JobQueueLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** A logger that writes nothing, for queues whose owner does not log (tools, benchmarks). */
export const silentJobLogger: JobQueueLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
