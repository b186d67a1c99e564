import { openDatabase, upsertReferenceTeams, type Database } from '@pressbox/db';
import {
  createJobQueue,
  createRedisEventBus,
  feedFetchJob,
  feedFetchJobKey,
  resumableStream,
  SlowConsumerError,
  type EventBus,
  type JobQueue,
  type Redis,
  type StoredEvent,
} from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { createScratchPostgres, databaseAvailable, type ScratchPostgres } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { connectTestRedis, deleteKeys, redisAvailable, uniquePrefix } from '../support/redis.ts';
import { eventually } from '../support/waiting.ts';
import { createIngestFeeds, ingestCounts, type IngestFeeds } from './support/ingest-feeds.ts';
import { killNow, loggedAt, spawnPressbox, type PressboxProcess } from './support/pressbox-process.ts';

const SOURCES = 50;
const ITEMS = 100;
const TOTAL = SOURCES * ITEMS;
/** Slow enough that the 2-per-host fetches of 50 feeds take several seconds, so the kill lands mid-ingest. */
const FEED_DELAY_MS = 150;

describe.skipIf(!databaseAvailable('postgres') || !redisAvailable())('a worker killed with SIGKILL in the middle of an ingest', () => {
  let scratch: ScratchPostgres;
  let db: Database;
  let server: FeedServer;
  let redis: Redis;
  let queue: JobQueue;
  let bus: EventBus;
  let feeds: IngestFeeds;
  const prefix = uniquePrefix('pbcrash');
  const workers: PressboxProcess[] = [];
  const received: StoredEvent[] = [];
  const streamAbort = new AbortController();
  let streaming: Promise<void> | undefined;

  beforeAll(async () => {
    scratch = await createScratchPostgres('pb_crash');
    db = await openDatabase({ databaseUrl: scratch.url, poolMax: 4 });
    await upsertReferenceTeams(db.prisma);
    server = await startFeedServer();
    redis = connectTestRedis('pbcrash-test');
    queue = createJobQueue({ kind: 'bullmq', redisUrl, prefix });
    bus = createRedisEventBus({ prisma: db.prisma, url: redisUrl, prefix, name: `${prefix}-subscriber` });
    feeds = await createIngestFeeds(db.prisma, server, { count: SOURCES, items: ITEMS, delayMs: FEED_DELAY_MS });
    // A live subscriber of every team from before the ingest: what a client would have seen. Like a
    // client, it resumes from the last event it got when it falls behind.
    const teamIds = feeds.sources.flatMap((source) => source.teamIds);
    streaming = (async () => {
      for (;;) {
        const stream = resumableStream({
          bus,
          teamIds,
          types: ['news.created'],
          signal: streamAbort.signal,
          lastEventId: received.at(-1)?.id,
        });
        try {
          for await (const event of stream) received.push(event);
          return;
        } catch (error) {
          if (!(error instanceof SlowConsumerError)) throw error;
        }
      }
    })();
  }, 60_000);

  afterAll(async () => {
    streamAbort.abort();
    await streaming?.catch(() => undefined);
    await Promise.all(workers.map(killNow));
    await bus.close();
    await queue.close();
    await server.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
    await db.close();
    await scratch.drop();
  }, 60_000);

  function startWorker(): Promise<PressboxProcess> {
    return spawnPressbox('worker', {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisUrl,
      PRESSBOX_REDIS_PREFIX: prefix,
      PORT: String(47301 + workers.length),
    }).then((worker) => {
      workers.push(worker);
      return worker;
    });
  }

  it('stores every article once, announces each exactly once, and another worker takes over within 10 s', async () => {
    const jobIds: string[] = [];
    for (const source of feeds.sources) {
      jobIds.push(
        (await queue.enqueue(feedFetchJob, { sourceId: source.id }, { jobId: feedFetchJobKey(source.id, source.nextFetchAt) })).id,
      );
    }
    // Two workers share the ingest; the first is killed, the second takes over what it held.
    const first = await startWorker();
    const second = await startWorker();
    await Promise.all([first.ready, second.ready]);
    const midway = await eventually(
      async () => (await ingestCounts(db.prisma)).articles,
      (articles) => articles >= TOTAL / 5,
      { timeoutMs: 90_000, intervalMs: 10 },
    );
    const killedAt = Date.now();
    await killNow(first);
    const atKill = await ingestCounts(db.prisma);
    expect(atKill.articles, `killed after ${String(midway)} articles`).toBeLessThan(TOTAL);
    // The jobs the dead worker held: started there and never finished.
    const stranded = jobIds.filter(
      (id) => loggedAt(first, 'job started', id) !== undefined && loggedAt(first, 'job completed', id) === undefined,
    );
    expect(stranded.length).toBeGreaterThan(0);
    await eventually(
      async () => ingestCounts(db.prisma),
      (counts) => counts.articles === TOTAL && counts.newsEvents === TOTAL,
      { timeoutMs: 120_000, intervalMs: 100 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${second.stderr()}`);
    });
    const counts = await ingestCounts(db.prisma);
    expect(counts).toEqual({ articles: TOTAL, duplicateArticles: 0, newsEvents: TOTAL, duplicateEvents: 0 });

    await eventually(
      () => received.length,
      (length) => length >= TOTAL,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(received).toHaveLength(TOTAL);
    expect(new Set(received.map((event) => event.id)).size).toBe(TOTAL);

    // A stranded job whose articles the dead worker had committed may still be held when they are
    // all there: it completes once the survivor has found it stalled and run it again.
    await eventually(
      async () => Promise.all(stranded.map(async (id) => (await queue.getJob(id))?.state)),
      (states) => states.every((state) => state === 'completed'),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    // Taken over: from the kill to the last stranded job's start on the surviving worker. Logs are
    // written asynchronously, so the dead worker may have finished a job whose "job completed" line
    // it never wrote: such a job is completed without running again.
    const rerunAfterMs = stranded.flatMap((id) => {
      const startedAt = loggedAt(second, 'job started', id, killedAt);
      return startedAt === undefined ? [] : [startedAt - killedAt];
    });
    expect(rerunAfterMs.length).toBeGreaterThan(0);
    const takeoverMs = Math.max(...rerunAfterMs);
    expect(takeoverMs).toBeLessThan(10_000);
    console.info(
      `SIGKILL mid-ingest: killed at ${String(atKill.articles)} articles holding ${String(stranded.length)} jobs (${String(rerunAfterMs.length)} run again), taken over ${String(takeoverMs)} ms after the kill; ` +
        `${String(counts.articles)} articles, ${String(counts.duplicateArticles)} duplicated, ${String(counts.newsEvents)} news.created, ${String(counts.duplicateEvents)} duplicated, ${String(received.length)} delivered live`,
    );
  }, 300_000);
});
