import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '@pressbox/db';
import {
  createJobQueue,
  defineJob,
  internalJobError,
  InvalidJobPayloadError,
  maxJobErrorLength,
  NonRetryableError,
  type JobQueue,
} from '@pressbox/jobs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { redisUrl } from '../support/environment.ts';
import { connectTestRedis, deleteKeys, redisAvailable, uniquePrefix } from '../support/redis.ts';
import { eventually, queueTracker } from './support.ts';

const prefix = uniquePrefix('pbq');
const queues = queueTracker();

const implementations = [
  { kind: 'memory', available: true, open: () => createJobQueue({ kind: 'memory' }) },
  { kind: 'bullmq', available: redisAvailable(), open: () => createJobQueue({ kind: 'bullmq', redisUrl, prefix }) },
] as const;

let jobCount = 0;
/** Each test gets its own job names, so runs against the shared Redis prefix never meet. */
function uniqueName(label: string): string {
  jobCount += 1;
  return `${label}-${jobCount}`;
}

function doublingJob(label: string, settings: { attempts?: number; delayMs?: number; concurrency?: number; timeoutMs?: number } = {}) {
  return defineJob({
    name: uniqueName(label),
    payload: z.object({ n: z.number() }),
    result: z.object({ doubled: z.number() }),
    attempts: settings.attempts ?? 1,
    backoff: { type: 'exponential', delayMs: settings.delayMs ?? 20 },
    concurrency: settings.concurrency ?? 1,
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
  });
}

afterEach(async () => {
  await queues.closeAll();
});

afterAll(async () => {
  if (!redisAvailable()) return;
  const redis = connectTestRedis('queue-contract-cleanup');
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe.each(implementations)('the $kind job queue', ({ available, open }) => {
  const openQueue = (): JobQueue => queues.track(open());

  describe.skipIf(!available)('contract', () => {
    it('rejects a payload that does not match the schema and enqueues nothing', async () => {
      const queue = openQueue();
      const job = doublingJob('invalid');
      const wrong: unknown = { n: 'seven' };

      await expect(queue.enqueue(job, wrong as { n: number }, { jobId: 'one' })).rejects.toThrow(InvalidJobPayloadError);
      await expect(queue.enqueue(job, wrong as { n: number }, { jobId: 'one' })).rejects.toThrow(`Invalid payload for job "${job.name}"`);
      expect(await queue.getJob(`${job.name}.one`)).toBeUndefined();
    });

    it('deduplicates by job id while the job waits, runs and after it completed', async () => {
      const queue = openQueue();
      const job = doublingJob('dedup');
      const release = queues.gate();
      let runs = 0;
      queue.registerWorker(job, async ({ n }) => {
        runs += 1;
        await release.promise;
        return { doubled: n * 2 };
      });

      const first = await queue.enqueue(job, { n: 1 }, { jobId: 'same' });
      expect(first).toEqual({ id: `${job.name}.same`, deduplicated: false });
      expect(await queue.enqueue(job, { n: 2 }, { jobId: 'same' })).toEqual({ id: first.id, deduplicated: true });

      await queue.start();
      await eventually(
        () => queue.getJob(first.id),
        (info) => info?.state === 'active',
      );
      expect(await queue.enqueue(job, { n: 3 }, { jobId: 'same' })).toEqual({ id: first.id, deduplicated: true });

      release.resolve(undefined);
      expect((await queue.waitForJob(first.id, { timeoutMs: 10_000 }))?.result).toEqual({ doubled: 2 });
      expect(await queue.enqueue(job, { n: 4 }, { jobId: 'same' })).toEqual({ id: first.id, deduplicated: true });
      expect(runs).toBe(1);
    });

    it('deduplicates by job id while the job is delayed', async () => {
      const queue = openQueue();
      const job = doublingJob('dedup-delayed');

      const first = await queue.enqueue(job, { n: 1 }, { jobId: 'later', delayMs: 60_000 });
      const second = await queue.enqueue(job, { n: 2 }, { jobId: 'later' });

      expect(second).toEqual({ id: first.id, deduplicated: true });
      expect((await queue.getJob(first.id))?.state).toBe('delayed');
    });

    it('runs a failed job again when its id is enqueued again, with the new payload', async () => {
      const queue = openQueue();
      const job = doublingJob('rerun');
      queue.registerWorker(job, ({ n }) => (n < 0 ? Promise.reject(new Error('negative input')) : Promise.resolve({ doubled: n * 2 })));
      await queue.start();

      const { id } = await queue.enqueue(job, { n: -1 }, { jobId: 'x' });
      expect((await queue.waitForJob(id, { timeoutMs: 10_000 }))?.state).toBe('failed');

      expect(await queue.enqueue(job, { n: 4 }, { jobId: 'x' })).toEqual({ id, deduplicated: false });
      expect(await queue.waitForJob(id, { timeoutMs: 10_000 })).toMatchObject({
        state: 'completed',
        result: { doubled: 8 },
        attemptsMade: 1,
      });
    });

    it('retries a thrown error with exponential backoff until the attempts run out', async () => {
      const queue = openQueue();
      const job = doublingJob('retry', { attempts: 3, delayMs: 40 });
      const startedAt: number[] = [];
      const attempts: number[] = [];
      queue.registerWorker(job, (_payload, context) => {
        startedAt.push(performance.now());
        attempts.push(context.attempt);
        return Promise.reject(new AppError('SERVICE_UNAVAILABLE', `boom ${context.attempt}`));
      });
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 1 });
      const info = await queue.waitForJob(id, { timeoutMs: 10_000 });

      expect(info).toMatchObject({ state: 'failed', error: 'boom 3', attemptsMade: 3 });
      expect(attempts).toEqual([1, 2, 3]);
      const [first = 0, second = 0, third = 0] = startedAt;
      expect(second - first).toBeGreaterThanOrEqual(35);
      expect(third - second).toBeGreaterThanOrEqual(75);
    });

    it('completes a job that succeeds on a retry and counts every run', async () => {
      const queue = openQueue();
      const job = doublingJob('flaky', { attempts: 3 });
      queue.registerWorker(job, ({ n }, context) =>
        context.attempt < 3 ? Promise.reject(new Error('not yet')) : Promise.resolve({ doubled: n * 2 }),
      );
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 5 });

      expect(await queue.waitForJob(id, { timeoutMs: 10_000 })).toMatchObject({
        state: 'completed',
        result: { doubled: 10 },
        attemptsMade: 3,
      });
    });

    it('fails at once, without retry, when the processor throws NonRetryableError', async () => {
      const queue = openQueue();
      const job = doublingJob('fatal', { attempts: 5 });
      let runs = 0;
      queue.registerWorker(job, () => {
        runs += 1;
        return Promise.reject(new NonRetryableError('team no longer exists'));
      });
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 1 });

      expect(await queue.waitForJob(id, { timeoutMs: 10_000 })).toMatchObject({
        state: 'failed',
        error: 'team no longer exists',
        attemptsMade: 1,
      });
      expect(runs).toBe(1);
    });

    it('keeps only a truncated, single-line message of a failure, never its stack', async () => {
      const queue = openQueue();
      const job = doublingJob('long-error');
      queue.registerWorker(job, () => Promise.reject(new NonRetryableError(`first line\n${'x'.repeat(2_000)}`)));
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 1 });
      const error = (await queue.waitForJob(id, { timeoutMs: 10_000 }))?.error ?? '';

      expect(error.startsWith('first line x')).toBe(true);
      expect(error.length).toBe(maxJobErrorLength);
      expect(error).not.toMatch(/contract\.test|\n/);
    });

    it('shows a generic message for an error not written for callers, never its text', async () => {
      const queue = openQueue();
      const job = doublingJob('driver-error', { attempts: 1 });
      queue.registerWorker(job, () =>
        Promise.reject(new Error('Invalid `prisma.article.create()` invocation: connection to 10.1.2.3 refused')),
      );
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 1 });
      const info = await queue.waitForJob(id, { timeoutMs: 10_000 });

      expect(info).toMatchObject({ state: 'failed', error: internalJobError });
      expect(JSON.stringify(info)).not.toMatch(/prisma|10\.1\.2\.3/);
    });

    it('does not run a delayed job before its delay has passed', async () => {
      const queue = openQueue();
      const job = doublingJob('delayed');
      let startedAt = 0;
      queue.registerWorker(job, ({ n }) => {
        startedAt = performance.now();
        return Promise.resolve({ doubled: n * 2 });
      });
      await queue.start();

      const enqueuedAt = performance.now();
      const { id } = await queue.enqueue(job, { n: 1 }, { delayMs: 300 });
      expect((await queue.getJob(id))?.state).toBe('delayed');

      expect((await queue.waitForJob(id, { timeoutMs: 10_000 }))?.state).toBe('completed');
      expect(startedAt - enqueuedAt).toBeGreaterThanOrEqual(295);
    });

    it('runs at most `concurrency` jobs of a definition at once', async () => {
      const queue = openQueue();
      const job = doublingJob('concurrency', { concurrency: 2 });
      let running = 0;
      let mostAtOnce = 0;
      queue.registerWorker(job, async ({ n }) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await delay(50);
        running -= 1;
        return { doubled: n * 2 };
      });
      await queue.start();

      const ids = await Promise.all([1, 2, 3, 4, 5, 6].map(async (n) => (await queue.enqueue(job, { n })).id));
      const results = await Promise.all(ids.map((id) => queue.waitForJob(id, { timeoutMs: 10_000 })));

      expect(results.map((info) => info?.state)).toEqual(Array(6).fill('completed'));
      expect(mostAtOnce).toBe(2);
    });

    it('reports progress while a job runs and keeps the last value', async () => {
      const queue = openQueue();
      const job = doublingJob('progress');
      const release = queues.gate();
      queue.registerWorker(job, async ({ n }, context) => {
        await context.updateProgress(40);
        await release.promise;
        await context.updateProgress({ stage: 'done', items: 3 });
        return { doubled: n * 2 };
      });
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 1 });
      const running = await eventually(
        () => queue.getJob(id),
        (info) => info?.progress === 40,
      );
      expect(running?.state).toBe('active');

      release.resolve(undefined);
      expect((await queue.waitForJob(id, { timeoutMs: 10_000 }))?.progress).toEqual({ stage: 'done', items: 3 });
    });

    it('stores the result as its schema parsed it', async () => {
      const queue = openQueue();
      const job = doublingJob('result');
      queue.registerWorker(job, ({ n }) => {
        const value = { doubled: n * 2, internalNote: 'dropped by the schema' };
        return Promise.resolve(value);
      });
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 21 });

      expect((await queue.waitForJob(id, { timeoutMs: 10_000 }))?.result).toEqual({ doubled: 42 });
    });

    it('fails without retry when the result does not match its schema', async () => {
      const queue = openQueue();
      const job = doublingJob('bad-result', { attempts: 3 });
      const wrong: unknown = { doubled: 'forty-two' };
      queue.registerWorker(job, () => Promise.resolve(wrong as { doubled: number }));
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 21 });
      const info = await queue.waitForJob(id, { timeoutMs: 10_000 });

      expect(info).toMatchObject({ state: 'failed', attemptsMade: 1 });
      expect(info?.error).toMatch(/returned a result that does not match its schema/);
    });

    it('fails without retry when the stored payload no longer matches the schema at pick-up', async () => {
      const queue = openQueue();
      const name = uniqueName('schema-change');
      const settings = { name, result: z.null(), attempts: 3, backoff: { type: 'exponential', delayMs: 20 }, concurrency: 1 } as const;
      const before = defineJob({ ...settings, payload: z.object({ teamId: z.string() }) });
      const after = defineJob({ ...settings, payload: z.object({ teamId: z.string(), length: z.enum(['SHORT', 'LONG']) }) });
      let runs = 0;
      queue.registerWorker(after, () => {
        runs += 1;
        return Promise.resolve(null);
      });

      const { id } = await queue.enqueue(before, { teamId: 'nba-bos' });
      await queue.start();
      const info = await queue.waitForJob(id, { timeoutMs: 10_000 });

      expect(info).toMatchObject({ state: 'failed', attemptsMade: 1 });
      expect(info?.error).toMatch(/no longer matches/);
      expect(runs).toBe(0);
    });

    it('aborts the signal and fails the attempt when a job runs longer than timeoutMs', async () => {
      const queue = openQueue();
      const job = doublingJob('timeout', { timeoutMs: 100 });
      let aborted = false;
      queue.registerWorker(job, async (_payload, context) => {
        await new Promise((resolve) => {
          context.signal.addEventListener('abort', resolve);
        });
        aborted = context.signal.aborted;
        return { doubled: 0 };
      });
      await queue.start();

      const { id } = await queue.enqueue(job, { n: 1 });

      expect(await queue.waitForJob(id, { timeoutMs: 10_000 })).toMatchObject({ state: 'failed', error: 'Job timed out after 100 ms' });
      expect(aborted).toBe(true);
    });

    it('resolves waitForJob as soon as the job completes', async () => {
      const queue = openQueue();
      const job = doublingJob('wait-complete');
      const release = queues.gate();
      queue.registerWorker(job, async ({ n }) => {
        await release.promise;
        return { doubled: n * 2 };
      });
      await queue.start();
      const { id } = await queue.enqueue(job, { n: 2 });

      const waited = queue.waitForJob(id, { timeoutMs: 20_000 });
      const releasedAt = performance.now();
      release.resolve(undefined);
      const info = await waited;

      expect(info).toMatchObject({ state: 'completed', result: { doubled: 4 } });
      expect(performance.now() - releasedAt).toBeLessThan(5_000);
    });

    it('resolves waitForJob as soon as the job fails', async () => {
      const queue = openQueue();
      const job = doublingJob('wait-fail');
      const release = queues.gate();
      queue.registerWorker(job, async () => {
        await release.promise;
        throw new AppError('SERVICE_UNAVAILABLE', 'feed answered 503');
      });
      await queue.start();
      const { id } = await queue.enqueue(job, { n: 2 });

      const waited = queue.waitForJob(id, { timeoutMs: 20_000 });
      const releasedAt = performance.now();
      release.resolve(undefined);
      const info = await waited;

      expect(info).toMatchObject({ state: 'failed', error: 'feed answered 503' });
      expect(performance.now() - releasedAt).toBeLessThan(5_000);
    });

    it('resolves waitForJob with the current state when the timeout passes', async () => {
      const queue = openQueue();
      const job = doublingJob('wait-timeout');
      const { id } = await queue.enqueue(job, { n: 2 });

      const startedAt = performance.now();
      const info = await queue.waitForJob(id, { timeoutMs: 200 });

      expect(info?.state).toBe('waiting');
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(195);
    });

    it('answers undefined for unknown and malformed job ids', async () => {
      const queue = openQueue();
      const job = doublingJob('unknown');
      await queue.enqueue(job, { n: 1 });

      expect(await queue.getJob(`${job.name}.missing`)).toBeUndefined();
      expect(await queue.getJob('not-a-job-id')).toBeUndefined();
      expect(await queue.getJob('repeat:')).toBeUndefined();
      expect(await queue.getJob('../../etc.passwd')).toBeUndefined();
      expect(await queue.waitForJob(`${job.name}.missing`, { timeoutMs: 1_000 })).toBeUndefined();
    });

    it('describes a finished job with its name, requester and timestamps', async () => {
      const queue = openQueue();
      const job = doublingJob('describe');
      queue.registerWorker(job, ({ n }) => Promise.resolve({ doubled: n * 2 }));
      await queue.start();
      const before = Date.now();

      const { id } = await queue.enqueue(job, { n: 3 }, { requestedBy: 'user_2abc' });
      const info = await queue.waitForJob(id, { timeoutMs: 10_000 });

      expect(info).toMatchObject({ id, name: job.name, state: 'completed', progress: 0, requestedBy: 'user_2abc', attemptsMade: 1 });
      expect(info?.error).toBeUndefined();
      expect(info?.createdAt.getTime()).toBeGreaterThanOrEqual(before - 5);
      expect(info?.finishedAt?.getTime()).toBeGreaterThanOrEqual(info?.createdAt.getTime() ?? Infinity);
    });

    it('counts jobs per state for each job name', async () => {
      const queue = openQueue();
      const job = doublingJob('counts');
      await queue.enqueue(job, { n: 1 });
      await queue.enqueue(job, { n: 2 });
      await queue.enqueue(job, { n: 3 }, { delayMs: 60_000 });

      expect((await queue.counts())[job.name]).toEqual({ waiting: 2, active: 0, delayed: 1, failed: 0 });
    });

    it('drains on close: the active job finishes and no other job starts', async () => {
      const queue = openQueue();
      const job = doublingJob('drain');
      const release = queues.gate();
      const started: number[] = [];
      const finished: number[] = [];
      queue.registerWorker(job, async ({ n }) => {
        started.push(n);
        await release.promise;
        await delay(50);
        finished.push(n);
        return { doubled: n * 2 };
      });
      await queue.enqueue(job, { n: 1 });
      await queue.enqueue(job, { n: 2 });
      await queue.start();
      await eventually(
        () => started.length,
        (count) => count === 1,
      );

      const closing = queue.close();
      release.resolve(undefined);
      await closing;

      expect(finished).toEqual([1]);
      expect(started).toEqual([1]);
      await expect(queue.enqueue(job, { n: 3 })).rejects.toThrow('closed');
    });

    it('answers ping while open and not after close', async () => {
      const queue = openQueue();

      expect(await queue.ping()).toBe(true);
      await queue.close();
      expect(await queue.ping()).toBe(false);
    });

    it('runs a scheduler right away and then once per interval, even when upserted twice', async () => {
      const queue = openQueue();
      const job = doublingJob('tick');
      const runs: { id: string; n: number; at: number }[] = [];
      queue.registerWorker(job, ({ n }, context) => {
        runs.push({ id: context.jobId, n, at: performance.now() });
        return Promise.resolve({ doubled: n * 2 });
      });
      await queue.start();

      await queue.upsertScheduler('every-300', { everyMs: 300 }, job, { n: 1 });
      await queue.upsertScheduler('every-300', { everyMs: 300 }, job, { n: 2 });
      await eventually(
        () => runs.length,
        (count) => count >= 3,
        { timeoutMs: 10_000 },
      );

      expect(new Set(runs.map((run) => run.id)).size).toBe(runs.length);
      for (const [index, run] of runs.entries()) {
        const previous = runs[index - 1];
        if (previous) expect(run.at - previous.at).toBeGreaterThanOrEqual(150);
      }
      expect(runs.at(-1)?.n).toBe(2);
      expect(await queue.getJob(runs[0]!.id)).toMatchObject({ name: job.name, state: 'completed' });
    });

    it('stops a removed scheduler', async () => {
      const queue = openQueue();
      const job = doublingJob('tick-removed');
      let runs = 0;
      queue.registerWorker(job, ({ n }) => {
        runs += 1;
        return Promise.resolve({ doubled: n * 2 });
      });
      await queue.start();
      await queue.upsertScheduler('every-100', { everyMs: 100 }, job, { n: 1 });
      await eventually(
        () => runs,
        (count) => count >= 2,
      );

      expect(await queue.removeScheduler('every-100', job)).toBe(true);
      const runsAtRemoval = runs;
      await delay(350);

      expect(runs).toBeLessThanOrEqual(runsAtRemoval + 1);
      expect(await queue.removeScheduler('every-100', job)).toBe(false);
    });
  });
});
