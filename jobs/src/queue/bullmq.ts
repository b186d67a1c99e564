import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { z } from 'zod';
import { createRedis, type Redis } from '../redis.ts';
import { checkedDelayMs, checkedEveryMs } from './define.ts';
import { NonRetryableError, safeErrorMessage, storedErrorMessage } from './errors.ts';
import { createJobExecutor, preparePayload, toProgress, type JobExecutor } from './execute.ts';
import {
  silentJobLogger,
  type EnqueueOptions,
  type EnqueueResult,
  type JobDefinition,
  type JobInfo,
  type JobProcessor,
  type JobQueue,
  type JobQueueLogger,
  type JobState,
  type QueueCounts,
  type SchedulerOptions,
} from './interface.ts';
import { jobIdFor, jobNameOf, schedulerKeyFor } from './job-id.ts';
import { jobRetention } from './retention.ts';

export interface BullmqJobQueueOptions {
  redisUrl: string;
  /** Namespace of this deployment (or test run) in a shared Redis; BullMQ keys live under `<prefix>:bull`. */
  prefix: string;
  /**
   * How long a worker's lock on a job lasts (default 5 s). The worker renews it every half of
   * that while it lives, so a long job is never taken from a live worker; a killed worker's jobs
   * are free when it expires.
   */
  lockDurationMs?: number;
  /** How often expired locks are looked for (default 2 s): a dead worker's job runs again within lock + this. */
  stalledIntervalMs?: number;
  logger?: JobQueueLogger;
}

/** What BullMQ stores as job data: the payload plus what `getJob` and deduplication need. */
const envelopeSchema = z.object({
  payload: z.unknown(),
  requestedBy: z.string().optional(),
  /** Tells our own add apart from an existing job with the same id (BullMQ's add does not say). */
  nonce: z.string(),
});
type Envelope = z.infer<typeof envelopeSchema>;

const schedulerNonce = 'scheduler';
const pingTimeoutMs = 1_000;

/**
 * The production job queue: BullMQ on Redis. One regular connection serves every queue; workers
 * and QueueEvents share a second one (with `maxRetriesPerRequest: null`, as BullMQ requires) and
 * open their own blocking duplicates. `close()` closes all of them.
 *
 * `waitForJob` listens to the queue's QueueEvents stream, so it resolves as soon as the job
 * finishes instead of polling Redis; because a stream reader may start after the event it waits
 * for, each wait also re-reads the job now and then (250 ms, doubling to 2 s).
 *
 * @example
 * const queue = createBullmqJobQueue({ redisUrl: env.REDIS_URL, prefix: 'pressbox' });
 */
export function createBullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  return new BullmqJobQueue(options);
}

interface PendingWait {
  /** Resolves the wait with the job's current state (used by close). */
  flush(): Promise<void>;
}

class BullmqJobQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly bullPrefix: string;
  private readonly lockDurationMs: number;
  private readonly stalledIntervalMs: number;
  private readonly logger: JobQueueLogger;
  private readonly connection: Redis;
  private workerConnection: Redis | undefined;
  private readonly queues = new Map<string, Queue<unknown, unknown>>();
  private readonly workers = new Map<string, Worker<unknown, unknown>>();
  private readonly queueEvents = new Map<string, Promise<QueueEvents>>();
  /** Callbacks of pending waits by job id; one QueueEvents listener per queue dispatches to them. */
  private readonly finishListeners = new Map<string, Set<() => void>>();
  private readonly waits = new Set<PendingWait>();
  private started = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BullmqJobQueueOptions) {
    if (options.prefix.trim() === '') throw new Error('A BullMQ job queue needs a non-empty key prefix');
    this.bullPrefix = `${options.prefix}:bull`;
    this.lockDurationMs = options.lockDurationMs ?? 5_000;
    this.stalledIntervalMs = options.stalledIntervalMs ?? Math.min(2_000, this.lockDurationMs);
    this.logger = options.logger ?? silentJobLogger;
    this.connection = createRedis(options.redisUrl, { name: `jobs:${options.prefix}` });
  }

  async enqueue<P extends z.ZodType, R extends z.ZodType>(
    definition: JobDefinition<P, R>,
    payload: z.input<P>,
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    this.assertOpen();
    const stored = preparePayload(definition, payload);
    const delay = checkedDelayMs(options.delayMs);
    const id = jobIdFor(definition.name, options.jobId);
    const queue = this.queueFor(definition.name);
    const envelope: Envelope = {
      payload: stored,
      nonce: randomUUID(),
      ...(options.requestedBy === undefined ? {} : { requestedBy: options.requestedBy }),
    };
    const jobOptions: JobsOptions = { ...jobOptionsFor(definition), jobId: id, delay };
    await queue.add(definition.name, envelope, jobOptions);
    // A random id cannot collide; a chosen one may name an existing job, which add() keeps.
    if (options.jobId === undefined) return { id, deduplicated: false };
    const existing = await queue.getJob(id);
    if (!existing || nonceOf(existing) === envelope.nonce) return { id, deduplicated: false };
    if ((await existing.getState()) !== 'failed') return { id, deduplicated: true };
    return this.rerunFailed(queue, existing, envelope, jobOptions);
  }

  /**
   * Enqueueing the id of a failed job runs it again. Of several callers doing so at once only
   * the one that claims this failure (keyed by its finish time) replaces the job.
   */
  private async rerunFailed(
    queue: Queue<unknown, unknown>,
    failed: Job<unknown, unknown>,
    envelope: Envelope,
    jobOptions: JobsOptions,
  ): Promise<EnqueueResult> {
    const id = String(failed.id);
    const claim = `${this.options.prefix}:jobs:rerun:${id}:${String(failed.finishedOn ?? 0)}`;
    const claimed = await this.connection.set(claim, '1', 'PX', 60_000, 'NX');
    if (claimed !== 'OK') return { id, deduplicated: true };
    await failed.remove();
    await queue.add(failed.name, envelope, jobOptions);
    const added = await queue.getJob(id);
    return { id, deduplicated: !added || nonceOf(added) !== envelope.nonce };
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    this.assertOpen();
    const name = jobNameOf(id);
    if (name === undefined) return undefined;
    // Ids come from API callers: only open a queue for a name that really holds this job.
    if (!this.queues.has(name) && (await this.connection.exists(`${this.bullPrefix}:${name}:${id}`)) === 0) return undefined;
    // State first, then the hash: a job read the other way round could finish in between and
    // show a finished state with the fields of its last run.
    const queue = this.queueFor(name);
    const state = toJobState(await queue.getJobState(id));
    const job = state === undefined ? undefined : await queue.getJob(id);
    if (state === undefined || !job) return undefined;
    if (isFinished(state) || job.finishedOn === undefined) return toJobInfo(job, state);
    const finishedState = toJobState(await job.getState());
    return finishedState === undefined ? undefined : toJobInfo(job, finishedState);
  }

  async waitForJob(id: string, options: { timeoutMs: number }): Promise<JobInfo | undefined> {
    const current = await this.getJob(id);
    if (!current || isFinished(current.state) || options.timeoutMs <= 0) return current;
    await this.eventsFor(current.name);
    return new Promise((resolve) => {
      let lastKnown: JobInfo | undefined = current;
      let settled = false;
      let recheckDelayMs = 250;
      let recheckTimer: NodeJS.Timeout | undefined;
      const settle = (info: JobInfo | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearTimeout(recheckTimer);
        this.offFinished(id, onFinished);
        this.waits.delete(wait);
        resolve(info);
      };
      const check = async (final: boolean) => {
        try {
          lastKnown = await this.getJob(id);
        } catch {
          // Redis hiccup or closing: answer with what is known when it is time to answer.
        }
        if (final || !lastKnown || isFinished(lastKnown.state)) settle(lastKnown);
      };
      const onFinished = () => {
        void check(false);
      };
      const recheck = () => {
        recheckTimer = setTimeout(() => {
          void check(false).then(() => {
            recheckDelayMs = Math.min(recheckDelayMs * 2, 2_000);
            if (!settled) recheck();
          });
        }, recheckDelayMs);
      };
      const deadline = setTimeout(() => void check(true), options.timeoutMs);
      const wait: PendingWait = { flush: () => check(true) };
      this.waits.add(wait);
      this.onFinished(id, onFinished);
      recheck();
      // The job may have finished while the listener was being attached.
      void check(false);
    });
  }

  registerWorker<P extends z.ZodType, R extends z.ZodType>(definition: JobDefinition<P, R>, processor: JobProcessor<P, R>): void {
    this.assertOpen();
    if (this.workers.has(definition.name)) throw new Error(`A worker for job "${definition.name}" is already registered`);
    const execute = createJobExecutor(definition, processor, this.logger);
    this.queueFor(definition.name);
    const worker = new Worker<unknown, unknown>(definition.name, (job, _token, signal) => runJob(job, execute, signal), {
      connection: this.sharedWorkerConnection(),
      prefix: this.bullPrefix,
      concurrency: definition.concurrency,
      autorun: false,
      lockDuration: this.lockDurationMs,
      lockRenewTime: this.lockDurationMs / 2,
      stalledInterval: this.stalledIntervalMs,
      // A job whose worker died twice in a row (or whose event loop froze past the lock) runs a third time; then it fails.
      maxStalledCount: 2,
    });
    worker.on('error', (error) => {
      this.logger.error({ err: error, job: definition.name }, 'Job worker error');
    });
    this.workers.set(definition.name, worker);
    if (this.started) this.run(worker);
  }

  async start(): Promise<void> {
    this.assertOpen();
    this.started = true;
    for (const worker of this.workers.values()) this.run(worker);
    await Promise.all([...this.workers.values()].map((worker) => worker.waitUntilReady()));
  }

  private run(worker: Worker<unknown, unknown>): void {
    if (worker.isRunning()) return;
    worker.run().catch((error: unknown) => {
      if (!this.closed) this.logger.error({ err: error, job: worker.name }, 'Job worker stopped');
    });
  }

  async upsertScheduler<P extends z.ZodType, R extends z.ZodType>(
    schedulerId: string,
    schedule: SchedulerOptions,
    definition: JobDefinition<P, R>,
    payload: z.input<P>,
  ): Promise<void> {
    this.assertOpen();
    const every = checkedEveryMs(schedule.everyMs);
    const envelope: Envelope = { payload: preparePayload(definition, payload), nonce: schedulerNonce };
    await this.queueFor(definition.name).upsertJobScheduler(
      schedulerKeyFor(definition.name, schedulerId),
      { every },
      { name: definition.name, data: envelope, opts: jobOptionsFor(definition) },
    );
  }

  async removeScheduler(schedulerId: string, definition: JobDefinition): Promise<boolean> {
    this.assertOpen();
    return this.queueFor(definition.name).removeJobScheduler(schedulerKeyFor(definition.name, schedulerId));
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, pingTimeoutMs);
    });
    const answer = this.connection.ping().then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async counts(): Promise<Record<string, QueueCounts>> {
    this.assertOpen();
    const entries = await Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const counts = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
        const count = (state: string) => counts[state] ?? 0;
        const total: QueueCounts = {
          waiting: count('wait') + count('prioritized'),
          active: count('active'),
          delayed: count('delayed'),
          failed: count('failed'),
        };
        return [name, total] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    // Workers first: close() lets active jobs finish and takes no new ones.
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    await Promise.all([...this.waits].map((wait) => wait.flush()));
    const events = await Promise.allSettled(this.queueEvents.values());
    await Promise.all(events.flatMap((result) => (result.status === 'fulfilled' ? [result.value.close()] : [])));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await Promise.all([this.connection, ...(this.workerConnection ? [this.workerConnection] : [])].map(quit));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The job queue is closed');
  }

  private queueFor(name: string): Queue<unknown, unknown> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<unknown, unknown>(name, { connection: this.connection, prefix: this.bullPrefix });
      queue.on('error', (error) => {
        this.logger.error({ err: error, job: name }, 'Job queue error');
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Workers and QueueEvents duplicate this connection for their blocking reads. */
  private sharedWorkerConnection(): Redis {
    this.workerConnection ??= createRedis(this.options.redisUrl, { name: `jobs-workers:${this.options.prefix}`, blocking: true });
    return this.workerConnection;
  }

  private onFinished(jobId: string, listener: () => void): void {
    const listeners = this.finishListeners.get(jobId) ?? new Set();
    listeners.add(listener);
    this.finishListeners.set(jobId, listeners);
  }

  private offFinished(jobId: string, listener: () => void): void {
    const listeners = this.finishListeners.get(jobId);
    listeners?.delete(listener);
    if (listeners?.size === 0) this.finishListeners.delete(jobId);
  }

  private eventsFor(name: string): Promise<QueueEvents> {
    let ready = this.queueEvents.get(name);
    if (!ready) {
      const events = new QueueEvents(name, { connection: this.sharedWorkerConnection(), prefix: this.bullPrefix });
      const dispatch = ({ jobId }: { jobId: string }) => {
        for (const listener of [...(this.finishListeners.get(jobId) ?? [])]) listener();
      };
      events.on('completed', dispatch);
      events.on('failed', dispatch);
      events.on('error', (error) => {
        this.logger.error({ err: error, job: name }, 'Job events error');
      });
      ready = events.waitUntilReady().then(() => events);
      ready.catch(() => {
        this.queueEvents.delete(name);
        void events.close();
      });
      this.queueEvents.set(name, ready);
    }
    return ready;
  }
}

/** Runs one attempt inside a BullMQ worker, translating our errors into BullMQ's. */
async function runJob(job: Job<unknown, unknown>, execute: JobExecutor, signal: AbortSignal | undefined): Promise<unknown> {
  const envelope = envelopeSchema.safeParse(job.data);
  if (!envelope.success) throw new UnrecoverableError('Stored job data is not a Pressbox job');
  try {
    return await execute(envelope.data.payload, {
      jobId: String(job.id),
      attempt: job.attemptsMade + 1,
      ...(signal ? { signal } : {}),
      updateProgress: (progress) => job.updateProgress(progress),
      log: async (message) => {
        await job.log(message);
      },
    });
  } catch (error) {
    // Only the message is kept (stackTraceLimit is 0): it is what API callers get to read.
    const message = safeErrorMessage(error);
    throw error instanceof NonRetryableError ? new UnrecoverableError(message) : new Error(message);
  }
}

function jobOptionsFor(definition: JobDefinition): JobsOptions {
  return {
    attempts: definition.attempts,
    backoff: { type: 'exponential', delay: definition.backoff.delayMs },
    removeOnComplete: { age: jobRetention.completed.ageMs / 1000, count: jobRetention.completed.count },
    removeOnFail: { age: jobRetention.failed.ageMs / 1000, count: jobRetention.failed.count },
    stackTraceLimit: 0,
  };
}

function toJobInfo(job: Job<unknown, unknown>, state: JobState): JobInfo {
  const envelope = envelopeSchema.safeParse(job.data);
  const requestedBy = envelope.success ? envelope.data.requestedBy : undefined;
  const finished = isFinished(state);
  return {
    id: String(job.id),
    name: job.name,
    state,
    progress: toProgress(job.progress),
    ...(state === 'completed' ? { result: job.returnvalue ?? null } : {}),
    ...(state === 'failed' ? { error: storedErrorMessage(job.failedReason) } : {}),
    attemptsMade: job.attemptsMade,
    ...(requestedBy === undefined ? {} : { requestedBy }),
    createdAt: new Date(job.timestamp),
    ...(finished && job.finishedOn !== undefined ? { finishedAt: new Date(job.finishedOn) } : {}),
  };
}

function toJobState(state: string): JobState | undefined {
  switch (state) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    case 'active':
    case 'completed':
    case 'failed':
    case 'delayed':
      return state;
    default:
      return undefined;
  }
}

function nonceOf(job: Job<unknown, unknown>): string | undefined {
  const envelope = envelopeSchema.safeParse(job.data);
  return envelope.success ? envelope.data.nonce : undefined;
}

function isFinished(state: JobState): boolean {
  return state === 'completed' || state === 'failed';
}

async function quit(connection: Redis): Promise<void> {
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
