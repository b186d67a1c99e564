import type { DatabaseKind, PrismaClient } from '@pressbox/db';
import type { Redis } from 'ioredis';
import {
  createMemoryEventBus,
  createRedisEventBus,
  type EventBus,
  type EventBusReporter,
  type NewEvent,
  type StoredEvent,
} from '@pressbox/jobs';
import { databaseAvailable, openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { redisAvailable, uniquePrefix } from '../support/redis.ts';
import { until } from '../support/waiting.ts';

/** The event bus under test, for the suites of this folder. */
export * from '@pressbox/jobs';

export type BusKind = 'memory' | 'redis';

/** Every bus over every database: the table most event suites run through. */
export const busSetups: [BusKind, DatabaseKind][] = [
  ['memory', 'pglite'],
  ['memory', 'postgres'],
  ['redis', 'pglite'],
  ['redis', 'postgres'],
];

export function setupAvailable(bus: BusKind, database: DatabaseKind): boolean {
  return databaseAvailable(database) && (bus === 'memory' || redisAvailable());
}

export interface BusFixture {
  database: TestDatabase;
  /** Redis prefix (and connection name) private to this fixture. */
  prefix: string;
  bus: EventBus;
  /** Another bus on the same prefix, as a second process would open it. */
  openPeer(options?: { prisma?: PrismaClient; report?: EventBusReporter }): EventBus;
  close(): Promise<void>;
}

/** A private database and a bus of the given kind over it; `close()` releases both. */
export async function openBusFixture(kind: BusKind, databaseKind: DatabaseKind): Promise<BusFixture> {
  const database = await openTestDatabase(databaseKind);
  const prefix = uniquePrefix('pbtev');
  const opened: EventBus[] = [];
  const open = (prisma: PrismaClient, name: string, report?: EventBusReporter): EventBus => {
    const bus =
      kind === 'memory'
        ? createMemoryEventBus({ prisma, ...(report ? { report } : {}) })
        : createRedisEventBus({ prisma, url: redisUrl, prefix, name, ...(report ? { report } : {}) });
    opened.push(bus);
    return bus;
  };
  let peers = 0;
  return {
    database,
    prefix,
    bus: open(database.db.prisma, prefix),
    openPeer: (options = {}) => open(options.prisma ?? database.db.prisma, `${prefix}-peer${String(++peers)}`, options.report),
    close: async () => {
      for (const bus of opened) await bus.close();
      await database.close();
    },
  };
}

let sequence = 0;

/** A valid `dashboard.updated` event of a team; the reason tells events apart. */
export function dashboardEvent(teamId: string, reason = `r${String(++sequence)}`): NewEvent {
  return { type: 'dashboard.updated', teamId, data: { teamId, reason } };
}

/** A valid `summary.updated` event of a team. */
export function summaryEvent(teamId: string): NewEvent {
  return {
    type: 'summary.updated',
    teamId,
    data: { teamId, length: 'MEDIUM', summaryId: `sum-${String(++sequence)}`, generatedAt: '2026-11-26T15:04:05.000Z' },
  };
}

/** A valid `news.created` event of a team, the item tagged with that team. */
export function newsEvent(teamId: string, title = `Story ${String(++sequence)}`): NewEvent {
  return {
    type: 'news.created',
    teamId,
    data: {
      id: `0195f0e2-0000-7000-8000-${String(++sequence).padStart(12, '0')}`,
      title,
      url: 'https://news.example/story',
      author: 'A. Writer',
      summary: 'Short text.',
      contentHtml: '<p>Short text.</p>',
      publishedAt: '2026-11-26T15:04:05.000Z',
      updatedAt: '2026-11-26T15:04:05.000Z',
      source: { id: 'source-1', name: 'News Example' },
      teams: [{ id: teamId, matchedBy: 'SOURCE' }],
      alsoFrom: [],
    },
  };
}

/** Kills a bus's subscriber connection (named after it) the way a network failure or a Redis restart would. */
export async function killSubscriber(redis: Redis, connectionName: string): Promise<void> {
  const list = (await redis.client('LIST')) as string;
  const line = list.split('\n').find((entry) => entry.includes(` name=pressbox:${connectionName}:events-sub `));
  const id = /^id=(\d+)/.exec(line ?? '')?.[1];
  if (!id) throw new Error(`no subscriber connection named ${connectionName}`);
  await redis.client('KILL', 'ID', id);
}

export { until };

/** The next value of an iterator, or a rejection after `timeoutMs` instead of a hung test. */
export async function nextWithin<T>(iterator: AsyncIterator<T>, timeoutMs = 5_000): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`No value within ${String(timeoutMs)} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Pulls `count` values from a stream, each within the deadline. */
export async function take(iterator: AsyncIterator<StoredEvent>, count: number, timeoutMs = 5_000): Promise<StoredEvent[]> {
  const values: StoredEvent[] = [];
  while (values.length < count) {
    const result = await nextWithin(iterator, timeoutMs);
    if (result.done) throw new Error(`The stream ended after ${String(values.length)} of ${String(count)} events`);
    values.push(result.value);
  }
  return values;
}

/** The id of the event a stream yielded; undefined when it had ended. */
export function idOf(result: IteratorResult<StoredEvent, unknown>): string | undefined {
  return result.done ? undefined : result.value.id;
}

/** Ids as numbers, to compare orders readably. */
export function ids(events: readonly { id: string }[]): number[] {
  return events.map((event) => Number(event.id));
}
