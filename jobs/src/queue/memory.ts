import type { z } from 'zod';
import { checkedDelayMs, checkedEveryMs } from './define.ts';
import { NonRetryableError, safeErrorMessage } from './errors.ts';
import { createJobExecutor, preparePayload, toProgress, type JobExecutor } from './execute.ts';
import {
  silentJobLogger,
  type EnqueueOptions,
  type EnqueueResult,
  type JobDefinition,
  type JobInfo,
  type JobProcessor,
  type JobProgress,
  type JobQueue,
  type JobQueueLogger,
  type JobState,
  type QueueCounts,
  type SchedulerOptions,
} from './interface.ts';
import { jobIdFor, scheduledJobId, schedulerKeyFor } from './job-id.ts';
import { jobRetention, retryDelayMs } from './retention.ts';

const maxLogLines = 100;

interface JobTemplate {
  payload: unknown;
  attempts: number;
  backoffDelayMs: number;
}

interface StoredJob extends JobTemplate {
  readonly id: string;
  readonly name: string;
  readonly requestedBy: string | undefined;
  readonly schedulerKey: string | undefined;
  readonly createdAt: number;
  state: JobState;
  progress: JobProgress;
  result: unknown;
  error: string | undefined;
  attemptsMade: number;
  finishedAt: number | undefined;
  timer: NodeJS.Timeout | undefined;
  readonly logs: string[];
}

/** Everything about one job name: its worker, its FIFO of waiting ids and its finished jobs. */
interface Lane {
  readonly waiting: string[];
  readonly active: Set<Promise<void>>;
  worker: { concurrency: number; execute: JobExecutor } | undefined;
  readonly completed: StoredJob[];
  readonly failed: StoredJob[];
}

interface Scheduler {
  readonly key: string;
  readonly name: string;
  everyMs: number;
  template: JobTemplate;
  pendingJobId: string | undefined;
  pendingMillis: number;
}

type Waiter = (info: JobInfo | undefined) => void;

/**
 * The embedded job runner: jobs run in this process (the API process of the embedded default)
 * and everything pending is held in memory, so a crash loses it; `close()` lets active jobs
 * finish. It mirrors BullMQ's behaviour closely (deduplication, retries, retention, scheduler
 * runs that are queued one at a time) so that code and tests do not care which one runs.
 *
 * @example
 * const queue = createMemoryJobQueue();
 * queue.registerWorker(refreshSummaryJob, async (payload) => summarize(payload));
 * await queue.start();
 */
export function createMemoryJobQueue(options: { logger?: JobQueueLogger } = {}): JobQueue {
  return new MemoryJobQueue(options.logger ?? silentJobLogger);
}

class MemoryJobQueue implements JobQueue {
  readonly kind = 'memory';
  private readonly jobs = new Map<string, StoredJob>();
  private readonly lanes = new Map<string, Lane>();
  private readonly schedulers = new Map<string, Scheduler>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private started = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly logger: JobQueueLogger) {}

  enqueue<P extends z.ZodType, R extends z.ZodType>(
    definition: JobDefinition<P, R>,
    payload: z.input<P>,
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    return settle(() => {
      this.assertOpen();
      const template = templateOf(definition, preparePayload(definition, payload));
      const delayMs = checkedDelayMs(options.delayMs);
      const id = jobIdFor(definition.name, options.jobId);
      const existing = this.jobs.get(id);
      if (existing && existing.state !== 'failed') return { id, deduplicated: true };
      if (existing) this.remove(existing);
      this.insert(newJob(id, definition.name, template, options.requestedBy, undefined), delayMs);
      return { id, deduplicated: false };
    });
  }

  getJob(id: string): Promise<JobInfo | undefined> {
    return settle(() => {
      this.assertOpen();
      return this.infoOf(id);
    });
  }

  async waitForJob(id: string, options: { timeoutMs: number }): Promise<JobInfo | undefined> {
    const current = await this.getJob(id);
    if (!current || isFinished(current.state) || options.timeoutMs <= 0) return current;
    return new Promise((resolve) => {
      const waiters = this.waiters.get(id) ?? new Set<Waiter>();
      this.waiters.set(id, waiters);
      const waiter: Waiter = (info) => {
        clearTimeout(timer);
        waiters.delete(waiter);
        if (waiters.size === 0 && this.waiters.get(id) === waiters) this.waiters.delete(id);
        resolve(info);
      };
      const timer = setTimeout(() => {
        waiter(this.infoOf(id));
      }, options.timeoutMs);
      waiters.add(waiter);
    });
  }

  registerWorker<P extends z.ZodType, R extends z.ZodType>(definition: JobDefinition<P, R>, processor: JobProcessor<P, R>): void {
    this.assertOpen();
    const lane = this.laneFor(definition.name);
    if (lane.worker) throw new Error(`A worker for job "${definition.name}" is already registered`);
    lane.worker = { concurrency: definition.concurrency, execute: createJobExecutor(definition, processor, this.logger) };
    this.pump(lane);
  }

  start(): Promise<void> {
    return settle(() => {
      this.assertOpen();
      this.started = true;
      for (const lane of this.lanes.values()) this.pump(lane);
    });
  }

  upsertScheduler<P extends z.ZodType, R extends z.ZodType>(
    schedulerId: string,
    schedule: SchedulerOptions,
    definition: JobDefinition<P, R>,
    payload: z.input<P>,
  ): Promise<void> {
    return settle(() => {
      this.assertOpen();
      const everyMs = checkedEveryMs(schedule.everyMs);
      const template = templateOf(definition, preparePayload(definition, payload));
      const key = schedulerKeyFor(definition.name, schedulerId);
      const existing = this.schedulers.get(key);
      if (!existing) {
        const scheduler: Scheduler = { key, name: definition.name, everyMs, template, pendingJobId: undefined, pendingMillis: 0 };
        this.schedulers.set(key, scheduler);
        this.addRun(scheduler, Date.now());
        return;
      }
      existing.template = template;
      const pending = existing.pendingJobId === undefined ? undefined : this.jobs.get(existing.pendingJobId);
      const replaceable = pending !== undefined && (pending.state === 'waiting' || pending.state === 'delayed');
      if (existing.everyMs !== everyMs) {
        // Like BullMQ: a new interval starts over from now.
        existing.everyMs = everyMs;
        if (pending && replaceable) this.remove(pending);
        this.addRun(existing, Date.now());
      } else if (pending && replaceable) {
        Object.assign(pending, template);
      } else {
        this.addRun(existing, nextRunMillis(existing));
      }
    });
  }

  removeScheduler(schedulerId: string, definition: JobDefinition): Promise<boolean> {
    return settle(() => {
      this.assertOpen();
      const key = schedulerKeyFor(definition.name, schedulerId);
      const scheduler = this.schedulers.get(key);
      if (!scheduler) return false;
      this.schedulers.delete(key);
      // BullMQ drops the next run only while it is still delayed; a due run stays queued.
      const pending = scheduler.pendingJobId === undefined ? undefined : this.jobs.get(scheduler.pendingJobId);
      if (pending?.state === 'delayed') this.remove(pending);
      return true;
    });
  }

  ping(): Promise<boolean> {
    return Promise.resolve(!this.closed);
  }

  counts(): Promise<Record<string, QueueCounts>> {
    const counts = new Map<string, QueueCounts>();
    for (const name of this.lanes.keys()) counts.set(name, { waiting: 0, active: 0, delayed: 0, failed: 0 });
    for (const job of this.jobs.values()) {
      const count = counts.get(job.name);
      if (count && job.state !== 'completed') count[job.state] += 1;
    }
    return Promise.resolve(Object.fromEntries(counts));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) {
      clearTimeout(job.timer);
      job.timer = undefined;
    }
    await Promise.all([...this.lanes.values()].flatMap((lane) => [...lane.active]));
    for (const [id, waiters] of [...this.waiters]) {
      for (const waiter of [...waiters]) waiter(this.infoOf(id));
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The job queue is closed');
  }

  private laneFor(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { waiting: [], active: new Set(), worker: undefined, completed: [], failed: [] };
      this.lanes.set(name, lane);
    }
    return lane;
  }

  private insert(job: StoredJob, delayMs: number): void {
    this.jobs.set(job.id, job);
    if (delayMs > 0) {
      job.state = 'delayed';
      job.timer = unrefTimer(() => {
        this.promote(job);
      }, delayMs);
      return;
    }
    job.state = 'waiting';
    const lane = this.laneFor(job.name);
    lane.waiting.push(job.id);
    this.pump(lane);
  }

  private promote(job: StoredJob): void {
    job.timer = undefined;
    if (this.closed || job.state !== 'delayed' || this.jobs.get(job.id) !== job) return;
    job.state = 'waiting';
    const lane = this.laneFor(job.name);
    lane.waiting.push(job.id);
    this.pump(lane);
  }

  private remove(job: StoredJob): void {
    clearTimeout(job.timer);
    job.timer = undefined;
    if (this.jobs.get(job.id) === job) this.jobs.delete(job.id);
    const lane = this.lanes.get(job.name);
    for (const list of lane ? [lane.completed, lane.failed] : []) {
      const index = list.indexOf(job);
      if (index >= 0) list.splice(index, 1);
    }
  }

  /** Starts waiting jobs while the lane has a worker and room under its concurrency. */
  private pump(lane: Lane): void {
    const worker = lane.worker;
    if (!this.started || this.closed || !worker) return;
    while (lane.active.size < worker.concurrency) {
      const id = lane.waiting.shift();
      if (id === undefined) return;
      const job = this.jobs.get(id);
      if (job?.state === 'waiting') this.run(lane, worker.execute, job);
    }
  }

  private run(lane: Lane, execute: JobExecutor, job: StoredJob): void {
    job.state = 'active';
    this.queueNextScheduledRun(job);
    const running: Promise<void> = execute(job.payload, {
      jobId: job.id,
      attempt: job.attemptsMade + 1,
      updateProgress: (progress) => {
        if (job.state === 'active') job.progress = toProgress(progress);
        return Promise.resolve();
      },
      log: (message) => {
        job.logs.push(message);
        if (job.logs.length > maxLogLines) job.logs.shift();
        return Promise.resolve();
      },
    })
      .then(
        (result) => {
          this.complete(lane, job, result);
        },
        (error: unknown) => {
          this.fail(lane, job, error);
        },
      )
      .finally(() => {
        lane.active.delete(running);
        this.pump(lane);
      });
    lane.active.add(running);
  }

  private complete(lane: Lane, job: StoredJob, result: unknown): void {
    job.attemptsMade += 1;
    job.state = 'completed';
    job.result = result;
    job.finishedAt = Date.now();
    this.retain(lane.completed, jobRetention.completed, job);
    this.notify(job);
  }

  private fail(lane: Lane, job: StoredJob, error: unknown): void {
    job.attemptsMade += 1;
    if (!(error instanceof NonRetryableError) && job.attemptsMade < job.attempts) {
      job.state = 'delayed';
      if (!this.closed) {
        job.timer = unrefTimer(
          () => {
            this.promote(job);
          },
          retryDelayMs(job.backoffDelayMs, job.attemptsMade),
        );
      }
      return;
    }
    job.state = 'failed';
    job.error = safeErrorMessage(error);
    job.finishedAt = Date.now();
    this.retain(lane.failed, jobRetention.failed, job);
    this.notify(job);
  }

  /** Keeps finished jobs like BullMQ's removeOnComplete/removeOnFail: newest `count`, younger than `ageMs`. */
  private retain(finished: StoredJob[], policy: { ageMs: number; count: number }, job: StoredJob): void {
    finished.push(job);
    const oldestKept = Date.now() - policy.ageMs;
    for (
      let oldest = finished[0];
      oldest && (finished.length > policy.count || (oldest.finishedAt ?? 0) < oldestKept);
      oldest = finished[0]
    ) {
      finished.shift();
      if (this.jobs.get(oldest.id) === oldest) this.jobs.delete(oldest.id);
    }
  }

  private notify(job: StoredJob): void {
    const waiters = this.waiters.get(job.id);
    if (!waiters) return;
    const info = this.infoOf(job.id);
    for (const waiter of [...waiters]) waiter(info);
  }

  /** BullMQ queues a scheduler's next run when the current one starts; so does this runner. */
  private queueNextScheduledRun(job: StoredJob): void {
    if (job.schedulerKey === undefined || this.closed) return;
    const scheduler = this.schedulers.get(job.schedulerKey);
    if (scheduler?.pendingJobId !== job.id) return;
    this.addRun(scheduler, nextRunMillis(scheduler));
  }

  private addRun(scheduler: Scheduler, millis: number): void {
    const id = scheduledJobId(scheduler.key, millis);
    const taken = this.jobs.get(id);
    // An update in the millisecond of a run that has started already: like BullMQ, the next run is
    // an interval later (the id of a run is its instant, so the run due now is that one).
    if (taken && taken.state !== 'waiting' && taken.state !== 'delayed') {
      this.addRun(scheduler, millis + scheduler.everyMs);
      return;
    }
    scheduler.pendingJobId = id;
    scheduler.pendingMillis = millis;
    if (taken) return;
    this.insert(newJob(id, scheduler.name, scheduler.template, undefined, scheduler.key), Math.max(0, millis - Date.now()));
  }

  private infoOf(id: string): JobInfo | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const finished = isFinished(job.state);
    return {
      id: job.id,
      name: job.name,
      state: job.state,
      progress: structuredClone(job.progress),
      ...(job.state === 'completed' ? { result: structuredClone(job.result) } : {}),
      ...(job.state === 'failed' ? { error: job.error ?? 'Job failed' } : {}),
      attemptsMade: job.attemptsMade,
      ...(job.requestedBy === undefined ? {} : { requestedBy: job.requestedBy }),
      createdAt: new Date(job.createdAt),
      ...(finished && job.finishedAt !== undefined ? { finishedAt: new Date(job.finishedAt) } : {}),
    };
  }
}

function templateOf(definition: JobDefinition, payload: unknown): JobTemplate {
  return { payload, attempts: definition.attempts, backoffDelayMs: definition.backoff.delayMs };
}

function newJob(
  id: string,
  name: string,
  template: JobTemplate,
  requestedBy: string | undefined,
  schedulerKey: string | undefined,
): StoredJob {
  return {
    ...template,
    id,
    name,
    requestedBy,
    schedulerKey,
    createdAt: Date.now(),
    state: 'waiting',
    progress: 0,
    result: undefined,
    error: undefined,
    attemptsMade: 0,
    finishedAt: undefined,
    timer: undefined,
    logs: [],
  };
}

/** The run after the pending one; runs missed while nothing processed them are skipped (as BullMQ does). */
function nextRunMillis(scheduler: Scheduler): number {
  const now = Date.now();
  const next = scheduler.pendingMillis + scheduler.everyMs;
  if (next >= now) return next;
  const aligned = Math.floor(now / scheduler.everyMs) * scheduler.everyMs;
  return aligned <= now ? aligned + scheduler.everyMs : aligned;
}

function isFinished(state: JobState): boolean {
  return state === 'completed' || state === 'failed';
}

/** Delays must not keep a process alive on their own; `close()` clears them all. */
function unrefTimer(callback: () => void, delayMs: number): NodeJS.Timeout {
  const timer = setTimeout(callback, delayMs);
  timer.unref();
  return timer;
}

/** Runs synchronous work behind a promise, so that a throw becomes a rejection like in BullMQ. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
