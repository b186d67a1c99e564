import { createSource, type PrismaClient, type SourceWithTeams } from '@pressbox/db';
import type { FeedServer } from '../../fakes/feed-server.ts';

/** A feed of `items` entries with their own guids and URLs, so every entry is one new article. */
export function numberedFeed(feed: number, items: number): string {
  const entries = Array.from({ length: items }, (_, index) => {
    const published = new Date(Date.UTC(2026, 10, 1) + feed * 3_600_000 + index * 60_000).toUTCString();
    return `<item><guid isPermaLink="false">feed-${String(feed)}-item-${String(index)}</guid><title>Feed ${String(feed)} story ${String(index)}</title><link>https://news.example/feed-${String(feed)}/story-${String(index)}</link><description>Story ${String(index)} of feed ${String(feed)}.</description><pubDate>${published}</pubDate></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${String(feed)}</title><link>https://news.example/feed-${String(feed)}</link><description>numbered</description>${entries.join('')}</channel></rss>`;
}

export interface IngestFeeds {
  sources: SourceWithTeams[];
  /** Feed path of each source, in the order of `sources`. */
  paths: string[];
}

/**
 * `count` sources of `items` entries each, every source linked to a team of its own, served by
 * the fake feed server with a delay per response so that an ingest takes a few seconds.
 */
export async function createIngestFeeds(
  prisma: PrismaClient,
  server: FeedServer,
  options: { count: number; items: number; delayMs: number },
): Promise<IngestFeeds> {
  const teams = await prisma.team.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: options.count });
  if (teams.length < options.count) throw new Error(`Only ${String(teams.length)} teams to link ${String(options.count)} sources to`);
  const sources: SourceWithTeams[] = [];
  const paths: string[] = [];
  for (const [index, team] of teams.entries()) {
    const path = `/ingest/feed-${String(index)}.xml`;
    server.route(path, { kind: 'document', body: numberedFeed(index, options.items), delayMs: options.delayMs });
    sources.push(await createSource(prisma, { url: server.url(path), name: `Feed ${String(index)}`, teamIds: [team.id] }));
    paths.push(path);
  }
  return { sources, paths };
}

/** Articles, duplicated entries, `news.created` events and duplicated events, as the database has them. */
export async function ingestCounts(
  prisma: PrismaClient,
): Promise<{ articles: number; duplicateArticles: number; newsEvents: number; duplicateEvents: number }> {
  const [row] = await prisma.$queryRaw<{ articles: number; duplicateArticles: number; newsEvents: number; duplicateEvents: number }[]>`
    SELECT
      (SELECT count(*)::int FROM "Article") AS "articles",
      (SELECT count(*)::int FROM (SELECT 1 FROM "Article" GROUP BY "canonicalUrl" HAVING count(*) > 1) d) AS "duplicateArticles",
      (SELECT count(*)::int FROM "Event" WHERE "type" = 'news.created') AS "newsEvents",
      (SELECT count(*)::int FROM (
        SELECT 1 FROM "Event" WHERE "type" = 'news.created' GROUP BY "teamId", "data"->>'id' HAVING count(*) > 1) d) AS "duplicateEvents"`;
  if (!row) throw new Error('no counts');
  return row;
}
