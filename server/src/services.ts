import { openDatabase, upsertReferenceTeams, seedDemoData, type Database, type PrismaClient } from '@pressbox/db';
import {
  createFeedFetcher,
  createJobQueue,
  createMemoryEventBus,
  createRedis,
  createRedisEventBus,
  createSummarizer,
  startWorkers,
  waitForRedis,
  type EventBus,
  type FeedFetcher,
  type JobQueue,
  type Redis,
  type SummarizerService,
} from '@pressbox/jobs';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { loadOrCreateDevKey, type DevSigningKey } from './auth/dev-keys.ts';
import { pemKeySource, remoteJwksKeySource, staticKeySource } from './auth/keys.ts';
import { createSessionVerifier, type SessionVerifier } from './auth/verifier.ts';
import { systemClock, type Clock } from './infra/clock.ts';
import { createSummaryMemo, type SummaryMemo } from './domain/summary-memo.ts';
import { loadTeamDirectory, type TeamDirectory } from './domain/teams.ts';
import { createUserDirectory, type UserDirectory } from './domain/users.ts';
import type { Cache } from './infra/cache/interface.ts';
import { createMemoryCache } from './infra/cache/memory.ts';
import { createRedisCache } from './infra/cache/redis.ts';
import { createMetrics, type Metrics } from './infra/metrics.ts';
import type { RateLimiter } from './infra/rate-limit/interface.ts';
import { createMemoryRateLimiter } from './infra/rate-limit/memory.ts';
import { createRedisRateLimiter } from './infra/rate-limit/redis.ts';
import type { PGlite } from '@electric-sql/pglite';

/** Everything outside the process that Pressbox talks to, chosen once at start-up. */
export interface Services {
  config: Config;
  log: Logger;
  db: Database;
  prisma: PrismaClient;
  redis: Redis | undefined;
  rateLimiter: RateLimiter;
  verifySession: SessionVerifier;
  /** The time session tokens and WebSocket sessions are judged by. */
  clock: Clock;
  /** The local signing key in dev auth mode (its JWKS is served); undefined with Clerk. */
  devKey: DevSigningKey | undefined;
  users: UserDirectory;
  teams: TeamDirectory;
  queue: JobQueue;
  events: EventBus;
  summaries: SummarizerService;
  /** Fresh summaries kept in memory until an event for their team says otherwise. */
  summaryMemo: SummaryMemo;
  fetcher: FeedFetcher;
  metrics: Metrics;
  cache: Cache;
  /** Whether this process runs the workers (roles `all` and `worker`). */
  runsWorkers: boolean;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  /** Adopt an already open PGlite (tests load one migrated snapshot per file). */
  pglite?: PGlite;
  /** Run the workers in this process (default true). */
  runWorkers?: boolean;
  /** Time for session tokens and WebSocket sessions (default: the wall clock). */
  clock?: Clock;
}

/**
 * Opens the database (migrating and seeding it), Redis when configured, and builds the auth
 * verifier and rate limiter for the chosen mode. Closes what it opened if a later step fails.
 */
export async function createServices(config: Config, log: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const opened: (() => Promise<void>)[] = [];
  try {
    const started = performance.now();
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      pglite: overrides.pglite,
      migrate: config.migrate,
    });
    opened.push(() => db.close());
    log.info({ database: db.kind, applied: db.migrations.applied, ms: Math.round(performance.now() - started) }, 'database ready');
    const upserted = await upsertReferenceTeams(db.prisma);
    if (upserted.inserted + upserted.updated > 0) log.info(upserted, 'reference teams upserted');
    if (config.seed === 'demo') {
      const seeded = await seedDemoData(db.prisma);
      if (seeded) log.info(seeded, 'demo data seeded');
    }

    let redis: Redis | undefined;
    if (config.redisUrl) {
      const connection = createRedis(config.redisUrl, { name: 'api' });
      redis = connection;
      opened.push(async () => {
        await connection.quit().catch(() => {
          connection.disconnect();
        });
      });
      await waitForRedis(connection);
    }
    const rateLimiter = redis ? createRedisRateLimiter(redis, config.redisPrefix) : createMemoryRateLimiter();
    const cache = redis ? createRedisCache(redis, config.redisPrefix) : createMemoryCache();
    opened.push(() => rateLimiter.close());

    const clock = overrides.clock ?? systemClock;
    let devKey: DevSigningKey | undefined;
    let verifySession: SessionVerifier;
    if (config.auth.mode === 'dev') {
      devKey = await loadOrCreateDevKey(config.dataDir);
      verifySession = createSessionVerifier({
        keys: staticKeySource(devKey.publicJwks),
        issuer: config.auth.issuer,
        authorizedParties: [],
        clock,
      });
    } else {
      const auth = config.auth;
      verifySession = createSessionVerifier({
        keys: auth.jwtKey
          ? pemKeySource(auth.jwtKey)
          : remoteJwksKeySource({
              url: `${auth.apiUrl}/v1/jwks`,
              secretKey: auth.secretKey,
              clock,
              onFetch: (outcome) => {
                log.info({ outcome }, 'clerk jwks fetched');
              },
            }),
        issuer: auth.issuer,
        authorizedParties: auth.authorizedParties,
        clock,
      });
    }

    const users = createUserDirectory(db.prisma, config.adminUserIds);
    const teams = await loadTeamDirectory(db.prisma);

    const queue = createJobQueue(
      config.redisUrl
        ? {
            kind: 'bullmq',
            redisUrl: config.redisUrl,
            prefix: config.redisPrefix,
            logger: {
              error: (details, message) => {
                log.error(details, message);
              },
            },
          }
        : { kind: 'memory' },
    );
    opened.push(() => queue.close());
    const report = (problem: { kind: string; channel?: string; error?: unknown }) => {
      log.warn(
        {
          kind: problem.kind,
          channel: problem.channel,
          err: problem.error instanceof Error ? { message: problem.error.message } : undefined,
        },
        'event bus problem',
      );
    };
    const events = config.redisUrl
      ? createRedisEventBus({ prisma: db.prisma, url: config.redisUrl, prefix: config.redisPrefix, name: 'events', report })
      : createMemoryEventBus({ prisma: db.prisma, report });
    opened.push(() => events.close());
    const summaries = createSummarizer(config.llm);
    const fetcher = createFeedFetcher({ allowPrivateNetworks: config.feedAllowPrivateNetworks });
    const runsWorkers = overrides.runWorkers ?? true;
    if (runsWorkers) {
      await startWorkers({
        prisma: db.prisma,
        queue,
        events,
        summarizer: summaries.summarizer,
        fetcher,
        summaryDebounceMs: config.summaryDebounceMs,
      });
    }

    const metrics = createMetrics();
    metrics.gauge('pressbox_jobs', 'Jobs by name and state (job names this process has used)', ['name', 'state'], async (set) => {
      for (const [name, counts] of Object.entries(await queue.counts())) {
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) set({ name, state }, counts[state]);
      }
    });
    metrics.gauge(
      'pressbox_summarizer_breaker',
      'Circuit breaker of the summary provider: 1 for its current state',
      ['provider', 'state'],
      (set) => {
        const health = summaries.health();
        for (const state of ['closed', 'open', 'half-open']) set({ provider: health.provider, state }, health.breaker === state ? 1 : 0);
      },
    );
    metrics.gauge('pressbox_summarizer_calls', 'Summary provider counters since start', ['stat'], (set) => {
      for (const [stat, value] of Object.entries(summaries.health().stats)) if (typeof value === 'number') set({ stat }, value);
    });
    metrics.gauge('pressbox_events', 'Event bus counters since start, and current channels and listeners', ['stat'], (set) => {
      const stats: Record<string, number> = { ...events.stats() };
      for (const [stat, value] of Object.entries(stats)) set({ stat }, value);
    });

    return {
      config,
      log,
      metrics,
      cache,
      db,
      prisma: db.prisma,
      redis,
      rateLimiter,
      verifySession,
      clock,
      devKey,
      users,
      teams,
      queue,
      events,
      summaries,
      summaryMemo: createSummaryMemo(events),
      fetcher,
      runsWorkers,
      close: async () => {
        for (const close of opened.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
