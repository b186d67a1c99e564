import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { percentiles, round } from './lib/stats.ts';

/*
 * `GET /teams/{teamId}/news` under load: the real API started in this process on a scratch
 * Postgres holding 100,000 articles (bulk-inserted with generate_series, tagged to four teams), hit
 * by autocannon from a child process (so the load generator does not share the server's event
 * loop) at 32 connections: REST and tRPC side by side, plain and with a full-text query.
 * BENCH_QUICK=1 shrinks the data and the durations to a smoke run; BENCH_NEWS_ONLY limits the variants.
 */

const quick = process.env.BENCH_QUICK === '1';
const ARTICLES = quick ? 10_000 : 100_000;
const SECONDS = quick ? 2 : 10;
/** Each variant's seconds are split into this many slices, the variants taking turns (noise falls on all alike). */
const ROUNDS = quick ? 1 : 2;
const CONNECTIONS = 32;
/** BENCH_NEWS_ONLY=rest,floor measures only those variants and records nothing (for profiling one path). */
const only = process.env.BENCH_NEWS_ONLY?.split(',');
const TEAMS = ['nba-bos', 'nba-lal', 'nba-gsw', 'nba-nyk'] as const;
const TEAM = 'nba-bos';

/** What the load child is asked to do, and what it answers on stdout. */
const loadRequest = z.object({ url: z.string(), headers: z.record(z.string(), z.string()), connections: z.number(), seconds: z.number() });
const loadReport = z.object({
  requests: z.number(),
  requestsPerSecond: z.number(),
  // A slice in which no response completed has no percentiles (null in JSON).
  latencyMs: z.record(z.string(), z.number().nullable()),
  meanMs: z.number(),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  samples: z.array(z.number()),
});
type LoadReport = z.infer<typeof loadReport>;

interface AutocannonResult {
  requests: { total: number; average: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
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

/** The child side: run autocannon once and print its numbers, with percentiles of every response time. */
async function generateLoad(request: z.infer<typeof loadRequest>): Promise<void> {
  // autocannon ships CommonJS without type declarations; this is the slice of its API used here.
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const samples: number[] = [];
  const run = autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    headers: request.headers,
    renderProgressBar: false,
    renderResultsTable: false,
  });
  run.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    samples.push(responseTime);
  });
  const result = await run;
  const report: LoadReport = {
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.total / result.duration, 0),
    latencyMs: percentiles(samples),
    meanMs: round(samples.reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length)),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    samples: samples.map((value) => round(value, 2)),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** Runs the load in a child process (this file in `--load` mode). */
async function loadFromChild(url: string, token: string, seconds: number): Promise<LoadReport> {
  const request = JSON.stringify({ url, headers: { authorization: `Bearer ${token}` }, connections: CONNECTIONS, seconds });
  const child = spawn(
    process.execPath,
    ['--conditions=@pressbox/source', '--import', 'tsx', fileURLToPath(import.meta.url), '--load', request],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the load generator exited with ${String(code)}`);
  return loadReport.parse(JSON.parse(output.trim().split('\n').at(-1) ?? '{}'));
}

/** 100,000 articles in a few statements: titles from a small vocabulary so `q=trade` hits one in eight. */
async function seedArticles(databaseUrl: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const source = await client.query<{ id: string }>(
      `INSERT INTO "Source" (id, url, name, status, "updatedAt") VALUES (gen_random_uuid(), 'https://bench.example.com/feed.xml', 'Bench Wire', 'PAUSED', now()) RETURNING id`,
    );
    const sourceId = source.rows[0]?.id;
    await client.query(
      `INSERT INTO "Article" (id, "sourceId", title, url, "canonicalUrl", fingerprint, author, summary, "contentHtml", "publishedAt", "fetchedAt", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid,
              (ARRAY['Trade','Injury','Rookie','Playoff','Coach','Contract','Draft','Arena'])[1 + g % 8] || ' update: ' ||
                (ARRAY['late rally seals the win','front office weighs options','starters rest on the road','bench depth tested again'])[1 + g % 4] || ' #' || g,
              'https://bench.example.com/news/' || g, 'https://bench.example.com/news/' || g, md5(g::text), 'Reporter ' || (g % 40),
              'The story in brief: ' || repeat('minutes, matchups and what comes next. ', 4),
              repeat('<p>Full story paragraph with <a href="https://bench.example.com/more">a link</a> and details about the game.</p>', 6),
              now() - g * interval '37 seconds', now(), now()
       FROM generate_series(1, $2::int) AS g`,
      [sourceId, ARTICLES],
    );
    await client.query(
      `INSERT INTO "ArticleSource" ("sourceId", "itemKey", "articleId", "contentHash", "firstSeenAt", "lastSeenAt")
       SELECT $1::uuid, a.url, a.id, a.fingerprint, now(), now() FROM "Article" a`,
      [sourceId],
    );
    // Every article to one of four teams by turns, and one in ten also to the next team (league-wide news).
    await client.query(
      `INSERT INTO "ArticleTeam" ("articleId", "teamId", "matchedBy", "publishedAt")
       SELECT a.id, ($1::text[])[1 + n % 4], 'SOURCE'::"MatchedBy", a."publishedAt" FROM (SELECT id, "publishedAt", row_number() OVER (ORDER BY id) AS n FROM "Article") a
       UNION ALL
       SELECT a.id, ($1::text[])[1 + (n + 2) % 4], 'NAME'::"MatchedBy", a."publishedAt" FROM (SELECT id, "publishedAt", row_number() OVER (ORDER BY id) AS n FROM "Article") a WHERE n % 10 = 0`,
      [TEAMS],
    );
    // One article in five is told again by a second source five minutes later: one story, listed
    // once as its first telling with the other in alsoFrom.
    const daily = await client.query<{ id: string }>(
      `INSERT INTO "Source" (id, url, name, status, "updatedAt") VALUES (gen_random_uuid(), 'https://daily.example.com/feed.xml', 'Bench Daily', 'PAUSED', now()) RETURNING id`,
    );
    const dailyId = daily.rows[0]?.id;
    await client.query(`UPDATE "Article" SET "storyId" = id WHERE substring(url from '[0-9]+$')::int % 5 = 0`);
    await client.query(
      `INSERT INTO "Article" (id, "sourceId", title, url, "canonicalUrl", fingerprint, "storyId", author, summary, "contentHtml", "publishedAt", "fetchedAt", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, 'Retold: ' || a.title, replace(a.url, 'bench.example.com', 'daily.example.com'),
              replace(a.url, 'bench.example.com', 'daily.example.com'), md5('daily' || a.id::text), a.id, a.author, a.summary, a."contentHtml",
              a."publishedAt" + interval '5 minutes', now(), now()
       FROM "Article" a WHERE a."storyId" = a.id`,
      [dailyId],
    );
    await client.query(
      `INSERT INTO "ArticleSource" ("sourceId", "itemKey", "articleId", "contentHash", "firstSeenAt", "lastSeenAt")
       SELECT $1::uuid, a.url, a.id, a.fingerprint, now(), now() FROM "Article" a WHERE a."sourceId" = $1::uuid`,
      [dailyId],
    );
    await client.query(
      `INSERT INTO "ArticleTeam" ("articleId", "teamId", "matchedBy", "publishedAt")
       SELECT r.id, t."teamId", t."matchedBy", r."publishedAt" FROM "Article" r JOIN "ArticleTeam" t ON t."articleId" = r."storyId"
       WHERE r."sourceId" = $1::uuid`,
      [dailyId],
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

type Combined = Omit<LoadReport, 'samples'> & { serverCpuMsPerRequest: number };

/** One variant's slices as one run: totals, and percentiles over every response of every slice. */
function combine(slices: { report: LoadReport; cpuMicros: number }[]): Combined {
  const samples = slices.flatMap((slice) => slice.report.samples);
  const sum = (pick: (report: LoadReport) => number) => slices.reduce((total, slice) => total + pick(slice.report), 0);
  const requests = sum((report) => report.requests);
  const cpuMicros = slices.reduce((total, slice) => total + slice.cpuMicros, 0);
  return {
    requests,
    requestsPerSecond: round(requests / SECONDS, 0),
    latencyMs: percentiles(samples),
    meanMs: round(samples.reduce((total, value) => total + value, 0) / Math.max(1, samples.length)),
    non2xx: sum((report) => report.non2xx),
    errors: sum((report) => report.errors),
    timeouts: sum((report) => report.timeouts),
    serverCpuMsPerRequest: round(cpuMicros / 1000 / Math.max(1, requests), 3),
  };
}

/** Requests a variant 20 times and checks its answer before it is measured; returns the last page. */
async function warmUp(name: string, url: string, token: string): Promise<unknown> {
  let page: unknown;
  for (let index = 0; index < 20; index++) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { items?: unknown[]; result?: { data?: { items?: unknown[] } } };
    page = body.items === undefined ? body.result?.data : body;
    const items = body.items ?? body.result?.data?.items;
    if (response.status !== 200 || items?.length !== 20)
      throw new Error(`${name} answered ${String(response.status)}: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return page;
}

async function main(): Promise<void> {
  const { createLogger, loadConfig, mintDevToken, startPressbox } = await import('@pressbox/server');
  const { createScratchPostgres } = await import('@pressbox/test/support/databases.ts');
  const { record } = await import('./lib/report.ts');
  const { startFloor } = await import('./floor/server.ts');
  const scratch = await createScratchPostgres('pressbox_bench_news');
  const dataDir = await mkdtemp(join(tmpdir(), 'pressbox-bench-news-'));
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: scratch.url,
      PRESSBOX_DATA_DIR: dataDir,
      PRESSBOX_SEED: 'none',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
      RATE_LIMIT_USER_PER_MIN: '0',
      RATE_LIMIT_IP_PER_MIN: '0',
    });
    const running = await startPressbox(config, createLogger(config.logLevel), 'all');
    try {
      const seedStarted = performance.now();
      await seedArticles(scratch.url);
      const seedMs = performance.now() - seedStarted;
      const key = running.services.devKey;
      if (!key) throw new Error('dev auth mode has no signing key');
      const token = mintDevToken(key, { userId: 'user_bench_news', issuer: config.auth.issuer, ttlSeconds: 3_600 });
      const base = running.url ?? '';
      const trpcUrl = (input: Record<string, unknown>) => `${base}/trpc/teams.news?input=${encodeURIComponent(JSON.stringify(input))}`;
      const variants: Record<'floor' | 'rest' | 'trpc' | 'restSearch' | 'trpcSearch', string> = {
        floor: '',
        rest: `${base}/api/v1/teams/${TEAM}/news?limit=20`,
        trpc: trpcUrl({ teamId: TEAM, limit: 20 }),
        restSearch: `${base}/api/v1/teams/${TEAM}/news?limit=20&q=trade`,
        trpcSearch: trpcUrl({ teamId: TEAM, limit: 20, q: 'trade' }),
      };
      const perTeam = await running.services.prisma.articleTeam.count({ where: { teamId: TEAM } });

      const floor = await startFloor({ databaseUrl: scratch.url, jwks: key.publicJwks, issuer: config.auth.issuer });
      variants.floor = `${floor.url}/api/v1/teams/${TEAM}/news?limit=20`;
      const names = ['floor', 'rest', 'trpc', 'restSearch', 'trpcSearch'] as const;
      const slices: Record<string, { report: LoadReport; cpuMicros: number }[]> = {};
      try {
        const pages: Partial<Record<(typeof names)[number], unknown>> = {};
        for (const name of names) pages[name] = await warmUp(name, variants[name], token);
        // The floor is a yardstick only while it answers what Pressbox answers.
        if (!isDeepStrictEqual(pages.floor, pages.rest) || !isDeepStrictEqual(pages.rest, pages.trpc))
          throw new Error('the floor, REST and tRPC do not answer the same page');
        const measured = only ? names.filter((name) => only.includes(name)) : names;
        for (let round = 0; round < ROUNDS; round++) {
          for (let turn = 0; turn < measured.length; turn++) {
            const name = measured[(round + turn) % measured.length] ?? 'floor';
            // Both servers run in this process; the load generator in its own.
            const cpuBefore = process.cpuUsage();
            const report = await loadFromChild(variants[name], token, SECONDS / ROUNDS);
            const cpu = process.cpuUsage(cpuBefore);
            (slices[name] ??= []).push({ report, cpuMicros: cpu.user + cpu.system });
          }
        }
      } finally {
        await floor.close();
      }
      const results = Object.fromEntries(names.map((name) => [name, combine(slices[name] ?? [])])) as Record<
        (typeof names)[number],
        Combined
      >;
      for (const name of names) process.stdout.write(`${name}: ${JSON.stringify(results[name])}\n`);
      if (only) {
        process.stdout.write('BENCH_NEWS_ONLY is set: nothing recorded\n');
        return;
      }
      const clean = Object.values(results).every((result) => result.non2xx === 0 && result.errors === 0 && result.timeouts === 0);
      const { floor: atFloor, rest, trpc } = results;
      const ratios = {
        restOverFloorRequestsPerSecond: round(rest.requestsPerSecond / atFloor.requestsPerSecond, 2),
        trpcOverRestRequestsPerSecond: round(trpc.requestsPerSecond / rest.requestsPerSecond, 2),
        restOverFloorCpuPerRequest: round(rest.serverCpuMsPerRequest / atFloor.serverCpuMsPerRequest, 2),
        trpcOverFloorCpuPerRequest: round(trpc.serverCpuMsPerRequest / atFloor.serverCpuMsPerRequest, 2),
      };
      await record({
        name: 'news',
        title: 'Team news listing against the floor (bare node:http + pg), REST and tRPC in one run',
        method:
          `The API (role all, in-process job runner, dev auth, rate limits off) and the floor (\`bench/floor/server.ts\`: node:http + pg, ` +
          "the same SQL statement, page and item encoding, session verifier and caches, no framework; its first page must equal REST's and tRPC's) " +
          'in this process, on a scratch Postgres 15 database holding ' +
          `${String(ARTICLES)} articles, one in five told again by a second source 5 minutes later as one story (${String(perTeam)} tags to ${TEAM}; about 1 KiB of HTML each), loaded ` +
          `with autocannon from a child process: ${String(CONNECTIONS)} connections for ${String(SECONDS)} s per variant in ${String(ROUNDS)} slices, ` +
          'the variants taking turns slice by slice (each round starting one variant later), after 20 warm-up requests. ' +
          'Latency percentiles are over every response; server CPU per request is `process.cpuUsage` of this process (both servers, GC ' +
          'included) over the variant divided by its requests. Variants: the floor, REST `/api/v1/teams/{id}/news?limit=20`, tRPC ' +
          '`/trpc/teams.news?input=…`, and both with `q=trade` (full-text, matching one article in eight). Ratios are within this one run.' +
          (quick ? ' SMOKE RUN (BENCH_QUICK=1): reduced sizes.' : ''),
        metrics: {
          articles: ARTICLES,
          teamArticles: perTeam,
          connections: CONNECTIONS,
          seconds: SECONDS,
          seedSeconds: round(seedMs / 1000, 1),
          loadAverage: loadavg().map((value) => round(value, 1)),
          ...results,
          ratios,
        },
        targets: [
          { description: 'every response 200, no errors or timeouts', met: clean },
          {
            description: `REST ≥ 0.8× the floor's req/s (${String(ratios.restOverFloorRequestsPerSecond)}×)`,
            met: ratios.restOverFloorRequestsPerSecond >= 0.8,
          },
          {
            description: `REST ≤ 0.5 ms server CPU per request (${String(rest.serverCpuMsPerRequest)} ms)`,
            met: rest.serverCpuMsPerRequest <= 0.5,
          },
          {
            description: `REST p99 < 40 ms at ${String(CONNECTIONS)} connections (${String(rest.latencyMs['p99'] ?? NaN)} ms)`,
            met: (rest.latencyMs['p99'] ?? Infinity) < 40,
          },
          {
            description: `tRPC ≥ 0.9× REST req/s (${String(ratios.trpcOverRestRequestsPerSecond)}×)`,
            met: ratios.trpcOverRestRequestsPerSecond >= 0.9,
          },
        ],
      });
    } finally {
      await running.stop(1_000);
    }
  } finally {
    await scratch.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--load') await generateLoad(loadRequest.parse(JSON.parse(process.argv[3] ?? '{}')));
else await main();
