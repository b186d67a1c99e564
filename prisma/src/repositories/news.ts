import type { SqlRunner } from '../database.ts';
import { AppError } from '../errors.ts';
import { Prisma, type MatchedBy, type PrismaClient } from '../generated/prisma/client.ts';
import { decodeCursorOrThrow, encodeCursor, type Page } from '../pagination.ts';
import { runnerOf, type SqlTarget } from './sql-target.ts';
import { firstOfStoryIn, otherTellingsJson, type StoryTelling } from './stories.ts';

export type NewsSort = 'newest' | 'oldest' | 'relevance';

export interface NewsQuery {
  /** One team's news, or the deduplicated news of several teams (a user's feed). */
  scope: { teamId: string } | { teamIds: string[] };
  since?: Date | undefined;
  until?: Date | undefined;
  sourceId?: string | undefined;
  /** Full-text search (web search syntax: words, "phrases", -exclusions, or). */
  q?: string | undefined;
  sort: NewsSort;
  limit: number;
  cursor?: string | undefined;
}

export interface NewsRow {
  id: string;
  title: string;
  url: string | null;
  author: string | null;
  summary: string | null;
  contentHtml: string | null;
  publishedAt: Date;
  updatedAt: Date;
  source: { id: string; name: string };
  teams: { id: string; matchedBy: MatchedBy }[];
  /** The same story as told by other sources. */
  alsoFrom: StoryTelling[];
}

/** A row of the news list statement (see `newsListStatement`). */
export interface NewsStatementRow {
  id: string;
  title: string;
  url: string | null;
  author: string | null;
  summary: string | null;
  contentHtml: string | null;
  publishedAt: Date;
  updatedAt: Date;
  sourceId: string;
  sourceName: string;
  rank: number | null;
  teams: { id: string; matchedBy: MatchedBy }[] | null;
  alsoFrom: StoryTelling[] | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * News of a team (or of several, deduplicated), newest first by default, with keyset pagination
 * on (publishedAt, id) — or (rank, publishedAt, id) for relevance — so pages stay stable while
 * new articles arrive. Search uses the generated tsvector column and Postgres ranking. A story
 * told by several sources is listed once, as its earliest telling that the list would show, with
 * the other tellings in `alsoFrom`.
 */
export async function listNews(sql: SqlRunner, query: NewsQuery): Promise<Page<NewsRow>> {
  const statement = newsListStatement(query);
  if (statement === undefined) return { items: [], nextCursor: null };
  // Sent on every news request, in a handful of shapes: prepared, so Postgres plans each shape once per connection.
  return newsPageOf(await sql.query<NewsStatementRow>(statement, { prepare: true }), query);
}

/**
 * The one statement `listNews` sends for a query (`text` and `values` for any Postgres client),
 * or undefined when the answer is empty without asking; BAD_REQUEST for a query that is not one.
 * It asks for one row more than the page, which tells whether another page follows.
 */
export function newsListStatement(query: NewsQuery): Prisma.Sql | undefined {
  const q = query.q?.trim();
  if (query.sort === 'relevance' && !q) throw new AppError('BAD_REQUEST', 'sort=relevance needs a search query (q)');
  if (query.sourceId !== undefined && !uuidPattern.test(query.sourceId)) throw new AppError('BAD_REQUEST', 'sourceId is not a source id');
  const relevance = query.sort === 'relevance';
  const descending = query.sort !== 'oldest';
  const after =
    query.cursor === undefined
      ? undefined
      : decodeCursorOrThrow(query.cursor, relevance ? ['number', 'string', 'string'] : ['string', 'string']);
  if ('teamIds' in query.scope && query.scope.teamIds.length === 0) return undefined;

  const scoped = 'teamId' in query.scope;
  // The sort key comes from the table the scope reads, so its (…, publishedAt DESC, id DESC) index
  // serves the ORDER BY and the keyset bound instead of a sort of every matching row.
  const published = scoped ? Prisma.sql`t."publishedAt"` : Prisma.sql`a."publishedAt"`;
  const articleId = scoped ? Prisma.sql`t."articleId"` : Prisma.sql`a."id"`;
  const tsQuery = q ? Prisma.sql`websearch_to_tsquery('english', ${q})` : undefined;
  const conditions = scopeAndFilters(query, published, tsQuery);
  if (after) conditions.push(keysetBound(after, { relevance, descending, published, articleId, tsQuery }));
  const direction = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const order = relevance
    ? Prisma.sql`rank DESC, ${published} DESC, ${articleId} DESC`
    : Prisma.sql`${published} ${direction}, ${articleId} ${direction}`;
  const from = scoped ? Prisma.sql`"ArticleTeam" t JOIN "Article" a ON a."id" = t."articleId"` : Prisma.sql`"Article" a`;

  return Prisma.sql`
    SELECT a."id", a."title", a."url", a."author", a."summary", a."contentHtml", ${published} AS "publishedAt", a."updatedAt",
           s."id" AS "sourceId", s."name" AS "sourceName",
           ${tsQuery ? Prisma.sql`ts_rank_cd(a."search", ${tsQuery})` : Prisma.sql`NULL::real`} AS rank,
           (SELECT json_agg(json_build_object('id', x."teamId", 'matchedBy', x."matchedBy") ORDER BY x."teamId")
              FROM "ArticleTeam" x WHERE x."articleId" = a."id") AS teams,
           ${otherTellingsJson} AS "alsoFrom"
    FROM ${from} JOIN "Source" s ON s."id" = a."sourceId"
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ${order}
    LIMIT ${query.limit + 1}`;
}

/** The page the rows of `newsListStatement(query)` make, with the cursor of the next one. */
export function newsPageOf(rows: readonly NewsStatementRow[], query: Pick<NewsQuery, 'sort' | 'limit'>): Page<NewsRow> {
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor(
          query.sort === 'relevance'
            ? [last.rank ?? 0, last.publishedAt.toISOString(), last.id]
            : [last.publishedAt.toISOString(), last.id],
        )
      : null;
  return { items: page.map(toNewsRow), nextCursor };
}

/** The scope, the query's filters and the story condition (a story listed once), on the article `a`. */
function scopeAndFilters(query: NewsQuery, published: Prisma.Sql, tsQuery: Prisma.Sql | undefined): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if ('teamId' in query.scope) conditions.push(Prisma.sql`t."teamId" = ${query.scope.teamId}`);
  else {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "ArticleTeam" ft WHERE ft."articleId" = a."id" AND ft."teamId" IN (${Prisma.join(query.scope.teamIds)}))`,
    );
  }
  if (query.since) conditions.push(Prisma.sql`${published} >= ${query.since}`);
  if (query.until) conditions.push(Prisma.sql`${published} < ${query.until}`);
  if (query.sourceId) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "ArticleSource" x WHERE x."articleId" = a."id" AND x."sourceId" = ${query.sourceId}::uuid)`,
    );
  }
  if (tsQuery) conditions.push(Prisma.sql`a."search" @@ ${tsQuery}`);
  conditions.push(firstOfStoryIn(storyScope(query.scope), storyFilters(query, tsQuery)));
  return conditions;
}

/** The team tags (alias `et`) that put another telling of a story in the same list. */
function storyScope(scope: NewsQuery['scope']): Prisma.Sql {
  return 'teamId' in scope ? Prisma.sql`et."teamId" = ${scope.teamId}` : Prisma.sql`et."teamId" IN (${Prisma.join(scope.teamIds)})`;
}

/** The list's filters, on another telling of a story (alias `e`): only a telling the list would show hides a later one. */
function storyFilters(query: NewsQuery, tsQuery: Prisma.Sql | undefined): Prisma.Sql[] {
  const filters: Prisma.Sql[] = [];
  if (query.since) filters.push(Prisma.sql`e."publishedAt" >= ${query.since}`);
  if (query.until) filters.push(Prisma.sql`e."publishedAt" < ${query.until}`);
  if (query.sourceId) {
    filters.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "ArticleSource" ex WHERE ex."articleId" = e."id" AND ex."sourceId" = ${query.sourceId}::uuid)`,
    );
  }
  if (tsQuery) filters.push(Prisma.sql`e."search" @@ ${tsQuery}`);
  return filters;
}

/** Where the next page starts: after the cursor's row in the order of the list. */
function keysetBound(
  after: unknown[],
  keys: { relevance: boolean; descending: boolean; published: Prisma.Sql; articleId: Prisma.Sql; tsQuery: Prisma.Sql | undefined },
): Prisma.Sql {
  const { published, articleId } = keys;
  if (keys.relevance) {
    const [rank, at, id] = after as [number, string, string];
    return Prisma.sql`(ts_rank_cd(a."search", ${keys.tsQuery ?? Prisma.empty}), ${published}, ${articleId}) < (${rank}::real, ${parseCursorDate(at)}, ${cursorUuid(id)}::uuid)`;
  }
  const [at, id] = after as [string, string];
  const key = Prisma.sql`(${published}, ${articleId})`;
  const bound = Prisma.sql`(${parseCursorDate(at)}, ${cursorUuid(id)}::uuid)`;
  return keys.descending ? Prisma.sql`${key} < ${bound}` : Prisma.sql`${key} > ${bound}`;
}

function toNewsRow(row: NewsStatementRow): NewsRow {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    author: row.author,
    summary: row.summary,
    contentHtml: row.contentHtml,
    publishedAt: row.publishedAt,
    updatedAt: row.updatedAt,
    source: { id: row.sourceId, name: row.sourceName },
    teams: row.teams ?? [],
    alsoFrom: row.alsoFrom ?? [],
  };
}

/** Team tags of the given articles, by article id. */
export async function teamsOf(
  prisma: PrismaClient | Prisma.TransactionClient,
  articleIds: string[],
): Promise<Map<string, { id: string; matchedBy: MatchedBy }[]>> {
  const result = new Map<string, { id: string; matchedBy: MatchedBy }[]>();
  if (articleIds.length === 0) return result;
  const tags = await prisma.articleTeam.findMany({
    where: { articleId: { in: articleIds } },
    select: { articleId: true, teamId: true, matchedBy: true },
    orderBy: [{ articleId: 'asc' }, { teamId: 'asc' }],
  });
  for (const tag of tags) {
    const list = result.get(tag.articleId) ?? [];
    list.push({ id: tag.teamId, matchedBy: tag.matchedBy });
    result.set(tag.articleId, list);
  }
  return result;
}

/** Loads news items by id (for events), in the order given, in one statement: through `target`, which may be the transaction that stored them. */
export async function findNewsItems(target: SqlTarget, ids: string[]): Promise<NewsRow[]> {
  if (ids.length === 0) return [];
  const rows = await runnerOf(target).query<NewsStatementRow>(
    Prisma.sql`
    SELECT a."id"::text AS "id", a."title", a."url", a."author", a."summary", a."contentHtml", a."publishedAt", a."updatedAt",
           s."id"::text AS "sourceId", s."name" AS "sourceName", NULL::real AS rank,
           (SELECT json_agg(json_build_object('id', x."teamId", 'matchedBy', x."matchedBy") ORDER BY x."teamId")
              FROM "ArticleTeam" x WHERE x."articleId" = a."id") AS teams,
           ${otherTellingsJson} AS "alsoFrom"
    FROM "Article" a JOIN "Source" s ON s."id" = a."sourceId"
    WHERE a."id" = ANY(${ids}::uuid[])`,
    { prepare: true },
  );
  const byId = new Map(rows.map((row) => [row.id, toNewsRow(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function parseCursorDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError('BAD_REQUEST', 'The cursor is not one this list returned');
  return date;
}

function cursorUuid(value: string): string {
  if (!uuidPattern.test(value)) throw new AppError('BAD_REQUEST', 'The cursor is not one this list returned');
  return value;
}
