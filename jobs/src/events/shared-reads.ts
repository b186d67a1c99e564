import type { EventBus, ReplayQuery } from './interface.ts';
import type { StoredEvent } from './schema.ts';

/**
 * One event of a popular team wakes every stream of that team at once, and each would ask the
 * database the same question ("what came after id N?"). Streams share one read instead, but
 * only a read that began AFTER the moment the joiner needs covered: a read already under way
 * when an event was received may have been answered before that event was committed, and
 * joining it would lose the event. Moments are ticks of one process-wide counter, which orders
 * them exactly because JavaScript runs them one at a time.
 */

let clock = 0;

/** The current moment, strictly later than every moment handed out before. */
export function tick(): number {
  clock += 1;
  return clock;
}

interface Read {
  readonly startedAt: number;
  readonly page: Promise<readonly StoredEvent[]>;
}

const readsByBus = new WeakMap<EventBus, Map<string, Read>>();

/**
 * `bus.replay(query)`, shared with an identical read that started after `notBefore`.
 *
 * @example
 * const receivedAt = tick(); // when a live event arrived
 * const page = await sharedReplay(bus, { teamIds: ['nba-bos'], afterId: '41', limit: 100 }, receivedAt);
 */
export function sharedReplay(bus: EventBus, query: ReplayQuery, notBefore: number): Promise<readonly StoredEvent[]> {
  let reads = readsByBus.get(bus);
  if (!reads) {
    reads = new Map();
    readsByBus.set(bus, reads);
  }
  const key = JSON.stringify([
    [...new Set(query.teamIds)].sort(),
    query.afterId ?? '0',
    query.types ? [...new Set(query.types)].sort() : null,
    query.limit,
  ]);
  const current = reads.get(key);
  if (current && current.startedAt > notBefore) return current.page;
  const startedAt = tick();
  const open = reads;
  const page = bus.replay(query).finally(() => {
    if (open.get(key)?.startedAt === startedAt) open.delete(key);
  });
  open.set(key, { startedAt, page });
  return page;
}
