import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { openDatabase, storeWithEvents } from '@pressbox/db';
import { createRedis, createRedisEventBus, teamChannel, toEventInsert, type NewsItem } from '@pressbox/jobs';
import { startCluster, type Cluster } from '@pressbox/test/live/cluster.ts';
import { redisUrl } from '@pressbox/test/support/environment.ts';
import WebSocket from 'ws';
import { z } from 'zod';
import { percentiles, round } from './lib/stats.ts';
import { record } from './lib/report.ts';

/**
 * Live-update fan-out: WebSocket subscribers of one team split across two API processes
 * (`server/src/main.ts --role=api`, a scratch Postgres, the local Redis under a private prefix);
 * the main thread publishes `news.created` events through the jobs event bus on the same prefix at
 * a fixed rate, as a worker process would. The clients are bare `ws` sockets speaking the tRPC
 * protocol, in two worker threads so that receiving does not hold up publishing; like the tRPC
 * client, one that the server disconnects comes back with `lastEventId`. Measures delivery
 * latency (publish call to receipt), deliveries lost and duplicated, disconnections, and the
 * resident memory of both API processes. BENCH_QUICK=1 is a smoke run (fewer clients, a lower
 * rate, a shorter run).
 */

const quick = process.env.BENCH_QUICK === '1';
const CLIENTS = quick ? 100 : 1_000;
/** `BENCH_FANOUT_RATE=10` measures a lighter load too (recorded as `fanout-10`), to show where this machine keeps up. */
const rateOverride = process.env.BENCH_FANOUT_RATE === undefined ? undefined : Number(process.env.BENCH_FANOUT_RATE);
const EVENTS_PER_SECOND = rateOverride ?? (quick ? 50 : 200);
const SECONDS = quick ? 5 : 30;
const TEAM = 'nba-bos';
const USERS = 20;
const CLIENT_THREADS = 2;
const CONNECT_CONCURRENCY = 25;
const DRAIN_TIMEOUT_MS = 30_000;
/** Publishes in flight at once; inserts queue on the event store's lock anyway. */
const PUBLISHERS = 3;
const RECONNECT_DELAY_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Milliseconds on a clock every thread shares. */
const now = () => performance.timeOrigin + performance.now();
const mib = (bytes: number) => round(bytes / 2 ** 20, 1);

const planSchema = z.object({
  urls: z.array(z.string()),
  tokens: z.array(z.string()),
  clients: z.number().int(),
  firstClient: z.number().int(),
  totalEvents: z.number().int(),
});
type Plan = z.infer<typeof planSchema>;

const fromWorkerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({
    kind: z.literal('result'),
    receivedAt: z.instanceof(Float64Array),
    received: z.number().int(),
    duplicates: z.number().int(),
    reconnections: z.number().int(),
    errors: z.number().int(),
  }),
]);
type FromWorker = z.infer<typeof fromWorkerSchema>;
const drainSchema = z.object({ kind: z.literal('drain'), deadline: z.number() });

/** A news item as ingestion publishes it (no body HTML), its sequence number in the title. */
function benchItem(sequence: number): NewsItem {
  const at = new Date().toISOString();
  return {
    id: `bench_${String(sequence)}`,
    title: `bench ${String(sequence)} Celtics rally late to beat the Knicks`,
    url: `https://news.example.com/bench/${String(sequence)}`,
    author: 'Bench Desk',
    summary: 'Jayson Tatum scored 14 of his 38 points in the fourth quarter as Boston came back from a 12-point deficit. '.repeat(2),
    contentHtml: null,
    publishedAt: at,
    updatedAt: at,
    source: { id: 'src_bench', name: 'Bench Wire' },
    teams: [{ id: TEAM, matchedBy: 'SOURCE' }],
    alsoFrom: [],
  };
}

const sequencePattern = /"title":"bench (\d+) /;
/** The tracked event id closes every data message: `…,"id":"<eventId>"}}`. */
const eventIdPattern = /"id":"(\d+)"\}\}$/;

/** One subscriber in a client thread; it resumes with `lastEventId` when the server drops it. */
class BenchClient {
  received = 0;
  duplicates = 0;
  reconnections = 0;
  /** Subscription errors after `started` (each ends that subscription for a tRPC client). */
  errors = 0;
  private socket: WebSocket | undefined;
  private lastEventId: string | undefined;
  private stopping = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    /** Receipt time per sequence number (0 = not yet), a slice of the thread's shared array. */
    private readonly receivedAt: Float64Array,
  ) {}

  /** Connects and subscribes; resolves at the server's `started`. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${this.url.replace(/^http/, 'ws')}/trpc?connectionParams=1`);
      this.socket = socket;
      let started = false;
      socket.on('open', () => {
        socket.send(JSON.stringify({ method: 'connectionParams', data: { token: this.token } }));
        const params = { path: 'teams.onNews', input: { teamId: TEAM }, ...(this.lastEventId ? { lastEventId: this.lastEventId } : {}) };
        socket.send(JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'subscription', params }));
      });
      socket.on('message', (data: Buffer) => {
        const text = data.toString('utf8');
        // The server's keep-alive closes a socket that stays silent after its PING.
        if (text === 'PING') {
          socket.send('PONG');
          return;
        }
        const sequence = sequencePattern.exec(text)?.[1];
        if (sequence !== undefined) {
          this.record(Number(sequence), eventIdPattern.exec(text)?.[1]);
          return;
        }
        if (!started && text.includes('"type":"started"')) {
          started = true;
          resolve();
        } else if (text.includes('"error"')) {
          if (started) this.errors += 1;
          else reject(new Error(`subscription refused: ${text}`));
        }
      });
      socket.once('error', (error) => {
        if (!started) reject(error);
      });
      socket.once('close', () => {
        if (this.stopping || !started) return;
        this.reconnections += 1;
        setTimeout(() => {
          this.connect().catch(() => undefined);
        }, RECONNECT_DELAY_MS);
      });
    });
  }

  close(): void {
    this.stopping = true;
    this.socket?.terminate();
  }

  private record(sequence: number, eventId: string | undefined): void {
    if (eventId !== undefined) this.lastEventId = eventId;
    if (sequence >= this.receivedAt.length) return;
    if (this.receivedAt[sequence] !== 0) {
      this.duplicates += 1;
      return;
    }
    this.receivedAt[sequence] = now();
    this.received += 1;
  }
}

/** A client thread: connects its share of the clients, then reports what they received. */
async function runClientThread(plan: Plan): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('not a worker thread');
  const receivedAt = new Float64Array(plan.clients * plan.totalEvents);
  const clients = Array.from({ length: plan.clients }, (_, index) => {
    const number = plan.firstClient + index;
    return new BenchClient(
      plan.urls[number % plan.urls.length] ?? '',
      plan.tokens[number % plan.tokens.length] ?? '',
      receivedAt.subarray(index * plan.totalEvents, (index + 1) * plan.totalEvents),
    );
  });
  for (let offset = 0; offset < clients.length; offset += CONNECT_CONCURRENCY) {
    await Promise.all(clients.slice(offset, offset + CONNECT_CONCURRENCY).map((client) => client.connect()));
  }
  port.postMessage({ kind: 'ready' } satisfies FromWorker);
  const drain = drainSchema.parse(await new Promise((resolve) => port.once('message', resolve)));
  const expected = plan.clients * plan.totalEvents;
  const received = () => clients.reduce((sum, client) => sum + client.received, 0);
  while (received() < expected && now() < drain.deadline) await sleep(100);
  for (const client of clients) client.close();
  const result: FromWorker = {
    kind: 'result',
    receivedAt,
    received: received(),
    duplicates: clients.reduce((sum, client) => sum + client.duplicates, 0),
    reconnections: clients.reduce((sum, client) => sum + client.reconnections, 0),
    errors: clients.reduce((sum, client) => sum + client.errors, 0),
  };
  port.postMessage(result, [receivedAt.buffer]);
}

/** Starts a client thread and resolves once all its clients are subscribed. */
async function startClientThread(
  plan: Plan,
): Promise<{ finish(deadline: number): Promise<Extract<FromWorker, { kind: 'result' }>>; stop(): Promise<void> }> {
  // A worker thread does not inherit the TypeScript loader of `--import tsx`: it registers it first.
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: plan });
  const messages: FromWorker[] = [];
  const waiters: (() => void)[] = [];
  worker.on('message', (message: unknown) => {
    messages.push(fromWorkerSchema.parse(message));
    for (const wake of waiters.splice(0)) wake();
  });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
  });
  const next = async <K extends FromWorker['kind']>(kind: K): Promise<Extract<FromWorker, { kind: K }>> => {
    for (;;) {
      const found = messages.find((message): message is Extract<FromWorker, { kind: K }> => message.kind === kind);
      if (found) return found;
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), failed]);
    }
  };
  await next('ready');
  return {
    finish: async (deadline) => {
      worker.postMessage({ kind: 'drain', deadline });
      return next('result');
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** CPU seconds (user, system) a process has used so far, from /proc/<pid>/stat (100 ticks a second). */
async function cpuSeconds(pid: number): Promise<{ user: number; system: number }> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

async function apiCpuSplit(cluster: Cluster): Promise<{ user: number; system: number }[]> {
  return Promise.all(cluster.apis.map((api) => cpuSeconds(api.spawned.child.pid ?? 0)));
}

async function apiCpu(cluster: Cluster): Promise<number[]> {
  return (await apiCpuSplit(cluster)).map((cpu) => cpu.user + cpu.system);
}

async function apiMemory(cluster: Cluster): Promise<number[]> {
  return Promise.all(cluster.apis.map(async (api) => mib(await api.rssBytes())));
}

async function main(): Promise<void> {
  const totalEvents = EVENTS_PER_SECOND * SECONDS;
  process.stdout.write(`fan-out: ${String(CLIENTS)} clients, ${String(EVENTS_PER_SECOND)} events/s for ${String(SECONDS)} s\n`);
  // BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the API processes.
  const profiling = process.env.BENCH_API_NODE_ARGS;
  const cluster = await startCluster({
    apis: 2,
    worker: false,
    env: { RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0' },
    apiNodeArgs: profiling ? profiling.split(' ').filter(Boolean) : [],
  });
  const database = await openDatabase({ databaseUrl: cluster.databaseUrl, migrate: false, poolMax: PUBLISHERS + 1 });
  const bus = createRedisEventBus({ prisma: database.prisma, url: redisUrl, prefix: cluster.prefix, name: `${cluster.prefix}-bench` });
  const redis = createRedis(redisUrl, { name: 'bench-fanout' });
  const threads: Awaited<ReturnType<typeof startClientThread>>[] = [];
  try {
    // Let both processes settle after start-up before the baseline.
    await sleep(2_000);
    const memoryIdleMiB = await apiMemory(cluster);

    const tokens = Array.from({ length: USERS }, (_, index) => cluster.token(`bench_fan_${String(index)}`));
    const connectStarted = performance.now();
    const perThread = Math.ceil(CLIENTS / CLIENT_THREADS);
    threads.push(
      ...(await Promise.all(
        Array.from({ length: CLIENT_THREADS }, (_, index) =>
          startClientThread({
            urls: cluster.apis.map((api) => api.url),
            tokens,
            clients: Math.min(perThread, CLIENTS - index * perThread),
            firstClient: index * perThread,
            totalEvents,
          }),
        ),
      )),
    );
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const channel = teamChannel(cluster.prefix, TEAM);
    for (let tries = 0; ; tries++) {
      const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      if (count === cluster.apis.length) break;
      if (tries > 100) throw new Error(`only ${String(count)} API processes subscribed ${channel}`);
      await sleep(100);
    }
    await sleep(1_000);
    const memorySubscribedMiB = await apiMemory(cluster);

    const cpuBefore = { apis: await apiCpu(cluster), split: await apiCpuSplit(cluster), bench: process.cpuUsage() };
    // A fixed schedule, stored as the workers store events: every event due by now in one
    // transaction, then published at once (`publishCommitted`). Latency counts from each event's
    // scheduled moment, which is never later than the start of the call that stores it.
    const sentAt = new Float64Array(totalEvents);
    const publishMs: number[] = [];
    const intervalMs = 1000 / EVENTS_PER_SECOND;
    const runStarted = performance.now();
    const scheduledAt = (sequence: number) => performance.timeOrigin + runStarted + sequence * intervalMs;
    const inFlight = new Set<Promise<void>>();
    let batches = 0;
    for (let sequence = 0; sequence < totalEvents;) {
      const wait = runStarted + sequence * intervalMs - performance.now();
      if (wait > 1) await sleep(wait);
      while (inFlight.size >= PUBLISHERS) await Promise.race(inFlight);
      const started = now();
      const due: number[] = [];
      while (sequence < totalEvents && scheduledAt(sequence) <= started) {
        sentAt[sequence] = scheduledAt(sequence);
        due.push(sequence);
        sequence += 1;
      }
      if (due.length === 0) continue;
      batches += 1;
      const inserts = due.map((index) => toEventInsert({ type: 'news.created', teamId: TEAM, data: benchItem(index) }));
      const publishing: Promise<void> = storeWithEvents(
        database.prisma,
        () => Promise.resolve(undefined),
        () => Promise.resolve(inserts),
      )
        .then(() => bus.publishCommitted())
        .then(() => {
          const took = now() - started;
          for (let index = 0; index < due.length; index++) publishMs.push(took);
          inFlight.delete(publishing);
        });
      inFlight.add(publishing);
    }
    await Promise.all(inFlight);
    const publishSeconds = (performance.now() - runStarted) / 1000;

    const drainStarted = performance.now();
    const results = await Promise.all(threads.map((thread) => thread.finish(now() + DRAIN_TIMEOUT_MS)));
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const apiCpuSeconds = (await apiCpu(cluster)).map((value, index) => round(value - (cpuBefore.apis[index] ?? 0), 1));
    const apiSystemSeconds = (await apiCpuSplit(cluster)).reduce(
      (sum, cpu, index) => sum + cpu.system - (cpuBefore.split[index]?.system ?? 0),
      0,
    );
    const { loadavg } = await import('node:os');
    const loadAverage = loadavg().map((value) => round(value, 1));
    const benchCpu = process.cpuUsage(cpuBefore.bench);
    const memoryAfterRunMiB = await apiMemory(cluster);
    await sleep(2_000);
    const memoryAfterClientsLeftMiB = await apiMemory(cluster);

    const latencies: number[] = [];
    for (const result of results) {
      for (let index = 0; index < result.receivedAt.length; index++) {
        const at = result.receivedAt[index] ?? 0;
        if (at !== 0) latencies.push(at - (sentAt[index % totalEvents] ?? 0));
      }
    }
    const expected = CLIENTS * totalEvents;
    const delivered = results.reduce((sum, result) => sum + result.received, 0);
    const lost = expected - delivered;
    const duplicates = results.reduce((sum, result) => sum + result.duplicates, 0);
    const reconnections = results.reduce((sum, result) => sum + result.reconnections, 0);
    const subscriptionErrors = results.reduce((sum, result) => sum + result.errors, 0);
    const countLogs = (text: string) =>
      cluster.apis.reduce(
        (sum, api) =>
          sum +
          api.spawned
            .stdout()
            .split('\n')
            .filter((line) => line.includes(text)).length,
        0,
      );
    const cutForSlowReading = countLogs('websocket client too slow');
    const shedSubscribers = countLogs('websocket subscriber shed');
    const streamsFellBehind = countLogs('websocket subscription fell behind');

    const latency = percentiles(latencies, [50, 95, 99]);
    const apiCpuUsPerDelivery = round((apiCpuSeconds.reduce((sum, value) => sum + value, 0) * 1e6) / Math.max(1, delivered), 2);
    const p99 = latency.p99 ?? Infinity;
    const rssAfter = Math.max(...memoryAfterRunMiB);
    const rssSubscribed = Math.max(...memorySubscribedMiB);
    const heavy = EVENTS_PER_SECOND > 50;
    const publish = percentiles(publishMs, [50, 95, 99]);
    await record({
      name: rateOverride === undefined ? 'fanout' : `fanout-${String(rateOverride)}`,
      title: `Live updates: WebSocket fan-out of one team across two API processes${rateOverride === undefined ? '' : ` at ${String(rateOverride)} events/s`}`,
      method:
        `${String(CLIENTS)} WebSocket clients (bare \`ws\` sockets speaking the tRPC protocol in ${String(CLIENT_THREADS)} worker threads, ` +
        `${String(USERS)} users, dev tokens in connectionParams) subscribed to \`teams.onNews\` of one team, split evenly across two API ` +
        'processes (`server/src/main.ts --role=api`, rate limits off) on a scratch Postgres 15 database and the local Redis 7 under a private ' +
        `prefix. The main thread publishes ${String(totalEvents)} \`news.created\` events (${String(EVENTS_PER_SECOND)}/s for ${String(SECONDS)} s, ` +
        `news items of ~0.5 KB without body HTML, stored as the workers store them: the events due at each tick in one transaction (\`storeWithEvents\`), then \`publishCommitted\`; at most ${String(PUBLISHERS)} transactions in flight) through \`createRedisEventBus\` on the ` +
        'same prefix, as a worker would (store in the Event table, then PUBLISH). A client the server disconnects reconnects after ' +
        `${String(RECONNECT_DELAY_MS)} ms with its lastEventId, as @trpc/client does. Latency: from each event's scheduled moment (never after the start of the call storing it) to receipt, ` +
        `for every (client, event) delivery, so it includes the database insert and any catch-up after a reconnection. Lost: deliveries ` +
        `still missing ${String(DRAIN_TIMEOUT_MS / 1000)} s after the last publish. Memory: VmRSS of both API processes (MiB) idle, with the ` +
        'clients subscribed, right after the run, and 2 s after the clients left. CPU: seconds each process used from the first publish to ' +
        'the end of the drain, per delivery for the APIs and separately for the clients and publisher (this process and its threads). ' +
        'A subscriber leaving 1 MiB unread is shed and resumes from the event log (`shedSubscribers`). Clients, publisher and both servers share the 2 cores.' +
        (quick ? ' Smoke configuration (BENCH_QUICK=1).' : ''),
      metrics: {
        clients: CLIENTS,
        eventsPublished: totalEvents,
        publishSeconds: round(publishSeconds),
        publishedPerSecond: round(totalEvents / publishSeconds),
        publishTransactions: batches,
        connectSeconds: round(connectSeconds),
        'deliveryLatencyMs.p50': latency.p50,
        'deliveryLatencyMs.p95': latency.p95,
        'deliveryLatencyMs.p99': latency.p99,
        'publishCallMs.p50': publish.p50,
        'publishCallMs.p99': publish.p99,
        deliveriesExpected: expected,
        deliveriesLost: lost,
        duplicates,
        reconnections,
        subscriptionErrors,
        cutForSlowReading,
        shedSubscribers,
        streamsFellBehind,
        drainSeconds: round(drainSeconds),
        deliveredPerSecond: round(delivered / (publishSeconds + drainSeconds)),
        cpuSecondsDuringRun: { apis: apiCpuSeconds, clientsAndPublisher: round((benchCpu.user + benchCpu.system) / 1e6, 1) },
        apiCpuUsPerDelivery,
        apiKernelShareOfCpu: round(
          apiSystemSeconds /
            Math.max(
              0.01,
              apiCpuSeconds.reduce((sum, value) => sum + value, 0),
            ),
          2,
        ),
        loadAverage,
        clientCpuUsPerDelivery: round((benchCpu.user + benchCpu.system) / Math.max(1, delivered), 2),
        rssMiB: {
          idle: memoryIdleMiB,
          subscribed: memorySubscribedMiB,
          afterRun: memoryAfterRunMiB,
          afterClientsLeft: memoryAfterClientsLeftMiB,
        },
      },
      targets: [
        { description: 'no delivery lost (0 missing after the drain)', met: lost === 0 },
        { description: 'no event delivered twice', met: duplicates === 0 },
        {
          description: `published at the requested rate (${String(EVENTS_PER_SECOND)}/s, within 5 %)`,
          met: totalEvents / publishSeconds >= EVENTS_PER_SECOND * 0.95,
        },
        { description: `≤ 10 µs of API CPU per delivery (${String(apiCpuUsPerDelivery)} µs)`, met: apiCpuUsPerDelivery <= 10 },
        heavy
          ? { description: `no collapse: delivery p99 < 2 s (${String(p99)} ms)`, met: p99 < 2_000 }
          : { description: `delivery p99 < 100 ms (${String(p99)} ms)`, met: p99 < 100 },
        heavy
          ? {
              description: `API memory bounded: each process grows < 100 MiB while delivering (${String(round(rssAfter - rssSubscribed, 1))} MiB)`,
              met: rssAfter - rssSubscribed < 100,
            }
          : { description: 'no client disconnected by the server', met: reconnections === 0 },
      ],
    });
  } finally {
    await Promise.all(threads.map((thread) => thread.stop()));
    await bus.close();
    await database.close();
    await redis.quit();
    await cluster.close();
  }
}

if (isMainThread) await main();
else await runClientThread(planSchema.parse(workerData));
