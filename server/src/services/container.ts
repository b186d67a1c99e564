import type { PGlite } from '@electric-sql/pglite';
import type { Clock, Database, PrismaClient } from '@pressbox/db';
import type { EventBus, FeedFetcher, JobQueue, Redis, SummarizerService } from '@pressbox/jobs';
import type { DevSigningKey } from '../auth/dev-keys.ts';
import type { SessionVerifier } from '../auth/verifier.ts';
import type { Config } from '../config.ts';
import type { SummaryMemo } from '../domain/summary-memo.ts';
import type { TeamDirectory } from '../domain/team-directory.ts';
import type { UserDirectory } from '../domain/user-directory.ts';
import type { Cache } from '../infra/cache/interface.ts';
import type { Metrics } from '../infra/metrics.ts';
import type { Dependency, OutageReporter } from '../infra/outages/index.ts';
import type { RateLimiter } from '../infra/rate-limit/interface.ts';
import type { Logger } from '../logger.ts';

/**
 * Everything outside the process that Pressbox talks to, chosen once at start-up
 * (`createServices`). Procedures hand it to domain functions, which each declare the few parts
 * they use.
 */
export interface Services {
  config: Config;
  /** The time session tokens, WebSocket sessions and dashboards are judged by. */
  clock: Clock;
  log: Logger;
  db: Database;
  prisma: PrismaClient;
  redis: Redis | undefined;
  rateLimiter: RateLimiter;
  verifySession: SessionVerifier;
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
  /** Where an outage of the database or Redis is logged once, and its end. */
  outages: Record<Dependency, OutageReporter>;
  /** Whether this process runs the workers (roles `all` and `worker`). */
  runsWorkers: boolean;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  /** Adopt an already open PGlite (tests load one migrated snapshot per file). */
  pglite?: PGlite;
  /** Run the workers in this process (default true). */
  runWorkers?: boolean;
  /** Time for session tokens, WebSocket sessions and dashboards (default: the wall clock). */
  clock?: Clock;
}
