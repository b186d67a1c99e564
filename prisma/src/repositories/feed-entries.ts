import { createHash } from 'node:crypto';
import { isTransactionConflict } from '../conflicts.ts';
import { Prisma, type MatchedBy } from '../generated/prisma/client.ts';
import { uuidv7 } from '../ids.ts';
import type { SqlRunner, TransactionalSql } from '../sql.ts';
import { assignStories } from './story-assignment.ts';
import { storyTeams, type StoryMatcher } from './stories.ts';
import { insertEventRows, type EventInsert } from './events.ts';

/** One normalised feed entry, as storing needs it. */
export interface FeedEntry {
  /** Unique per source: identifies the entry across fetches and edits. */
  itemKey: string;
  /**
   * Keys the same entry may be stored under already (its key before a title or date edit, or an
   * older form of key); each belongs to this entry alone within its document.
   */
  aliasKeys?: readonly string[] | undefined;
  /** Changes whenever title, summary or content change: detects edits. */
  contentHash: string;
  url?: string | undefined;
  /** Recognises one story in two feeds. */
  canonicalUrl?: string | undefined;
  title: string;
  author?: string | undefined;
  /** Plain text; '' when the entry has none. */
  summary: string;
  contentHtml?: string | undefined;
  publishedAt: Date;
  updatedAt?: Date | undefined;
}

/** A team an entry is about, and how that was found. */
export interface EntryTag {
  teamId: string;
  matchedBy: MatchedBy;
}

/** An article and the teams it was just tagged with (what `news.created` events go out for). */
export interface TaggedArticle {
  articleId: string;
  teamIds: string[];
}

export interface StoreResult {
  /**
   * New articles. `teamIds` leaves out the teams that already have another telling of the
   * article's story: the story is not news to them.
   */
  created: TaggedArticle[];
  /** Existing articles (same canonical URL from another source) newly linked to this source; `teamIds` are the teams that had not been tagged before. */
  linked: TaggedArticle[];
  /** Articles this source edited in place (same item key, different content). */
  updated: string[];
  /** Entries already stored as they are. */
  unchanged: number;
}

/**
 * The events that announce what one store did, read and built inside its transaction (through
 * `tx`, which sees the rows it stored) and inserted as its last statement, so they commit (or
 * roll back) with the articles.
 */
export type StoreAnnouncer = (tx: SqlRunner, result: StoreResult) => Promise<readonly EventInsert[]>;

type Tag = EntryTag;
type Transaction = SqlRunner;

/** A concurrent run stored some of these entries first: roll back and run again (they will be known). */
class ConcurrentRunError extends Error {
  override name = 'ConcurrentRunError';
}

/** A row we conflicted with disappeared before we could read it: run again. */
class VanishedRowError extends Error {
  override name = 'VanishedRowError';
}

const ATTEMPTS = 4;
/** Rows per statement: column arrays keep each statement to a few parameters (Postgres takes 65535) and bounded in size. */
const CHUNK = 500;
/** Every statement of a store has one shape whatever the feed: prepared, so Postgres parses and plans each once per connection. */
const PREPARED = { prepare: true } as const;

/**
 * Stores a feed's entries idempotently in ONE transaction per feed (on the raw statement path,
 * `Database.sql`), with a handful of set-wise statements whatever the feed's size, so a job
 * killed half-way leaves nothing behind and a re-run starts clean. Correctness under concurrent runs rests on unique constraints, never on
 * read-then-write: new rows go in with ON CONFLICT DO NOTHING and a run that finds its entries
 * taken by a concurrent run rolls back and retries (they are then simply "unchanged"); edits are a
 * compare-and-set on the entry's content hash.
 *
 * - (source, itemKey) is one entry; the same key with a new content hash edits the article in
 *   place (only when this source owns the article, so two sources cannot fight over its text);
 * - the same canonical URL from another source links the existing article instead of copying it;
 * - `tagsOf` names the teams of each entry; tags are added, never removed;
 * - `stories`, when given, groups a new article with another source's telling of the same story
 *   (see `StoryMatcher`): it takes that article's story id.
 * - `announce` gives the events of the outcome, committed in the same transaction.
 *
 * @example
 * const result = await storeFeedEntries(db.sql, source.id, entries, () => [{ teamId: 'nba-bos', matchedBy: 'SOURCE' }], new Date());
 * for (const { articleId, teamIds } of result.created) publishNews(articleId, teamIds);
 */
export async function storeFeedEntries<Entry extends FeedEntry>(
  sql: TransactionalSql,
  sourceId: string,
  entries: readonly Entry[],
  tagsOf: (entry: Entry) => EntryTag[],
  now: Date,
  { stories, announce }: { stories?: StoryMatcher | undefined; announce?: StoreAnnouncer | undefined } = {},
): Promise<StoreResult> {
  const unique: FeedEntry[] = [...new Map(entries.map((entry) => [entry.itemKey, entry])).values()];
  // Every entry stored below is one of `entries`, so tagging sees only the caller's own type.
  // Tags are asked for more than once per entry (story lookup, tagging): each entry is tagged once.
  const tagged = new Map<FeedEntry, EntryTag[]>();
  const tagEntry = (entry: FeedEntry): EntryTag[] => {
    let tags = tagged.get(entry);
    if (tags === undefined) tagged.set(entry, (tags = (tagsOf as (entry: FeedEntry) => EntryTag[])(entry)));
    return tags;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await sql.transaction(async (tx) => {
        const result = await storeEntries(tx, { id: sourceId, stories }, unique, tagEntry, now);
        if (announce) await insertEventRows(tx, await announce(tx, result));
        return result;
      });
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

/** The source being stored, and the story matcher its new entries go through. */
interface StoringSource {
  id: string;
  stories?: StoryMatcher | undefined;
}

async function storeEntries(
  tx: Transaction,
  source: StoringSource,
  items: readonly FeedEntry[],
  tagsOf: (item: FeedEntry) => Tag[],
  now: Date,
): Promise<StoreResult> {
  const result: StoreResult = { created: [], linked: [], updated: [], unchanged: 0 };
  const known = await knownHashes(tx, source.id, items);
  await adoptAliases(tx, source.id, items, known);
  const fresh: FeedEntry[] = [];
  const seen: string[] = [];
  for (const item of items) {
    const stored = known.get(item.itemKey);
    const current = item.contentHash;
    if (stored === undefined) {
      fresh.push(item);
    } else if (stored === current) {
      result.unchanged += 1;
      seen.push(item.itemKey);
    } else {
      const edited = await applyEdit(tx, source, item, tagsOf(item), now);
      if (edited === undefined) result.unchanged += 1;
      else result.updated.push(edited);
    }
  }
  if (fresh.length > 0) await insertEntries(tx, source, fresh, tagsOf, now, result);
  for (let start = 0; start < seen.length; start += CHUNK) {
    await tx.query(
      Prisma.sql`UPDATE "ArticleSource" SET "lastSeenAt" = ${now.toISOString()}::timestamptz
        WHERE "sourceId" = ${source.id}::uuid AND "itemKey" = ANY(${seen.slice(start, start + CHUNK)}::text[])`,
      PREPARED,
    );
  }
  return result;
}

/** Alias keys as one text column of a set-wise insert: joined by U+001F, split again in SQL. */
const ALIAS_SEPARATOR = '\u001f';

/**
 * Entries stored under another key — before an edit of their title or date, or under an older form
 * of key — take their new key, so the edit is applied in place instead of adding an article. A
 * stored row is the entry's when its key is one of the entry's aliases or the two share an alias;
 * only a pairing that is one-to-one within the document is adopted. `known` then holds the row's
 * hash under the new key, and the row carries the entry's aliases from now on.
 */
async function adoptAliases(tx: Transaction, sourceId: string, items: readonly FeedEntry[], known: Map<string, string>): Promise<void> {
  const unknown = items.filter((item) => !known.has(item.itemKey) && (item.aliasKeys?.length ?? 0) > 0);
  if (unknown.length === 0) return;
  const rows = await storedUnderAliases(tx, sourceId, [...new Set(unknown.flatMap((item) => item.aliasKeys ?? []))]);
  const candidates = rows.filter((row) => !known.has(row.itemKey));
  const matchesOf = (item: FeedEntry) => {
    const aliases = new Set(item.aliasKeys);
    return candidates.filter((row) => aliases.has(row.itemKey) || row.aliasKeys.some((alias) => aliases.has(alias)));
  };
  const pairs = unknown.map((item) => ({ item, rows: matchesOf(item) }));
  const claims = new Map<string, number>();
  for (const { rows: matched } of pairs) for (const row of matched) claims.set(row.itemKey, (claims.get(row.itemKey) ?? 0) + 1);
  for (const { item, rows: matched } of pairs) {
    const [row] = matched;
    if (row === undefined || matched.length !== 1 || claims.get(row.itemKey) !== 1) continue;
    await tx.query(
      Prisma.sql`UPDATE "ArticleSource" SET "itemKey" = ${item.itemKey}, "aliasKeys" = ${[...(item.aliasKeys ?? [])]}::text[]
        WHERE "sourceId" = ${sourceId}::uuid AND "itemKey" = ${row.itemKey}`,
      PREPARED,
    );
    known.set(item.itemKey, row.contentHash);
  }
}

async function storedUnderAliases(
  tx: Transaction,
  sourceId: string,
  aliases: readonly string[],
): Promise<{ itemKey: string; aliasKeys: string[]; contentHash: string }[]> {
  const found: { itemKey: string; aliasKeys: string[]; contentHash: string }[] = [];
  for (let start = 0; start < aliases.length; start += CHUNK) {
    const chunk = aliases.slice(start, start + CHUNK);
    found.push(
      ...(await tx.query<{ itemKey: string; aliasKeys: string[]; contentHash: string }>(
        Prisma.sql`SELECT "itemKey", "aliasKeys", "contentHash" FROM "ArticleSource"
          WHERE "sourceId" = ${sourceId}::uuid AND ("itemKey" = ANY(${chunk}::text[]) OR "aliasKeys" && ${chunk}::text[])`,
        PREPARED,
      )),
    );
  }
  return [...new Map(found.map((row) => [row.itemKey, row])).values()];
}

/** Content hashes already stored for these entries. */
async function knownHashes(tx: Transaction, sourceId: string, items: readonly FeedEntry[]): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  for (let start = 0; start < items.length; start += CHUNK) {
    const keys = items.slice(start, start + CHUNK).map((item) => item.itemKey);
    const rows = await tx.query<{ itemKey: string; contentHash: string }>(
      Prisma.sql`SELECT "itemKey", "contentHash" FROM "ArticleSource" WHERE "sourceId" = ${sourceId}::uuid AND "itemKey" = ANY(${keys}::text[])`,
      PREPARED,
    );
    for (const row of rows) known.set(row.itemKey, row.contentHash);
  }
  return known;
}

/**
 * An edited entry: compare-and-set the entry's hash (of two runs seeing the same edit, exactly one
 * gets the row back), then rewrite the article if this source owns it. Returns the article id
 * when it did.
 */
async function applyEdit(tx: Transaction, source: { id: string }, item: FeedEntry, tags: Tag[], now: Date): Promise<string | undefined> {
  const claimed = await tx.query<{ articleId: string }>(
    Prisma.sql`UPDATE "ArticleSource"
      SET "contentHash" = ${item.contentHash}, "lastSeenAt" = ${now.toISOString()}::timestamptz, "aliasKeys" = ${[...(item.aliasKeys ?? [])]}::text[]
      WHERE "sourceId" = ${source.id}::uuid AND "itemKey" = ${item.itemKey} AND "contentHash" <> ${item.contentHash}
      RETURNING "articleId"::text AS "articleId"`,
    PREPARED,
  );
  const articleId = claimed[0]?.articleId;
  if (articleId === undefined) return undefined;
  const updated = await tx.query<{ id: string; publishedAt: Date }>(
    Prisma.sql`UPDATE "Article"
      SET "title" = ${item.title}, "author" = ${item.author ?? null}, "summary" = ${item.summary === '' ? null : item.summary},
          "contentHtml" = ${item.contentHtml ?? null}, "fingerprint" = ${fingerprintOf(item)},
          "updatedAt" = ${(item.updatedAt ?? now).toISOString()}::timestamptz
      WHERE "id" = ${articleId}::uuid AND "sourceId" = ${source.id}::uuid
      RETURNING "id"::text AS "id", "publishedAt"`,
    PREPARED,
  );
  const article = updated[0];
  if (!article) return undefined;
  await insertTags(
    tx,
    tags.map((tag) => ({ articleId: article.id, ...tag, publishedAt: article.publishedAt })),
  );
  return article.id;
}

interface Placement {
  item: FeedEntry;
  articleId: string;
  publishedAt: Date;
  created: boolean;
}

/** New entries: articles (or existing ones with the same canonical URL), entry links, team tags. */
async function insertEntries(
  tx: Transaction,
  source: StoringSource,
  items: FeedEntry[],
  tagsOf: (item: FeedEntry) => Tag[],
  now: Date,
  result: StoreResult,
): Promise<void> {
  // One candidate article per canonical URL (two entries of one feed may share it) and per URL-less entry.
  const candidates = new Map<string, ArticleRow>();
  const firstItems: [ArticleRow, FeedEntry][] = [];
  for (const item of items) {
    const slot = item.canonicalUrl ?? `key:${item.itemKey}`;
    if (candidates.has(slot)) continue;
    const row = articleRow(source, item, now);
    candidates.set(slot, row);
    firstItems.push([row, item]);
  }
  if (source.stories) {
    const placements = firstItems.map(([row, item]) => ({
      row,
      entry: { title: item.title, summary: item.summary, publishedAt: item.publishedAt, stored: row },
      teamIds: tagsOf(item).map((tag) => tag.teamId),
    }));
    await assignStories(tx, source.id, source.stories, placements);
  }
  // Sorted so concurrent runs sharing URLs take unique-index locks in the same order (no deadlock).
  const rows = [...candidates.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  const inserted = new Set<string>();
  for (let start = 0; start < rows.length; start += CHUNK) {
    for (const id of await insertArticles(tx, rows.slice(start, start + CHUNK))) inserted.add(id);
  }
  const taken = rows.flatMap((row) => (!inserted.has(row.id) && row.canonicalUrl !== null ? [row.canonicalUrl] : []));
  const existing = new Map<string, { id: string; publishedAt: Date }>();
  for (let start = 0; start < taken.length; start += CHUNK) {
    const found = await tx.query<{ id: string; publishedAt: Date; canonicalUrl: string | null }>(
      Prisma.sql`SELECT "id"::text AS "id", "publishedAt", "canonicalUrl" FROM "Article"
        WHERE "canonicalUrl" = ANY(${taken.slice(start, start + CHUNK)}::text[])`,
      PREPARED,
    );
    for (const row of found) if (row.canonicalUrl !== null) existing.set(row.canonicalUrl, row);
  }

  const placements: Placement[] = [];
  const claimed = new Set<string>();
  for (const item of items) {
    const slot = item.canonicalUrl ?? `key:${item.itemKey}`;
    const candidate = candidates.get(slot);
    if (!candidate) throw new Error('every entry has a candidate article');
    if (inserted.has(candidate.id)) {
      placements.push({ item, articleId: candidate.id, publishedAt: item.publishedAt, created: !claimed.has(candidate.id) });
      claimed.add(candidate.id);
      continue;
    }
    const other = item.canonicalUrl === undefined ? undefined : existing.get(item.canonicalUrl);
    if (!other) throw new VanishedRowError('an article with this canonical URL was deleted meanwhile');
    placements.push({ item, articleId: other.id, publishedAt: other.publishedAt, created: false });
  }

  let linkedCount = 0;
  for (let start = 0; start < placements.length; start += CHUNK) {
    linkedCount += await insertLinks(tx, source.id, placements.slice(start, start + CHUNK), now);
  }
  if (linkedCount !== placements.length) throw new ConcurrentRunError('a concurrent run stored some of these entries first');

  const newTags = await insertTags(
    tx,
    placements.flatMap(({ item, articleId, publishedAt }) => tagsOf(item).map((tag) => ({ articleId, ...tag, publishedAt }))),
  );
  await report(tx, placements, newTags, new Map(rows.map((row) => [row.id, row.storyId])), result);
}

/**
 * Each placed article once in the result, with the teams it is news to: a created article that
 * joined a story is news only to the teams none of the story's other articles reached before.
 */
async function report(
  tx: Transaction,
  placements: readonly Placement[],
  newTags: Map<string, string[]>,
  storyOf: Map<string, string | null>,
  result: StoreResult,
): Promise<void> {
  const created = placements.filter((placement) => placement.created);
  const createdIds = created.map((placement) => placement.articleId);
  const storyIds = [...new Set(created.flatMap(({ articleId }) => storyOf.get(articleId) ?? []))];
  const covered = await storyTeams(tx, storyIds, createdIds);
  const byDate = [...created].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  const newsTo = new Map<string, string[]>();
  for (const { articleId } of byDate) {
    const storyId = storyOf.get(articleId) ?? null;
    const teamIds = newTags.get(articleId) ?? [];
    if (storyId === null) {
      newsTo.set(articleId, teamIds);
      continue;
    }
    const reached = covered.get(storyId) ?? new Set<string>();
    newsTo.set(
      articleId,
      teamIds.filter((teamId) => !reached.has(teamId)),
    );
    for (const teamId of teamIds) reached.add(teamId);
    covered.set(storyId, reached);
  }
  const reported = new Set<string>();
  for (const { articleId, created: isNew } of placements) {
    if (reported.has(articleId)) continue;
    reported.add(articleId);
    if (isNew) result.created.push({ articleId, teamIds: newsTo.get(articleId) ?? [] });
    else result.linked.push({ articleId, teamIds: newTags.get(articleId) ?? [] });
  }
}

/** A team tag to add; `publishedAt` is the article's, copied for per-team keyset pagination. */
interface TagRow {
  articleId: string;
  teamId: string;
  matchedBy: MatchedBy;
  publishedAt: Date;
}

/**
 * Inserts the team tags that are missing; returns the newly tagged teams per article. The enum
 * array travels as `text[]`: a driver that does not know the enum's array type (PGlite before it
 * reloads its type cache) would otherwise send it as comma-joined text.
 */
async function insertTags(tx: Transaction, tags: TagRow[]): Promise<Map<string, string[]>> {
  const unique = [...new Map(tags.map((tag) => [`${tag.articleId}\u0000${tag.teamId}`, tag])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, tag]) => tag);
  const added = new Map<string, string[]>();
  for (let start = 0; start < unique.length; start += CHUNK) {
    const batch = unique.slice(start, start + CHUNK);
    const rows = await tx.query<{ articleId: string; teamId: string }>(
      Prisma.sql`
      INSERT INTO "ArticleTeam" ("articleId", "teamId", "matchedBy", "publishedAt")
      SELECT * FROM unnest(
        ${batch.map((tag) => tag.articleId)}::uuid[],
        ${batch.map((tag) => tag.teamId)}::text[],
        ${batch.map((tag) => tag.matchedBy)}::text[]::"MatchedBy"[],
        ${batch.map((tag) => tag.publishedAt.toISOString())}::timestamptz[])
      ON CONFLICT DO NOTHING
      RETURNING "articleId"::text AS "articleId", "teamId"`,
      PREPARED,
    );
    for (const row of rows) added.set(row.articleId, [...(added.get(row.articleId) ?? []), row.teamId].sort());
  }
  return added;
}

/** A new Article row, its id chosen here so a conflict (an existing canonical URL) can be told apart. */
interface ArticleRow {
  id: string;
  sourceId: string;
  title: string;
  url: string | null;
  canonicalUrl: string | null;
  fingerprint: string;
  /** Set when the article tells a story another source's article told first. */
  storyId: string | null;
  author: string | null;
  summary: string | null;
  contentHtml: string | null;
  publishedAt: Date;
  fetchedAt: Date;
  updatedAt: Date;
}

function articleRow(source: { id: string }, item: FeedEntry, now: Date): ArticleRow {
  return {
    id: uuidv7(),
    sourceId: source.id,
    title: item.title,
    url: item.url ?? null,
    canonicalUrl: item.canonicalUrl ?? null,
    fingerprint: fingerprintOf(item),
    storyId: null,
    author: item.author ?? null,
    summary: item.summary === '' ? null : item.summary,
    contentHtml: item.contentHtml ?? null,
    publishedAt: item.publishedAt,
    fetchedAt: now,
    updatedAt: item.updatedAt ?? item.publishedAt,
  };
}

/*
 * The bulk inserts are one INSERT … SELECT FROM unnest(column arrays) each: one parameter per
 * column whatever the row count (far below Postgres' 65535 bind parameters). Prisma's
 * createManyAndReturn binds every value on its own, which made storing a feed about twice as slow
 * (bench/ingest). ON CONFLICT DO NOTHING is its skipDuplicates.
 */

/** Inserts the articles no other row conflicts with; returns the ids that went in. */
async function insertArticles(tx: Transaction, rows: ArticleRow[]): Promise<string[]> {
  const column = <T>(pick: (row: ArticleRow) => T) => rows.map(pick);
  const inserted = await tx.query<{ id: string }>(
    Prisma.sql`
    INSERT INTO "Article" ("id", "sourceId", "title", "url", "canonicalUrl", "fingerprint", "storyId", "author", "summary", "contentHtml", "publishedAt", "fetchedAt", "updatedAt")
    SELECT * FROM unnest(
      ${column((row) => row.id)}::uuid[],
      ${column((row) => row.sourceId)}::uuid[],
      ${column((row) => row.title)}::text[],
      ${column((row) => row.url)}::text[],
      ${column((row) => row.canonicalUrl)}::text[],
      ${column((row) => row.fingerprint)}::text[],
      ${column((row) => row.storyId)}::uuid[],
      ${column((row) => row.author)}::text[],
      ${column((row) => row.summary)}::text[],
      ${column((row) => row.contentHtml)}::text[],
      ${column((row) => row.publishedAt.toISOString())}::timestamptz[],
      ${column((row) => row.fetchedAt.toISOString())}::timestamptz[],
      ${column((row) => row.updatedAt.toISOString())}::timestamptz[])
    ON CONFLICT DO NOTHING
    RETURNING "id"::text AS "id"`,
    PREPARED,
  );
  return inserted.map((row) => row.id);
}

/** Links entries of a source to their articles; returns how many links were new. */
async function insertLinks(tx: Transaction, sourceId: string, placements: Placement[], now: Date): Promise<number> {
  const seenAt = placements.map(() => now.toISOString());
  const links = await tx.query<{ itemKey: string }>(
    Prisma.sql`
    INSERT INTO "ArticleSource" ("sourceId", "itemKey", "articleId", "contentHash", "firstSeenAt", "lastSeenAt", "aliasKeys")
    SELECT u."sourceId", u."itemKey", u."articleId", u."contentHash", u."firstSeenAt", u."lastSeenAt",
      CASE WHEN u."aliases" = '' THEN ARRAY[]::text[] ELSE string_to_array(u."aliases", chr(31)) END
    FROM unnest(
      ${placements.map(() => sourceId)}::uuid[],
      ${placements.map(({ item }) => item.itemKey)}::text[],
      ${placements.map(({ articleId }) => articleId)}::uuid[],
      ${placements.map(({ item }) => item.contentHash)}::text[],
      ${seenAt}::timestamptz[],
      ${seenAt}::timestamptz[],
      ${placements.map(({ item }) => (item.aliasKeys ?? []).join(ALIAS_SEPARATOR))}::text[])
      AS u("sourceId", "itemKey", "articleId", "contentHash", "firstSeenAt", "lastSeenAt", "aliases")
    ON CONFLICT DO NOTHING
    RETURNING "itemKey"`,
    PREPARED,
  );
  return links.length;
}

/**
 * The content fingerprint stored on Article: case- and spacing-insensitive title plus summary, so
 * the same story under two URLs can be recognised later.
 */
export function fingerprintOf(item: Pick<FeedEntry, 'title' | 'summary'>): string {
  const normalized = `${item.title}\n${item.summary}`.normalize('NFKC').toLocaleLowerCase('und').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normalized).digest('hex');
}

/** Losing a race with a concurrent run (see `isTransactionConflict`) is worth another go; everything else is a real error. */
function isRetryable(error: unknown): boolean {
  return error instanceof VanishedRowError || error instanceof ConcurrentRunError || isTransactionConflict(error);
}
