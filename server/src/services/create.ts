import { openDatabase, seedDemoData, systemClock, upsertReferenceTeams, type Database } from '@pressbox/db';
import { createFeedFetcher, createRedis, startWorkers, waitForRedis, type Redis } from '@pressbox/jobs';
import type { Config } from '../config.ts';
import { createSummaryMemo } from '../domain/summary-memo.ts';
import { loadTeamDirectory } from '../domain/team-directory.ts';
import { createUserDirectory } from '../domain/user-directory.ts';
import { createMemoryCache } from '../infra/cache/memory.ts';
import { createRedisCache } from '../infra/cache/redis.ts';
import { createMemoryRateLimiter } from '../infra/rate-limit/memory.ts';
import { createRedisRateLimiter } from '../infra/rate-limit/redis.ts';
import { createOutageReporter, watchConnection, type Dependency, type OutageReporter } from '../infra/outages/index.ts';
import type { Logger } from '../logger.ts';
import { createAuth } from './auth.ts';
import { createEventsFor, createQueueFor, createSummariesFor } from './background.ts';
import type { ServiceOverrides, Services } from './container.ts';
import { createServiceMetrics } from './metrics.ts';

/** Closers of what has been opened so far, run newest first. */
type Opened = (() => Promise<void>)[];

async function closeAll(opened: Opened): Promise<void> {
  for (const close of [...opened].reverse()) await close().catch(() => undefined);
}

/** Opens and migrates the database, upserts the reference teams and seeds the demo data when asked. */
async function openDatabaseFor(config: Config, log: Logger, overrides: ServiceOverrides): Promise<Database> {
  const started = performance.now();
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pglite: overrides.pglite,
    migrate: config.migrate,
  });
  try {
    log.info({ database: db.kind, applied: db.migrations.applied, ms: Math.round(performance.now() - started) }, 'database ready');
    const upserted = await upsertReferenceTeams(db.prisma);
    if (upserted.inserted + upserted.updated > 0) log.info(upserted, 'reference teams upserted');
    if (config.seed === 'demo') {
      const seeded = await seedDemoData(db.prisma);
      if (seeded) log.info(seeded, 'demo data seeded');
    }
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

async function connectRedis(url: string, opened: Opened, outage: OutageReporter): Promise<Redis> {
  const connection = createRedis(url, { name: 'api' });
  watchConnection(connection, outage);
  opened.push(async () => {
    await connection.quit().catch(() => {
      connection.disconnect();
    });
  });
  await waitForRedis(connection);
  return connection;
}

/** One outage log per dependency; the database's probes itself back, Redis' connection reports it. */
function outageReporters(log: Logger, db: Database): Record<Dependency, OutageReporter> {
  return {
    database: createOutageReporter(log, 'database', { probe: () => db.ping() }),
    redis: createOutageReporter(log, 'redis'),
  };
}

/**
 * Opens the database (migrating and seeding it), Redis when configured, the job queue and event
 * bus, and builds the auth verifier, rate limiter and caches for the chosen mode; starts the
 * workers unless told not to. Closes what it opened if a later step fails.
 */
export async function createServices(config: Config, log: Logger, overrides: ServiceOverrides = {}): Promise<Services> {
  const opened: Opened = [];
  try {
    const db = await openDatabaseFor(config, log, overrides);
    opened.push(() => db.close());
    const outages = outageReporters(log, db);
    const redis = config.redisUrl ? await connectRedis(config.redisUrl, opened, outages.redis) : undefined;
    const rateLimiter = redis ? createRedisRateLimiter(redis, config.redisPrefix) : createMemoryRateLimiter();
    opened.push(() => rateLimiter.close());
    const clock = overrides.clock ?? systemClock;
    const { devKey, verifySession } = await createAuth(config, log, clock);
    const teams = await loadTeamDirectory(db.prisma);
    const queue = createQueueFor(config, log, outages.redis);
    opened.push(() => queue.close());
    const events = createEventsFor(config, db.prisma, log, outages.redis, queue);
    opened.push(() => events.close());
    // Closed first: what closing the connections reports is not an outage.
    opened.push(() => {
      for (const reporter of Object.values(outages)) reporter.close();
      return Promise.resolve();
    });
    const summaries = createSummariesFor(config, db.prisma, log, queue);
    opened.push(() => {
      summaries.close();
      return Promise.resolve();
    });
    const fetcher = createFeedFetcher({ allowPrivateNetworks: config.feedAllowPrivateNetworks });
    const runsWorkers = overrides.runWorkers ?? true;
    if (runsWorkers) {
      const worker = {
        prisma: db.prisma,
        sql: db.sql,
        queue,
        events,
        summarizer: summaries.summarizer,
        fetcher,
      };
      await startWorkers(worker);
    }
    return {
      config,
      clock,
      log,
      metrics: createServiceMetrics({ queue, summaries, events, outages }),
      cache: redis ? createRedisCache(redis, config.redisPrefix) : createMemoryCache(),
      outages,
      db,
      prisma: db.prisma,
      redis,
      rateLimiter,
      verifySession,
      devKey,
      users: createUserDirectory(db.prisma, config.adminUserIds),
      teams,
      queue,
      events,
      summaries,
      summaryMemo: createSummaryMemo(events),
      fetcher,
      runsWorkers,
      close: () => closeAll(opened),
    };
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}
