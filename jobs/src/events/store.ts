import {
  AppError,
  eventRowsAfter,
  type EventInsert,
  insertEventRow,
  lastEventIdBefore,
  latestEventId,
  readEventRows,
  type Event as EventRow,
  type PrismaClient,
} from '@pressbox/db';
import type { EventBusReporter, ReplayQuery } from './interface.ts';
import { eventIdSchema, newEventSchema, storedEventSchema, type NewEvent, type StoredEvent } from './schema.ts';

const MAX_REPLAY_LIMIT = 1000;
const RELAY_START_MARGIN_MS = 60_000;

/**
 * Validates an event for `insertEventRows`, which writes it inside the transaction of the data it
 * announces; the relay publishes it once committed.
 */
export function toEventInsert(event: NewEvent): EventInsert {
  const valid = newEventSchema.parse(event);
  return { type: valid.type, teamId: valid.teamId, data: valid.data };
}

/** The durable half of every event bus: the Event table. */
export interface EventStore {
  /** Validates and stores an event; the row is committed when this resolves. */
  insert(event: NewEvent): Promise<StoredEvent>;
  replay(query: ReplayQuery): Promise<readonly StoredEvent[]>;
  latestId(): Promise<string | undefined>;
  /** Committed events of every team after an id, for the relay; `lastId` is the last row read, valid or not. */
  after(afterId: bigint, limit: number): Promise<{ events: readonly StoredEvent[]; lastId: bigint | undefined }>;
  /**
   * Where a relay without a recorded cursor starts: after the events older than a minute. Newer
   * ones are published (again) rather than risk skipping a row that committed while the relay
   * was starting; streams drop ids they already yielded.
   */
  relayStart(): Promise<bigint>;
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
    const rows = await readEventRows(prisma, { teamIds, afterId, types, limit });
    return rows.map(fromRow).filter((event) => event !== undefined);
  }

  return {
    async insert(event) {
      const valid = newEventSchema.parse(event);
      const row = await insertEventRow(prisma, { type: valid.type, teamId: valid.teamId, data: valid.data });
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
      return (await latestEventId(prisma))?.toString();
    },

    async after(afterId, limit) {
      const rows = await eventRowsAfter(prisma, afterId, limit);
      return { events: rows.map(fromRow).filter((event) => event !== undefined), lastId: rows.at(-1)?.id };
    },

    relayStart: () => lastEventIdBefore(prisma, new Date(Date.now() - RELAY_START_MARGIN_MS)),

    invalidRows: () => invalidRows,
  };
}
