import { followedTeamIds, listNews, type Database, type NewsQuery, type Page, type PrismaClient } from '@pressbox/db';
import { toNewsItem, type NewsItem } from '../schemas/news.ts';
import type { TeamDirectory } from './team-directory.ts';

export interface NewsDeps {
  prisma: PrismaClient;
  /** News lists go over the raw statement path. */
  db: Pick<Database, 'sql'>;
  teams: TeamDirectory;
}

/** Filters of a news list as the API takes them (times as ISO strings). */
export interface NewsFilters {
  since?: string | undefined;
  until?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

function newsQuery(filters: NewsFilters): Omit<NewsQuery, 'scope' | 'sort'> {
  return {
    since: filters.since === undefined ? undefined : new Date(filters.since),
    until: filters.until === undefined ? undefined : new Date(filters.until),
    q: filters.q,
    limit: filters.limit,
    cursor: filters.cursor,
  };
}

/** A page of one team's news; NOT_FOUND for an unknown team. */
export async function teamNews(
  deps: NewsDeps,
  query: NewsFilters & { teamId: string; sourceId?: string | undefined; sort: 'newest' | 'oldest' | 'relevance' },
): Promise<Page<NewsItem>> {
  deps.teams.require(query.teamId);
  const page = await listNews(deps.db.sql, {
    ...newsQuery(query),
    scope: { teamId: query.teamId },
    sourceId: query.sourceId,
    sort: query.sort,
  });
  return { items: page.items.map(toNewsItem), nextCursor: page.nextCursor };
}

/** A page of news across the teams a user follows, each article once. */
export async function myFeed(
  deps: Pick<NewsDeps, 'prisma' | 'db'>,
  userId: string,
  query: NewsFilters & { sort: 'newest' | 'oldest' },
): Promise<Page<NewsItem>> {
  const teamIds = await followedTeamIds(deps.prisma, userId);
  const page = await listNews(deps.db.sql, { ...newsQuery(query), scope: { teamIds }, sort: query.sort });
  return { items: page.items.map(toNewsItem), nextCursor: page.nextCursor };
}
