import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from '@pressbox/jobs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { feedFixtures, readFixture, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { connectTestRedis, deleteKeys, redisAvailable } from '../support/redis.ts';
import { addSource, allNews, call, eventually, finishedJob, refresh, startIngestApp, type JobDto } from './support.ts';

/** The killed worker's lock: its jobs are free again this long after it died. */
const killedLockMs = 2_000;
/** The surviving worker's lock, long enough that a busy machine never makes it look stalled too. */
const survivorLockMs = 5_000;
const testRoot = fileURLToPath(new URL('..', import.meta.url));
const fetchWorker = fileURLToPath(new URL('./fixtures/fetch-worker.ts', import.meta.url));

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe.skipIf(!databaseAvailable('postgres') || !redisAvailable())('a feed fetch whose worker is killed half-way', () => {
  let app: TestApp;
  let server: FeedServer;
  let redis: Redis;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startFeedServer();
    redis = connectTestRedis('ingest-crash');
    // The API alone: fetch jobs are only ever taken by the worker processes the test starts.
    app = await startIngestApp({ database: 'postgres', redis: true, role: 'api' });
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map(killHard));
  });

  afterAll(async () => {
    await app.close();
    await server.close();
    await deleteKeys(redis, app.redisPrefix);
    await redis.quit();
  });

  /** The production processors in a child process, on the app's database and job queue. */
  function spawnWorker(lockDurationMs: number): WorkerProcess {
    const child = spawn(process.execPath, ['--conditions=@pressbox/source', '--import', 'tsx', fetchWorker], {
      cwd: testRoot,
      env: {
        ...process.env,
        DATABASE_URL: app.running.services.config.databaseUrl ?? '',
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: app.redisPrefix,
        LOCK_DURATION_MS: String(lockDurationMs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    return { child, output: () => output };
  }

  it('is taken over by another worker, completes, and stores each entry once', async () => {
    const body = readFixture(feedFixtures.rss2);
    // The whole document at once, then the response stays open: the worker is stuck reading it.
    server.route('/slow/rss2.xml', { kind: 'trickle', chunk: body, chunks: 1, intervalMs: 120_000 });
    const { source, jobId } = await addSource(app, { url: server.url('/slow/rss2.xml'), teamIds: ['nba-mil'] });

    const first = spawnWorker(killedLockMs);
    await eventually(
      () => server.count('/slow/rss2.xml') + (first.child.exitCode === null ? 0 : 100),
      (count) => count > 0,
      { timeoutMs: 30_000, intervalMs: 25 },
    );
    expect(first.child.exitCode, first.output()).toBeNull();
    await killHard(first.child);
    expect((await call<JobDto>(app, `/jobs/${jobId}`)).body.state).toBe('active');
    expect(await allNews(app, 'nba-mil')).toEqual([]);

    // The publisher is slow, not stuck, for the worker that takes over.
    server.route('/slow/rss2.xml', { kind: 'trickle', chunk: body, chunks: 1, intervalMs: 200 });
    const second = spawnWorker(survivorLockMs);
    const job = await finishedJob(app, jobId, { timeoutMs: 45_000 });

    expect(job, second.output()).toMatchObject({ state: 'completed', result: { status: 'stored', created: 3 } });
    expect(server.count('/slow/rss2.xml')).toBe(2);
    const news = await allNews(app, 'nba-mil');
    expect(news).toHaveLength(3);
    expect(new Set(news.map((item) => item.title)).size).toBe(3);

    // Running the fetch once more (the feed has no validators, so it is read in full) adds nothing.
    const again = await finishedJob(app, await refresh(app, source.id), { timeoutMs: 30_000 });
    expect(again.result).toMatchObject({ status: 'stored', created: 0, updated: 0 });
    expect(await allNews(app, 'nba-mil')).toHaveLength(3);
  }, 120_000);
});
