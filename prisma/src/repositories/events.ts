import { z } from 'zod';
import { Prisma, type Event as EventRow, type PrismaClient } from '../generated/prisma/client.ts';
import { runnerOf, type SqlTarget } from './sql-target.ts';

/**
 * Key of the transaction-level advisory lock every event insert takes. Holding it from `nextval`
 * to COMMIT makes id order equal commit order across all processes: once an event is visible,
 * every event with a smaller id is visible too (or never will be). Resumable streams rely on this.
 */
export const EVENT_INSERT_LOCK = 7_270_736_901n;

/** A row as the INSERT … RETURNING gives it back (drivers differ in how they type bigint and time). */
const insertedRowSchema = z.object({
  id: z.union([z.bigint(), z.number().int(), z.string().regex(/^[0-9]+$/)]).transform((id) => BigInt(id)),
  type: z.string(),
  teamId: z.string().nullable(),
  data: z
    .unknown()
    .transform((data): EventRow['data'] =>
      typeof data === 'string' ? (JSON.parse(data) as EventRow['data']) : (data as EventRow['data']),
    ),
  at: z.union([z.date(), z.string()]).transform((at) => new Date(at)),
});

/** An event row to insert; `data` is already validated JSON. */
export interface EventInsert {
  type: string;
  teamId: string | null;
  data: unknown;
}

/**
 * Inserts one event in its own statement: the lock is taken before `nextval` and released by the
 * commit, with no client round trip in between. Every publisher of the deployment queues on this
 * lock, so the time it is held bounds the events per second of all of them.
 */
export async function insertEventRow(prisma: PrismaClient, event: EventInsert): Promise<EventRow> {
  const [inserted] = await prisma.$queryRaw<unknown[]>(Prisma.sql`
    WITH "lock" AS MATERIALIZED (SELECT pg_advisory_xact_lock(${EVENT_INSERT_LOCK}))
    INSERT INTO "Event" ("type", "teamId", "data")
    SELECT ${event.type}, ${event.teamId}, ${JSON.stringify(event.data)}::jsonb FROM "lock"
    RETURNING "id", "type", "teamId", "data", "at"`);
  return insertedRowSchema.parse(inserted);
}

/**
 * Inserts events inside the caller's transaction, in the order given, as its last statement: the
 * insert lock is then held only from here to the caller's COMMIT, and the events become visible
 * exactly when the data they announce does (nothing else of the transaction may follow, or it
 * would hold every publisher of the deployment back).
 */
export async function insertEventRows(tx: SqlTarget, events: readonly EventInsert[]): Promise<EventRow[]> {
  if (events.length === 0) return [];
  const inserted = await runnerOf(tx).query<unknown>(
    Prisma.sql`
    WITH "lock" AS MATERIALIZED (SELECT pg_advisory_xact_lock(${EVENT_INSERT_LOCK}))
    INSERT INTO "Event" ("type", "teamId", "data")
    SELECT u."type", u."teamId", u."data"::jsonb
    FROM "lock", unnest(
      ${events.map((event) => event.type)}::text[],
      ${events.map((event) => event.teamId)}::text[],
      ${events.map((event) => JSON.stringify(event.data))}::text[]) WITH ORDINALITY AS u("type", "teamId", "data", "position")
    ORDER BY u."position"
    RETURNING "id", "type", "teamId", "data", "at"`,
    { prepare: true },
  );
  return inserted.map((row) => insertedRowSchema.parse(row)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Runs `store` in one transaction and inserts the events `announce` builds from its outcome as
 * the transaction's last statement: the data and its events commit (or roll back) together.
 */
export async function storeWithEvents<T>(
  prisma: PrismaClient,
  store: (tx: Prisma.TransactionClient) => Promise<T>,
  announce: (tx: Prisma.TransactionClient, stored: T) => Promise<readonly EventInsert[]>,
): Promise<{ stored: T; events: EventRow[] }> {
  return prisma.$transaction(
    async (tx) => {
      const stored = await store(tx);
      return { stored, events: await insertEventRows(tx, await announce(tx, stored)) };
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

/** Events of every team after an id, oldest first: what the relay publishes next. */
export function eventRowsAfter(prisma: PrismaClient, afterId: bigint, limit: number): Promise<EventRow[]> {
  return prisma.event.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
}

/** The id of the newest event stored before `before`, 0 when none was. */
export async function lastEventIdBefore(prisma: PrismaClient, before: Date): Promise<bigint> {
  const row = await prisma.event.findFirst({ where: { at: { lt: before } }, orderBy: { id: 'desc' }, select: { id: true } });
  return row?.id ?? 0n;
}

/** Events of these teams after an id, oldest first. */
export function readEventRows(
  prisma: PrismaClient,
  query: { teamIds: readonly string[]; afterId: bigint; types?: readonly string[] | undefined; limit: number },
): Promise<EventRow[]> {
  return prisma.event.findMany({
    where: { teamId: { in: [...query.teamIds] }, id: { gt: query.afterId }, ...(query.types ? { type: { in: [...query.types] } } : {}) },
    orderBy: { id: 'asc' },
    take: query.limit,
  });
}

/** The id of the newest event, of one team or of all. */
export async function latestEventId(prisma: PrismaClient, teamId?: string): Promise<bigint | undefined> {
  const row = await prisma.event.findFirst({
    ...(teamId === undefined ? {} : { where: { teamId } }),
    orderBy: { id: 'desc' },
    select: { id: true },
  });
  return row?.id;
}

/**
 * The ids of the articles of the last `limit` `news.created` events of these teams up to an event
 * id, newest first.
 */
export async function newsAnnouncedUpTo(
  prisma: PrismaClient,
  teamIds: readonly string[],
  upToId: bigint,
  limit: number,
): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const rows = await prisma.$queryRaw<{ articleId: string | null }[]>(Prisma.sql`
    SELECT "data"->>'id' AS "articleId"
    FROM "Event"
    WHERE "type" = 'news.created' AND "teamId" IN (${Prisma.join([...teamIds])}) AND "id" <= ${upToId}
    ORDER BY "id" DESC
    LIMIT ${limit}`);
  return rows.flatMap((row) => (row.articleId === null ? [] : [row.articleId]));
}

/** Deletes the events older than `before`; returns how many. */
export async function pruneEvents(prisma: PrismaClient, before: Date): Promise<number> {
  return (await prisma.event.deleteMany({ where: { at: { lt: before } } })).count;
}
