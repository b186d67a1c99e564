import { Prisma } from '../generated/prisma/client.ts';
import { runnerOf, type SqlTarget } from './sql-target.ts';

/** A stored article a new entry may be another telling of. */
export interface StoryCandidate {
  id: string;
  /** The story it already belongs to; null while it is alone. */
  storyId: string | null;
  sourceId: string;
  title: string;
  /** Plain text; '' when the article has none. */
  summary: string;
  /** Changes with the text: lets a matcher keep what it computed from it. */
  fingerprint: string;
  publishedAt: Date;
  /** Its teams among those the lookup asked for. */
  teamIds: string[];
}

/** What the story of a new entry is decided by. */
export interface StoryEntry {
  title: string;
  summary: string;
  publishedAt: Date;
  /**
   * The id and text fingerprint the entry's article is stored under: a matcher may keep what it
   * computes from the entry for when the article is another entry's candidate.
   */
  stored?: { id: string; fingerprint: string } | undefined;
}

/**
 * Tells which stored article, if any, a new entry is another telling of. Storing looks up the
 * articles of other sources tagged with one of the entry's teams and published within `windowMs`
 * of it, and hands them over; the matcher never touches the database.
 */
export interface StoryMatcher {
  windowMs: number;
  match(entry: StoryEntry, candidates: readonly StoryCandidate[]): StoryCandidate | undefined;
  /**
   * True when the matcher can compare entries with this candidate without its text (it kept what
   * it computed from the same fingerprint), and will for as long as the candidate object lives:
   * storing then leaves its `title` and `summary` empty instead of reading them. Without this
   * method every candidate's text is read.
   */
  remembers?(candidate: StoryCandidate): boolean;
}

/** One team and time range to look for candidates in. */
export interface StoryWindow {
  teamId: string;
  from: Date;
  to: Date;
}

/** A story candidate without its text, which `storyTexts` reads for the candidates that need it. */
export type StoryCandidateHead = Omit<StoryCandidate, 'title' | 'summary'>;

/**
 * Articles of other sources than `sourceId` tagged with a window's team and published inside it,
 * oldest first (so a matcher's ties fall the same way on every database), without their text:
 * each window is a range scan of the (teamId, publishedAt) index of team tags. Rows come one per
 * article and team, and are grouped and ordered here: the database then only scans and joins.
 */
export async function storyCandidateHeads(
  target: SqlTarget,
  sourceId: string,
  windows: readonly StoryWindow[],
): Promise<StoryCandidateHead[]> {
  if (windows.length === 0) return [];
  const rows = await runnerOf(target).query<{
    id: string;
    storyId: string | null;
    sourceId: string;
    fingerprint: string;
    at: number;
    teamId: string;
  }>(
    Prisma.sql`
    SELECT a."id"::text AS "id", a."storyId"::text AS "storyId", a."sourceId"::text AS "sourceId", a."fingerprint",
           (extract(epoch FROM a."publishedAt") * 1000)::float8 AS "at", t."teamId"
    FROM unnest(
        ${windows.map((window) => window.teamId)}::text[],
        ${windows.map((window) => window.from.toISOString())}::timestamptz[],
        ${windows.map((window) => window.to.toISOString())}::timestamptz[]) AS w("teamId", "from", "to")
      JOIN "ArticleTeam" t ON t."teamId" = w."teamId" AND t."publishedAt" >= w."from" AND t."publishedAt" <= w."to"
      JOIN "Article" a ON a."id" = t."articleId"
    WHERE a."sourceId" <> ${sourceId}::uuid`,
    { prepare: true },
  );
  const heads = new Map<string, StoryCandidateHead>();
  for (const row of rows) {
    const head = heads.get(row.id);
    if (head === undefined) {
      const { id, storyId, fingerprint, teamId } = row;
      heads.set(id, { id, storyId, sourceId: row.sourceId, fingerprint, publishedAt: new Date(row.at), teamIds: [teamId] });
    } else if (!head.teamIds.includes(row.teamId)) head.teamIds.push(row.teamId);
  }
  const ordered = [...heads.values()];
  for (const head of ordered) if (head.teamIds.length > 1) head.teamIds.sort();
  return ordered.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The title and summary ('' when none) of these articles, by id; an article deleted meanwhile is missing. */
export async function storyTexts(target: SqlTarget, ids: readonly string[]): Promise<Map<string, { title: string; summary: string }>> {
  const texts = new Map<string, { title: string; summary: string }>();
  if (ids.length === 0) return texts;
  const rows = await runnerOf(target).query<{ id: string; title: string; summary: string | null }>(
    Prisma.sql`SELECT "id"::text AS "id", "title", "summary" FROM "Article" WHERE "id" = ANY(${[...ids]}::uuid[])`,
    { prepare: true },
  );
  for (const row of rows) texts.set(row.id, { title: row.title, summary: row.summary ?? '' });
  return texts;
}

/**
 * Articles that start a story: their story id is their own id. Only an article without a story
 * takes one, and only ever its own id, so two runs grouping with the same article agree.
 */
export async function startStories(target: SqlTarget, articleIds: readonly string[]): Promise<void> {
  if (articleIds.length === 0) return;
  await runnerOf(target).query(
    Prisma.sql`
    UPDATE "Article" SET "storyId" = "id"
    WHERE "id" = ANY(${[...articleIds]}::uuid[]) AND "storyId" IS NULL`,
    { prepare: true },
  );
}

/** Teams already tagged on the stories' other articles (those not in `except`), by story id. */
export async function storyTeams(
  target: SqlTarget,
  storyIds: readonly string[],
  except: readonly string[],
): Promise<Map<string, Set<string>>> {
  const covered = new Map<string, Set<string>>();
  if (storyIds.length === 0) return covered;
  const rows = await runnerOf(target).query<{ storyId: string; teamId: string }>(
    Prisma.sql`
    SELECT DISTINCT a."storyId"::text AS "storyId", t."teamId"
    FROM "Article" a JOIN "ArticleTeam" t ON t."articleId" = a."id"
    WHERE a."storyId" = ANY(${[...storyIds]}::uuid[]) AND NOT (a."id" = ANY(${[...except]}::uuid[]))`,
    { prepare: true },
  );
  for (const row of rows) covered.set(row.storyId, (covered.get(row.storyId) ?? new Set()).add(row.teamId));
  return covered;
}

/**
 * SQL condition: the article (alias `a`) is its story's earliest telling among the articles of a
 * team, so a team's lists show and count a story once. `extra` narrows the tellings that count
 * (alias `e`), e.g. to a list's filters. Alone articles (no story) pass without a lookup.
 */
export function firstOfStoryIn(teamScope: Prisma.Sql, extra: readonly Prisma.Sql[] = []): Prisma.Sql {
  const conditions = [
    Prisma.sql`e."storyId" = a."storyId"`,
    Prisma.sql`(e."publishedAt", e."id") < (a."publishedAt", a."id")`,
    Prisma.sql`EXISTS (SELECT 1 FROM "ArticleTeam" et WHERE et."articleId" = e."id" AND ${teamScope})`,
    ...extra,
  ];
  return Prisma.sql`(a."storyId" IS NULL OR NOT EXISTS (SELECT 1 FROM "Article" e WHERE ${Prisma.join(conditions, ' AND ')}))`;
}

/** Another source's telling of a story, as lists show it next to the one they list. */
export interface StoryTelling {
  id: string;
  sourceId: string;
  sourceName: string;
  url: string | null;
  title: string;
}

/** SQL expression: the other tellings of the story of the article with alias `a`, oldest first, as JSON (null when none). */
export const otherTellingsJson = Prisma.sql`CASE WHEN a."storyId" IS NULL THEN NULL ELSE (
  SELECT json_agg(json_build_object('id', o."id", 'sourceId', o."sourceId", 'sourceName', os."name", 'url', o."url", 'title', o."title")
                  ORDER BY o."publishedAt", o."id")
  FROM "Article" o JOIN "Source" os ON os."id" = o."sourceId"
  WHERE o."storyId" = a."storyId" AND o."id" <> a."id") END`;
