import { AppError, Prisma, type Event as EventRow, type PrismaClient } from '@pressbox/db';
import { z } from 'zod';
import type { EventBusReporter, ReplayQuery } from './interface.ts';
import { eventIdSchema, newEventSchema, storedEventSchema, type NewEvent, type StoredEvent } from './schema.ts';

/**
 * Key of the transaction-level advisory lock every event insert takes. Holding it from `nextval`
 * to COMMIT makes id order equal commit order across all processes: once an event is visible,
 * every event with a smaller id is visible too (or never will be). `resume.ts` relies on this.
 */
const EVENT_INSERT_LOCK = 7_270_736_901n;

const MAX_REPLAY_LIMIT = 1000;

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

/** The durable half of every event bus: the Event table. */
export interface EventStore {
  /** Validates and stores an event; the row is committed when this resolves. */
  insert(event: NewEvent): Promise<StoredEvent>;
  replay(query: ReplayQuery): Promise<readonly StoredEvent[]>;
  latestId(): Promise<string | undefined>;
  /** Rows replay skipped because they no longer match the schemas. */
  invalidRows(): number;
}

/**
 * Reads and writes the Event table for both bus implementations.
 *
 * @example
 * const store = createEventStore(db.prisma, () => undefined);
 * const stored = await store.insert({ type: 'dashboard.updated', teamId: 'nba-bos', data: { teamId: 'nba-bos', reason: 'game final' } });
 */
export function createEventStore(prisma: PrismaClient, report: EventBusReporter): EventStore {
  let invalidRows = 0;

  function fromRow(row: EventRow): StoredEvent | undefined {
    const result = storedEventSchema.safeParse({
      id: row.id.toString(),
      type: row.type,
      teamId: row.teamId ?? undefined,
      at: row.at.toISOString(),
      data: row.data,
    });
    if (result.success) return result.data;
    invalidRows++;
    report({ kind: 'invalid-row', error: result.error });
    return undefined;
  }

  async function readPage(teamIds: string[], afterId: bigint, types: string[] | undefined, limit: number): Promise<readonly StoredEvent[]> {
    const rows = await prisma.event.findMany({
      where: { teamId: { in: teamIds }, id: { gt: afterId }, ...(types ? { type: { in: types } } : {}) },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(fromRow).filter((event) => event !== undefined);
  }

  return {
    async insert(event) {
      const valid = newEventSchema.parse(event);
      // One statement in its own transaction: the lock is taken before `nextval` and released by
      // the commit, with no client round trip in between. Every publisher of the deployment
      // queues on this lock, so the time it is held bounds the events per second of all of them
      // (an interactive transaction held it across four round trips).
      const [inserted] = await prisma.$queryRaw<unknown[]>(Prisma.sql`
        WITH "lock" AS MATERIALIZED (SELECT pg_advisory_xact_lock(${EVENT_INSERT_LOCK}))
        INSERT INTO "Event" ("type", "teamId", "data")
        SELECT ${valid.type}, ${valid.teamId}, ${JSON.stringify(valid.data)}::jsonb FROM "lock"
        RETURNING "id", "type", "teamId", "data", "at"`);
      const row: EventRow = insertedRowSchema.parse(inserted);
      const stored = fromRow(row);
      if (!stored) throw new Error(`Event ${row.id.toString()} was stored but does not read back as a valid event`);
      return stored;
    },

    replay(query) {
      if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_REPLAY_LIMIT) {
        return Promise.reject(new RangeError(`replay limit must be an integer from 1 to ${MAX_REPLAY_LIMIT}`));
      }
      const after = eventIdSchema.safeParse(query.afterId ?? '0');
      if (!after.success) return Promise.reject(new AppError('BAD_REQUEST', 'lastEventId is not an event id'));
      const teamIds = [...new Set(query.teamIds)];
      if (teamIds.length === 0) return Promise.resolve([]);
      const types = query.types ? [...new Set(query.types)] : undefined;
      return readPage(teamIds, BigInt(after.data), types, query.limit);
    },

    async latestId() {
      const row = await prisma.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
      return row?.id.toString();
    },

    invalidRows: () => invalidRows,
  };
}
