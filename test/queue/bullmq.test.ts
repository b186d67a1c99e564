import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createJobQueue, defineJob, type JobQueue, type Redis } from '@pressbox/jobs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { redisUrl } from '../support/environment.ts';
import { connectTestRedis, deleteKeys, redisAvailable, uniquePrefix } from '../support/redis.ts';
import { crashSafeJob, crashSafeKeys, processCrashSafe } from './fixtures/crash-safe-job.ts';
import { eventually, queueTracker } from './support.ts';

const prefix = uniquePrefix('pbb');
const lockDurationMs = 2_000;
const queues = queueTracker();
const testRoot = fileURLToPath(new URL('..', import.meta.url));
const crashWorker = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url));

function openQueue(queuePrefix = prefix): JobQueue {
  return queues.track(createJobQueue({ kind: 'bullmq', redisUrl, prefix: queuePrefix, lockDurationMs }));
}

const tickJob = (name: string) =>
  defineJob({
    name,
    payload: z.object({ n: z.number() }),
    result: z.object({ n: z.number() }),
    attempts: 1,
    backoff: { type: 'exponential', delayMs: 20 },
    concurrency: 1,
  });

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
}

/** The fixture worker in a child process, running the queue code from source like the tests do. */
function spawnWorker(): WorkerProcess {
  const child = spawn(process.execPath, ['--conditions=@pressbox/source', '--import', 'tsx', crashWorker], {
    cwd: testRoot,
    env: { ...process.env, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, LOCK_DURATION_MS: String(lockDurationMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { child, output: () => output };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function clientNames(redis: Redis): Promise<string[]> {
  const list = String(await redis.client('LIST'));
  return list.split('\n').flatMap((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? []);
}

async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

describe.skipIf(!redisAvailable())('the BullMQ job queue', () => {
  let redis: Redis;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    redis = connectTestRedis('queue-bullmq');
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map(killHard));
    await queues.closeAll();
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('runs a job again on another worker after the worker process running it was killed', async () => {
    const producer = openQueue();
    const { id } = await producer.enqueue(crashSafeJob, { orderId: 'o-1' }, { jobId: 'o-1' });
    const keys = crashSafeKeys(prefix, id);
    const worker = spawnWorker();
    children.push(worker.child);

    const starts = await eventually(
      () => redis.lrange(keys.starts, 0, -1),
      (list) => list.length === 1 || worker.child.exitCode !== null,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(starts, `worker output: ${worker.output()}`).toEqual([String(worker.child.pid)]);
    await killHard(worker.child);
    // The dead worker's lock still holds the job until it expires.
    expect((await producer.getJob(id))?.state).toBe('active');

    producer.registerWorker(crashSafeJob, (_payload, context) => processCrashSafe(redis, prefix, context, { hang: false }));
    await producer.start();
    const info = await producer.waitForJob(id, { timeoutMs: 30_000 });

    expect(info).toMatchObject({ state: 'completed', result: { completedBy: process.pid }, attemptsMade: 1 });
    expect(await redis.lrange(keys.starts, 0, -1)).toEqual([String(worker.child.pid), String(process.pid)]);
  }, 90_000);

  it('enqueues one job per tick when several processes upsert the same scheduler', async () => {
    const job = tickJob('shared-tick');
    const runs: string[] = [];
    for (const queue of [openQueue(), openQueue()]) {
      queue.registerWorker(job, ({ n }, context) => {
        runs.push(context.jobId);
        return Promise.resolve({ n });
      });
      await queue.start();
      await queue.upsertScheduler('shared', { everyMs: 250 }, job, { n: 1 });
    }

    await eventually(
      () => runs.length,
      (count) => count >= 4,
    );

    const ticks = runs.map((id) => Number(id.split(':').at(-1)));
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.every((tick) => (tick - (ticks[0] ?? 0)) % 250 === 0)).toBe(true);
  });

  it('keeps one scheduler when it is upserted again after a restart', async () => {
    const job = tickJob('restart-tick');
    const before = openQueue();
    await before.upsertScheduler('hourly', { everyMs: 3_600_000 }, job, { n: 1 });
    await before.close();

    const after = openQueue();
    await after.upsertScheduler('hourly', { everyMs: 3_600_000 }, job, { n: 2 });

    expect((await after.counts())[job.name]).toEqual({ waiting: 1, active: 0, delayed: 0, failed: 0 });
  });

  it('keeps its keys under its prefix and closes every connection it opened', async () => {
    const ownPrefix = `${prefix}-own`;
    const job = tickJob('hygiene');
    const queue = openQueue(ownPrefix);
    queue.registerWorker(job, ({ n }) => Promise.resolve({ n }));
    await queue.start();
    const { id } = await queue.enqueue(job, { n: 1 });
    await queue.waitForJob(id, { timeoutMs: 10_000 });
    const later = await queue.enqueue(job, { n: 2 }, { delayMs: 60_000 });
    // Waiting on an unfinished job opens the queue's event stream reader as well.
    expect((await queue.waitForJob(later.id, { timeoutMs: 50 }))?.state).toBe('delayed');
    await queue.upsertScheduler('daily', { everyMs: 86_400_000 }, job, { n: 1 });
    const connectionsWhileOpen = (await clientNames(redis)).filter((name) => name.includes(ownPrefix));

    await queue.close();

    expect(connectionsWhileOpen.length).toBeGreaterThanOrEqual(4);
    expect((await clientNames(redis)).filter((name) => name.includes(ownPrefix))).toEqual([]);
    const keys = await keysMatching(redis, `*${job.name}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !key.startsWith(`${ownPrefix}:`))).toEqual([]);
  });
});
