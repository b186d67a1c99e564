import { openDatabase, upsertReferenceTeams, type Database } from '@pressbox/db';
import {
  createJobQueue,
  createRedisEventBus,
  resumableStream,
  summaryJob,
  type EventBus,
  type JobQueue,
  type Redis,
  type StoredEvent,
} from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import { createScratchPostgres, databaseAvailable, type ScratchPostgres } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { freePort } from '../support/process.ts';
import { connectTestRedis, deleteKeys, redisAvailable, uniquePrefix } from '../support/redis.ts';
import { eventually } from '../support/waiting.ts';
import { addArticles, stories } from '../summaries-api/fixtures.ts';
import { killNow, spawnPressbox, type PressboxProcess } from './support/pressbox-process.ts';

const TEAMS = 30;
const LENGTHS = ['SHORT', 'MEDIUM', 'LONG'] as const;
const TOTAL = TEAMS * LENGTHS.length;
/** Each provider answer takes this long, so the kill lands while summaries are being made and saved. */
const LLM_LATENCY_MS = 250;

/** Summaries, their `summary.updated` events, and events that are duplicated or announce no stored summary. */
async function summaryCounts(prisma: Database['prisma']) {
  const [row] = await prisma.$queryRaw<{ summaries: number; events: number; duplicated: number; orphans: number }[]>`
    SELECT
      (SELECT count(*)::int FROM "Summary") AS "summaries",
      (SELECT count(*)::int FROM "Event" WHERE "type" = 'summary.updated') AS "events",
      (SELECT count(*)::int FROM (
        SELECT 1 FROM "Event" WHERE "type" = 'summary.updated' GROUP BY "data"->>'summaryId' HAVING count(*) > 1) d) AS "duplicated",
      (SELECT count(*)::int FROM "Event" e WHERE e."type" = 'summary.updated'
        AND NOT EXISTS (SELECT 1 FROM "Summary" s WHERE s."id"::text = e."data"->>'summaryId')) AS "orphans"`;
  if (!row) throw new Error('no counts');
  return row;
}

describe.skipIf(!databaseAvailable('postgres') || !redisAvailable())('a worker killed with SIGKILL while summaries are being saved', () => {
  let scratch: ScratchPostgres;
  let db: Database;
  let llm: FakeLlmServer;
  let redis: Redis;
  let queue: JobQueue;
  let bus: EventBus;
  let teamIds: string[];
  const prefix = uniquePrefix('pbsumkill');
  const workers: PressboxProcess[] = [];
  const received: StoredEvent[] = [];
  const streamAbort = new AbortController();
  let streaming: Promise<void> | undefined;

  beforeAll(async () => {
    scratch = await createScratchPostgres('pb_sumkill');
    db = await openDatabase({ databaseUrl: scratch.url, poolMax: 4 });
    await upsertReferenceTeams(db.prisma);
    llm = await startFakeLlmServer();
    llm.setDefault({ kind: 'grounded', latencyMs: LLM_LATENCY_MS });
    redis = connectTestRedis('pbsumkill-test');
    queue = createJobQueue({ kind: 'bullmq', redisUrl, prefix });
    bus = createRedisEventBus({ prisma: db.prisma, url: redisUrl, prefix, name: `${prefix}-subscriber` });
    teamIds = (await db.prisma.team.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: TEAMS })).map((team) => team.id);
    for (const teamId of teamIds) await addArticles(db.prisma, teamId, stories(4, teamId));
    streaming = (async () => {
      const stream = resumableStream({ bus, teamIds, types: ['summary.updated'], signal: streamAbort.signal });
      for await (const event of stream) received.push(event);
    })();
  }, 120_000);

  afterAll(async () => {
    streamAbort.abort();
    await streaming?.catch(() => undefined);
    await Promise.all(workers.map(killNow));
    await bus.close();
    await queue.close();
    await llm.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
    await db.close();
    await scratch.drop();
  }, 60_000);

  async function startWorker(): Promise<PressboxProcess> {
    const worker = await spawnPressbox('worker', {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisUrl,
      PRESSBOX_REDIS_PREFIX: prefix,
      PORT: String(await freePort()),
      LLM_BASE_URL: llm.url,
      LLM_MODEL: 'fake-model',
      LLM_API_KEY: 'sk-test',
      LLM_TIMEOUT_MS: '5000',
    });
    workers.push(worker);
    return worker;
  }

  it('stores every summary once and announces each exactly once, live and in the log', async () => {
    for (const teamId of teamIds) {
      for (const length of LENGTHS) await queue.enqueue(summaryJob, { teamId, length }, { jobId: `kill.${teamId}.${length}` });
    }
    const first = await startWorker();
    const second = await startWorker();
    await Promise.all([first.ready, second.ready]);
    const atKill = await eventually(
      () => summaryCounts(db.prisma),
      (counts) => counts.summaries >= TOTAL / 5,
      { timeoutMs: 90_000, intervalMs: 5 },
    );
    await killNow(first);
    expect(atKill.summaries, 'killed before the last summary').toBeLessThan(TOTAL);

    const counts = await eventually(
      () => summaryCounts(db.prisma),
      (current) => current.summaries === TOTAL && current.events === TOTAL,
      { timeoutMs: 120_000, intervalMs: 100 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${second.stderr()}`);
    });
    expect(counts).toEqual({ summaries: TOTAL, events: TOTAL, duplicated: 0, orphans: 0 });
    await eventually(
      () => received.length,
      (length) => length >= TOTAL,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(received).toHaveLength(TOTAL);
    expect(new Set(received.map((event) => (event.data as { summaryId: string }).summaryId)).size).toBe(TOTAL);
    console.info(
      `SIGKILL while saving summaries: killed at ${String(atKill.summaries)} of ${String(TOTAL)}; ${String(counts.summaries)} summaries, ` +
        `${String(counts.events)} summary.updated, ${String(counts.duplicated)} duplicated, ${String(counts.orphans)} without a summary, ${String(received.length)} delivered live`,
    );
  }, 300_000);
});
