import type { PrismaClient, TransactionalSql } from '@pressbox/db';
import type { EventBus } from './events/index.ts';
import type { FeedFetcher } from './feeds/fetch.ts';
import { sharedFeedParser, type FeedParser } from './feeds/parser.ts';
import { runFeedFetch } from './ingestion/fetch-worker.ts';
import { FEED_SCAN_EVERY_MS, feedFetchJob, feedScanJob } from './ingestion/jobs.ts';
import { enqueueDueSources } from './ingestion/scan.ts';
import { prune, PRUNE_EVERY_MS, pruneJob } from './maintenance.ts';
import type { JobQueue } from './queue/interface.ts';
import type { Summarizer } from './summaries/index.ts';
import { generateTeamSummary, summaryJob } from './team-summaries/job.ts';

export interface WorkerDeps {
  prisma: PrismaClient;
  /** The raw statement path (`Database.sql`) of the same database. */
  sql: TransactionalSql;
  queue: JobQueue;
  events: EventBus;
  summarizer: Summarizer;
  fetcher: FeedFetcher;
  /** Parses fetched feeds; by default `sharedFeedParser`, large documents off the event loop. */
  parse?: FeedParser;
}

/**
 * Registers every processor and the feed scheduler, then starts taking jobs. Call it in the
 * processes that work (`npm start`, `npm run start:worker`), not in API-only ones.
 */
export async function startWorkers(deps: WorkerDeps): Promise<void> {
  const fetching = { ...deps, parse: deps.parse ?? sharedFeedParser() };
  deps.queue.registerWorker(feedFetchJob, (payload, context) => runFeedFetch(fetching, payload, context));
  deps.queue.registerWorker(feedScanJob, async () => ({ enqueued: await enqueueDueSources(deps.prisma, deps.queue) }));
  deps.queue.registerWorker(summaryJob, (payload, context) => generateTeamSummary(deps, payload, context));
  deps.queue.registerWorker(pruneJob, () => prune(deps.prisma));
  await deps.queue.upsertScheduler('due-sources', { everyMs: FEED_SCAN_EVERY_MS }, feedScanJob, {});
  await deps.queue.upsertScheduler('hourly', { everyMs: PRUNE_EVERY_MS }, pruneJob, {});
  await deps.queue.start();
}
