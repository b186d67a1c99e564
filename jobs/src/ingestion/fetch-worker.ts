import type { PrismaClient, TransactionalSql } from '@pressbox/db';
import type { z } from 'zod';
import type { FeedFetcher } from '../feeds/fetch.ts';
import type { FeedParser } from '../feeds/parser.ts';
import { refreshSource } from '../feeds/refresh.ts';
import type { JobContext } from '../queue/interface.ts';
import { afterNewsCommitted, announceStoredNews, type AnnounceDeps } from './announce.ts';
import type { feedFetchJob } from './jobs.ts';

export interface FetchWorkerDeps extends AnnounceDeps {
  prisma: PrismaClient;
  /** The raw statement path (`Database.sql`): the entries are stored through it. */
  sql: TransactionalSql;
  fetcher: FeedFetcher;
  /** Parses fetched documents (on this thread when omitted). */
  parse?: FeedParser;
}

/**
 * The feed fetch job: refresh the source, its events committed with the entries, then publish
 * them. Safe to run twice, and safe to kill at any point: what is stored is announced exactly once.
 */
export async function runFeedFetch(
  deps: FetchWorkerDeps,
  payload: z.output<typeof feedFetchJob.payload>,
  context: Pick<JobContext, 'signal'> & Partial<Pick<JobContext, 'jobId'>>,
): Promise<z.input<typeof feedFetchJob.result>> {
  const outcome = await refreshSource(deps, payload.sourceId, {
    fetcher: deps.fetcher,
    ...(deps.parse === undefined ? {} : { parse: deps.parse }),
    force: payload.force,
    signal: context.signal,
    announce: announceStoredNews,
    ...(context.jobId === undefined ? {} : { jobId: context.jobId }),
  });
  switch (outcome.status) {
    case 'stored':
      await afterNewsCommitted(deps);
      return {
        status: 'stored',
        created: outcome.created.length,
        updated: outcome.updated.length,
        nextFetchAt: outcome.nextFetchAt.toISOString(),
        ...(outcome.movedTo === undefined ? {} : { movedTo: outcome.movedTo }),
      };
    case 'not-modified':
      return {
        status: 'not-modified',
        created: 0,
        updated: 0,
        nextFetchAt: outcome.nextFetchAt.toISOString(),
        ...(outcome.movedTo === undefined ? {} : { movedTo: outcome.movedTo }),
      };
    case 'failed':
      return { status: 'failed', created: 0, updated: 0, error: outcome.error.message, nextFetchAt: outcome.nextFetchAt.toISOString() };
    case 'skipped':
      return {
        status: 'skipped',
        created: 0,
        updated: 0,
        error: outcome.reason === 'paused' ? 'The source is paused' : 'The source no longer exists',
      };
  }
}
