import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '@pressbox/db';
import { createRedis, summarizeExtractively, type SummaryArticle, type SummaryInput } from '@pressbox/jobs';
import { loadOrCreateDevKey, mintDevToken } from '@pressbox/server';
import { startFakeLlmServer, type FakeLlmServer } from '@pressbox/test/fakes/llm-server.ts';
import { postgresAdminUrl, redisUrl } from '@pressbox/test/support/environment.ts';
import { freePort, killGroup, spawnInRepo, waitUntilUp, type Spawned } from '@pressbox/test/support/process.ts';
import { addArticles, stories, summaryAnswerSchema } from '@pressbox/test/summaries-api/fixtures.ts';
import pg from 'pg';
import { processCpuMs } from './lib/cpu.ts';
import { percentiles, round } from './lib/stats.ts';
import { record } from './lib/report.ts';

/**
 * Team summaries through the real API (a separate server process on a scratch Postgres, the fake
 * OpenAI-compatible LLM answering in 800 ms): warm GET latency at 50 concurrent clients
 * (autocannon), cold GET latency of 50 concurrent requests for a summary that does not exist yet,
 * the provider calls each cold burst makes (single flight), and the extractive summarizer alone on
 * 50 articles. The API runs twice: with the in-process job layer, and with BullMQ on Redis.
 * BENCH_QUICK=1 shrinks durations and repetitions for a smoke run.
 */

const quick = process.env.BENCH_QUICK === '1';
const CONCURRENCY = 50;
const LLM_LATENCY_MS = 800;
const WARM_SECONDS = quick ? 3 : 15;
const WARMUP_SECONDS = quick ? 1 : 3;
const COLD_BURSTS = quick ? 2 : 6;
const EXTRACTIVE_RUNS = quick ? 30 : 200;
const issuer = 'https://pressbox.dev.local';

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type AutocannonRun = EventEmitter & PromiseLike<AutocannonResult>;
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  renderProgressBar?: boolean;
  renderResultsTable?: boolean;
}) => AutocannonRun;

// autocannon ships CommonJS without type declarations; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface ModeResult {
  warm: Record<string, number>;
  cold: Record<string, number | number[]>;
}

interface RunningApi {
  url: string;
  /** The API process (node itself, spawned directly). */
  pid: number;
  token: string;
  db: Database;
  close(): Promise<void>;
}

async function startApi(llm: FakeLlmServer, withRedis: boolean): Promise<RunningApi> {
  const scratch = await scratchDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-bench-'));
  const prefix = `pbb${randomBytes(5).toString('hex')}`;
  const port = await freePort();
  const server: Spawned = spawnInRepo(process.execPath, ['--conditions=@pressbox/source', '--import', 'tsx', 'server/src/main.ts'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: scratch.url,
    PRESSBOX_DATA_DIR: dataDir,
    PRESSBOX_SEED: 'none',
    PRESSBOX_REDIS_PREFIX: prefix,
    RATE_LIMIT_USER_PER_MIN: '0',
    RATE_LIMIT_IP_PER_MIN: '0',
    LLM_BASE_URL: llm.url,
    LLM_MODEL: 'fake-model',
    LLM_API_KEY: 'sk-bench',
    LLM_TIMEOUT_MS: '10000',
    ...(withRedis ? { REDIS_URL: redisUrl } : {}),
  });
  const url = `http://127.0.0.1:${String(port)}`;
  try {
    await waitUntilUp(`${url}/readyz`, 90_000, server);
  } catch (error) {
    killGroup(server, 'SIGKILL');
    await scratch.drop();
    throw error;
  }
  const db = await openDatabase({ databaseUrl: scratch.url, migrate: false, poolMax: 4 });
  const key = await loadOrCreateDevKey(dataDir);
  const token = mintDevToken(key, { userId: 'bench_user', issuer, ttlSeconds: 3_600 });
  return {
    url,
    pid: server.child.pid ?? 0,
    token,
    db,
    close: async () => {
      killGroup(server, 'SIGTERM');
      const exited = await Promise.race([
        server.exited.then(() => true),
        new Promise<false>((resolve) =>
          setTimeout(() => {
            resolve(false);
          }, 15_000),
        ),
      ]);
      if (!exited) killGroup(server, 'SIGKILL');
      await db.close();
      await scratch.drop();
      await rm(dataDir, { recursive: true, force: true });
      if (withRedis) await deleteRedisKeys(prefix);
    },
  };
}

/** A new Postgres database for one server run; `drop()` removes it. */
async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pressbox_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: postgresAdminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Removes the keys a BullMQ run left under its private prefix (SCAN, never KEYS). */
async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = createRedis(redisUrl, { name: 'bench-cleanup' });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

async function getSummary(api: RunningApi, teamId: string): Promise<{ status: number; ms: number; stale: boolean | undefined }> {
  const started = performance.now();
  const response = await fetch(`${api.url}/api/v1/teams/${teamId}/summary?length=MEDIUM`, {
    headers: { authorization: `Bearer ${api.token}` },
  });
  const body = summaryAnswerSchema.parse(await response.json());
  return { status: response.status, ms: performance.now() - started, stale: body.status === 'pending' ? undefined : body.stale };
}

async function warmBenchmark(api: RunningApi): Promise<Record<string, number>> {
  await addArticles(api.db.prisma, 'nba-bos', stories(20, 'warm'));
  for (let tries = 0; ; tries += 1) {
    const answer = await getSummary(api, 'nba-bos');
    if (answer.status === 200 && answer.stale === false) break;
    if (tries > 40) throw new Error('the warm summary never became ready');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const target = {
    url: `${api.url}/api/v1/teams/nba-bos/summary?length=MEDIUM`,
    connections: CONCURRENCY,
    headers: { authorization: `Bearer ${api.token}` },
    renderProgressBar: false,
    renderResultsTable: false,
  };
  await autocannon({ ...target, duration: WARMUP_SECONDS });
  const samples: number[] = [];
  const serverBefore = await processCpuMs(api.pid);
  const loadBefore = process.cpuUsage();
  const run = autocannon({ ...target, duration: WARM_SECONDS });
  run.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === 200) samples.push(responseTime);
  });
  const result = await run;
  const serverCpuMs = (await processCpuMs(api.pid)) - serverBefore;
  const load = process.cpuUsage(loadBefore);
  const answered = Math.max(1, result.requests.total);
  return {
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.average),
    serverCpuMsPerRequest: round(serverCpuMs / answered, 3),
    loadGeneratorCpuMsPerRequest: round((load.user + load.system) / 1000 / answered, 3),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    ...prefixed('latencyMs', percentiles(samples)),
  };
}

async function coldBenchmark(api: RunningApi, llm: FakeLlmServer): Promise<Record<string, number | number[]>> {
  const teams = await api.db.prisma.team.findMany({
    where: { league: 'NHL' },
    orderBy: { id: 'asc' },
    take: COLD_BURSTS,
    select: { id: true },
  });
  const all: number[] = [];
  const burstP95: number[] = [];
  const providerCalls: number[] = [];
  let non200 = 0;
  for (const { id } of teams) {
    await addArticles(api.db.prisma, id, stories(10, id));
    const before = llm.calls;
    const answers = await Promise.all(Array.from({ length: CONCURRENCY }, () => getSummary(api, id)));
    non200 += answers.filter((answer) => answer.status !== 200).length;
    const times = answers.map((answer) => answer.ms);
    all.push(...times);
    burstP95.push(percentiles(times, [95]).p95 ?? Number.NaN);
    providerCalls.push(llm.calls - before);
  }
  return {
    bursts: teams.length,
    requestsPerBurst: CONCURRENCY,
    non200,
    ...prefixed('latencyMs', percentiles(all)),
    burstP95Ms: burstP95.map((value) => round(value)),
    providerCallsPerBurst: providerCalls,
  };
}

/** 50 distinct articles of two to three sentences, the same on every run. */
function extractiveInput(): SummaryInput {
  const players = ['Tatum', 'Brown', 'White', 'Holiday', 'Porzingis', 'Horford', 'Pritchard', 'Hauser', 'Kornet', 'Tillman'];
  const events = [
    'scored {n} points in a win over the {o}',
    'missed practice with a sore {b} and is listed as questionable',
    'signed a contract extension worth {n} million dollars',
    'was named player of the week after averaging {n} points',
    'returned from a {b} injury and played {n} minutes off the bench',
    'spoke to reporters about the playoff race and the {o} rivalry',
  ];
  const opponents = ['Knicks', 'Heat', 'Bucks', 'Sixers', 'Nets', 'Raptors', 'Magic', 'Cavaliers'];
  const body = ['ankle', 'knee', 'hamstring', 'wrist', 'back'];
  let seed = 42;
  const next = (size: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % size;
  };
  const fill = (template: string) =>
    template
      .replace('{n}', String(10 + next(35)))
      .replace('{o}', opponents[next(opponents.length)] ?? 'Knicks')
      .replace('{b}', body[next(body.length)] ?? 'ankle');
  const newest = Date.parse('2025-03-01T12:00:00Z');
  const articles: SummaryArticle[] = Array.from({ length: 50 }, (_, index) => {
    const player = players[next(players.length)] ?? 'Tatum';
    const sentences = Array.from(
      { length: 2 + next(2) },
      () => `${players[next(players.length)] ?? 'Brown'} ${fill(events[next(events.length)] ?? '')}.`,
    );
    return {
      id: `article-${String(index)}`,
      title: `${player} ${fill(events[next(events.length)] ?? '')}`,
      summary: sentences.join(' '),
      publishedAt: new Date(newest - index * 3_600_000),
      sourceName: `Source ${String(index % 5)}`,
    };
  });
  return { team: { id: 'nba-bos', name: 'Boston Celtics', shortName: 'Celtics', league: 'NBA' }, length: 'LONG', articles };
}

function extractiveBenchmark(): Record<string, number> {
  const input = extractiveInput();
  for (let index = 0; index < 20; index += 1) summarizeExtractively(input);
  const samples: number[] = [];
  for (let index = 0; index < EXTRACTIVE_RUNS; index += 1) {
    const started = performance.now();
    summarizeExtractively(input);
    samples.push(performance.now() - started);
  }
  const { p50, p95 } = percentiles(samples, [50, 95]);
  return { articles: input.articles.length, runs: EXTRACTIVE_RUNS, medianMs: p50 ?? Number.NaN, p95Ms: p95 ?? Number.NaN };
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}.${key}`, value]));
}

async function runMode(llm: FakeLlmServer, withRedis: boolean): Promise<ModeResult> {
  const api = await startApi(llm, withRedis);
  try {
    const warm = await warmBenchmark(api);
    const cold = await coldBenchmark(api, llm);
    return { warm, cold };
  } finally {
    await api.close();
  }
}

const llm = await startFakeLlmServer();
llm.setDefault({ kind: 'grounded', latencyMs: LLM_LATENCY_MS });
const loadBefore = loadavg()[0] ?? Number.NaN;
let results: { memory: ModeResult; bullmq: ModeResult; extractive: Record<string, number>; loadAverage1m: Record<string, number> };
try {
  const extractive = extractiveBenchmark();
  const memory = await runMode(llm, false);
  const bullmq = await runMode(llm, true);
  // Other work on the machine inflates every latency here: the load says how busy it was.
  results = { memory, bullmq, extractive, loadAverage1m: { before: round(loadBefore), after: round(loadavg()[0] ?? Number.NaN) } };
} finally {
  await llm.close();
}

const number = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);
const calls = (mode: ModeResult) => (Array.isArray(mode.cold.providerCallsPerBurst) ? mode.cold.providerCallsPerBurst : []);
const coldTarget = LLM_LATENCY_MS + 150;

await record({
  name: 'summary',
  title: 'Team summaries: warm and cold GET, single flight, extractive generation',
  method: [
    `Server: \`server/src/main.ts\` in its own process on a scratch Postgres 15 database, dev auth, rate limits off, the fake OpenAI-compatible LLM (\`test/fakes/llm-server.ts\`) answering every request in ${String(LLM_LATENCY_MS)} ms; run twice, with the in-process job layer (\`memory\`) and with BullMQ on the local Redis 7 (\`bullmq\`).`,
    `Warm: one team with 20 articles and its MEDIUM summary stored; autocannon, ${String(CONCURRENCY)} connections for ${String(WARM_SECONDS)} s on \`GET /api/v1/teams/nba-bos/summary?length=MEDIUM\` after a ${String(WARMUP_SECONDS)} s warm-up, latency of every 200 response; CPU per request of the API process (from /proc) and of this process, which runs autocannon, over the measured seconds.`,
    `Cold: ${String(COLD_BURSTS)} bursts, each on an NHL team that never had a summary and just got 10 articles (a new input version); ${String(CONCURRENCY)} concurrent fetches of its summary; latency of every request, p95 of each burst, and the provider calls the fake counted during the burst.`,
    `Extractive: \`summarizeExtractively\` called directly on 50 articles (2–3 sentences each, LONG), ${String(EXTRACTIVE_RUNS)} timed runs after 20 warm-up runs.`,
    quick ? 'Smoke configuration (BENCH_QUICK=1): shorter runs, fewer bursts.' : 'Full configuration.',
  ].join(' '),
  metrics: results,
  targets: [
    ...(['memory', 'bullmq'] as const).flatMap((mode) => [
      {
        description: `${mode}: warm GET p95 < 25 ms at ${String(CONCURRENCY)} concurrent clients (measured ${String(results[mode].warm['latencyMs.p95'])} ms)`,
        met: number(results[mode].warm['latencyMs.p95']) < 25,
      },
      {
        description: `${mode}: warm GET ≥ 5,000 req/s with p95 ≤ 15 ms at ${String(CONCURRENCY)} concurrent clients (measured ${String(results[mode].warm.requestsPerSecond)} req/s, p95 ${String(results[mode].warm['latencyMs.p95'])} ms)`,
        met: number(results[mode].warm.requestsPerSecond) >= 5_000 && number(results[mode].warm['latencyMs.p95']) <= 15,
      },
      {
        description: `${mode}: cold GET p95 < LLM latency + 150 ms = ${String(coldTarget)} ms (measured ${String(results[mode].cold['latencyMs.p95'])} ms)`,
        met: number(results[mode].cold['latencyMs.p95']) < coldTarget,
      },
      {
        description: `${mode}: 1 provider call per cold burst (measured ${JSON.stringify(calls(results[mode]))})`,
        met: calls(results[mode]).length > 0 && calls(results[mode]).every((value) => value === 1),
      },
    ]),
    {
      description: `extractive generation for 50 articles < 50 ms (median ${String(results.extractive.medianMs)} ms, p95 ${String(results.extractive.p95Ms)} ms)`,
      met: number(results.extractive.p95Ms) < 50,
    },
  ],
});
