import { createRedisEventBus, type NewsItem } from '@pressbox/jobs';
import { openDatabase } from '@pressbox/db';
import { startCluster, type ApiProcess, type Cluster } from '@pressbox/test/live/cluster.ts';
import { redisUrl } from '@pressbox/test/support/environment.ts';
import WebSocket from 'ws';
import { record } from './lib/report.ts';
import { round } from './lib/stats.ts';

/**
 * Soak: one API process (`server/src/main.ts --role=api`, a scratch Postgres, the local Redis under
 * a private prefix) under mixed REST requests from 4 callers, 50 WebSocket subscribers of one team
 * and one `news.created` event a second, for BENCH_SOAK_SECONDS (600 by default; BENCH_QUICK=1: 60).
 * Every 10 s it samples the API's resident memory (/proc) and event-loop delay (p99 from /metrics).
 * Then abuse: 300 oversized tRPC batches and one socket with 500 subscriptions, closed; memory is
 * sampled again 30 s later. Targets: RSS growth from minute 2 to the end under 10 % (in a quick run,
 * from the first sixth), and RSS after the abuse back within 10 % of before it.
 */

const quick = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? (quick ? 60 : 600));
const SAMPLE_EVERY_MS = quick ? 5_000 : 10_000;
const SUBSCRIBERS = 50;
const CALLERS = 4;
const TEAM = 'nba-bos';
const mib = (bytes: number) => round(bytes / 2 ** 20, 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  atSeconds: number;
  rssMiB: number;
  eventLoopDelayP99Ms: number | undefined;
}

function benchItem(sequence: number): NewsItem {
  const at = new Date().toISOString();
  return {
    id: `soak_${String(sequence)}`,
    title: `soak ${String(sequence)} Celtics rally late to beat the Knicks`,
    url: `https://news.example.com/soak/${String(sequence)}`,
    author: 'Soak Desk',
    summary: 'Jayson Tatum scored 14 of his 38 points in the fourth quarter as Boston came back.',
    contentHtml: null,
    publishedAt: at,
    updatedAt: at,
    source: { id: 'src_soak', name: 'Soak Wire' },
    teams: [{ id: TEAM, matchedBy: 'SOURCE' }],
    alsoFrom: [],
  };
}

/** A bare socket speaking tRPC that subscribes `count` times to the team's news and counts deliveries. */
function subscriber(api: ApiProcess, token: string, count: number): { received: () => number; opened: Promise<void>; close: () => void } {
  const socket = new WebSocket(`${api.url.replace(/^http/, 'ws')}/trpc?connectionParams=1`);
  let received = 0;
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
      for (let id = 1; id <= count; id++) {
        socket.send(
          JSON.stringify({ id, jsonrpc: '2.0', method: 'subscription', params: { path: 'teams.onNews', input: { teamId: TEAM } } }),
        );
      }
      resolve();
    });
    socket.once('error', reject);
  });
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    if (text === 'PING') socket.send('PONG');
    else if (text.includes('"news.created"')) received++;
  });
  return {
    received: () => received,
    opened,
    close: () => {
      socket.close();
    },
  };
}

async function eventLoopP99Ms(api: ApiProcess): Promise<number | undefined> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith('pressbox_nodejs_eventloop_lag_p99_seconds'));
  return line === undefined ? undefined : round(Number(line.split(' ').at(-1)) * 1000, 1);
}

/** Callers that keep requesting a mix of reads until `stop` says so; counts answers by status. */
async function mixedLoad(cluster: Cluster, api: ApiProcess, stop: () => boolean, statuses: Map<number, number>): Promise<void> {
  const paths = [
    '/api/v1/me',
    `/api/v1/teams/${TEAM}`,
    '/api/v1/teams?league=NBA&limit=20',
    `/api/v1/teams/${TEAM}/news?limit=20`,
    '/api/v1/me/feed',
    `/api/v1/teams/${TEAM}/dashboard`,
  ];
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let index = caller; !stop(); index++) {
        const response = await cluster.fetch(api, paths[index % paths.length] ?? '/api/v1/me', { as: `soak_user_${String(caller)}` });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
}

/** Oversized tRPC batches (100 calls each) and one socket with 500 subscriptions, then closed. */
async function abuse(cluster: Cluster, api: ApiProcess): Promise<void> {
  const names = Array.from({ length: 100 }, () => 'teams.get').join(',');
  const input = encodeURIComponent(
    JSON.stringify(Object.fromEntries(Array.from({ length: 100 }, (_, index) => [String(index), { teamId: TEAM }]))),
  );
  for (let round = 0; round < 300; round += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const response = await cluster.fetch(api, `/trpc/${names}?batch=1&input=${input}`, { as: 'soak_abuser' });
        await response.arrayBuffer();
      }),
    );
  }
  const many = subscriber(api, cluster.token('soak_abuser'), 500);
  await many.opened;
  await sleep(5_000);
  many.close();
}

const cluster = await startCluster({
  apis: 1,
  worker: false,
  env: { LOG_LEVEL: 'warn', RATE_LIMIT_USER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' },
});
const api = cluster.apis[0];
if (!api) throw new Error('no API process');
const db = await openDatabase({ databaseUrl: cluster.databaseUrl, migrate: false });
const bus = createRedisEventBus({ prisma: db.prisma, url: redisUrl, prefix: cluster.prefix, name: 'soak' });
try {
  const subscribers = Array.from({ length: SUBSCRIBERS }, (_, index) => subscriber(api, cluster.token(`soak_fan_${String(index)}`), 1));
  await Promise.all(subscribers.map((item) => item.opened));
  await sleep(1_000);
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const run = { stopped: false };
  const statuses = new Map<number, number>();
  const load = mixedLoad(cluster, api, () => run.stopped, statuses);
  let published = 0;
  const publishing = (async () => {
    while (!run.stopped) {
      await bus.publish({ type: 'news.created', teamId: TEAM, data: benchItem(published) });
      published++;
      await sleep(1_000);
    }
  })();
  const samples: Sample[] = [];
  while (elapsed() < SECONDS) {
    await sleep(SAMPLE_EVERY_MS);
    samples.push({ atSeconds: Math.round(elapsed()), rssMiB: mib(await api.rssBytes()), eventLoopDelayP99Ms: await eventLoopP99Ms(api) });
    process.stdout.write(`${JSON.stringify(samples.at(-1))}\n`);
  }
  run.stopped = true;
  await Promise.all([load, publishing]);
  await sleep(2_000);
  const delivered = subscribers.map((item) => item.received());
  const beforeAbuseMiB = mib(await api.rssBytes());
  await abuse(cluster, api);
  await sleep(30_000);
  const afterAbuseMiB = mib(await api.rssBytes());
  for (const item of subscribers) item.close();

  const fromSeconds = quick ? Math.round(SECONDS / 6) : 120;
  const baseline = samples.find((sample) => sample.atSeconds >= fromSeconds) ?? samples[0];
  const last = samples.at(-1);
  const growth = baseline && last ? round(((last.rssMiB - baseline.rssMiB) / baseline.rssMiB) * 100, 1) : Number.NaN;
  const abuseChange = round(((afterAbuseMiB - beforeAbuseMiB) / beforeAbuseMiB) * 100, 1);
  const lost = delivered.reduce((sum, count) => sum + (published - count), 0);
  await record({
    name: quick ? 'soak-quick' : 'soak',
    title: `Soak: ${String(SECONDS)} s of mixed requests, ${String(SUBSCRIBERS)} subscribers, an event a second`,
    method:
      'One API process on Postgres and Redis (server/src/main.ts --role=api); 4 callers loop over GET /me, /teams/{id}, /teams, /teams/{id}/news, /me/feed and /teams/{id}/dashboard; 50 WebSocket subscribers of teams.onNews; one news.created a second through the Redis event bus. RSS from /proc and event-loop delay p99 from /metrics every sample; then 300 tRPC batches of 100 calls and one socket with 500 subscriptions, closed, and RSS 30 s later.',
    metrics: {
      seconds: SECONDS,
      requests: Object.fromEntries(statuses),
      eventsPublished: published,
      deliveriesLost: lost,
      rssGrowthPercent: growth,
      rssFromMiB: baseline?.rssMiB,
      rssToMiB: last?.rssMiB,
      maxEventLoopDelayP99Ms: Math.max(...samples.map((sample) => sample.eventLoopDelayP99Ms ?? 0)),
      rssBeforeAbuseMiB: beforeAbuseMiB,
      rssAfterAbuseMiB: afterAbuseMiB,
      rssAfterAbusePercent: abuseChange,
      samples,
    },
    targets: [
      { description: `RSS growth from ${String(fromSeconds)} s to the end under 10 %`, met: growth < 10 },
      { description: 'RSS 30 s after the abusive batches and 500 subscriptions closed within 10 % of before', met: abuseChange < 10 },
      { description: 'no event lost by any subscriber', met: lost === 0 },
    ],
  });
} finally {
  await bus.close();
  await db.close();
  await cluster.close();
}
