/**
 * Resumable event streams: what every subscription procedure yields.
 *
 * A stream subscribes first, then reads the database, then follows live events, yielding every
 * event of its teams exactly once and in id order, so a client that reconnects with the last id
 * it saw (`lastEventId`) misses nothing and sees nothing twice.
 *
 * Why that holds with many processes. Event ids come from a Postgres sequence when the row is
 * inserted, and commits can finish in another order than `nextval` ran: id 11 could become
 * visible before id 10, a stream would yield 11 and later drop 10 as "already seen". The store
 * (`store.ts`) rules this out: each insert holds a transaction advisory lock from `nextval` to
 * COMMIT, so id order is commit order and, once an event is visible, every event with a smaller
 * id is visible too (or was rolled back and never will be). Publishing happens after the commit.
 * That makes the database a complete answer to "what came after id N?" at any moment, and:
 *
 * 1. Subscribe to every team first, buffering live events, so nothing committed from then on
 *    can slip between the database read and the live stream.
 * 2. Start from `lastEventId` (for a fresh subscription: from the newest id stored before
 *    subscribing) and read the log after it in pages.
 * 3. Follow the live buffer. Live events can arrive out of order (another process was slower to
 *    PUBLISH) or not at all (Redis dropped the subscriber connection). When the buffered ids
 *    continue the last yielded id without a hole, yield them; otherwise, or after a Redis
 *    reconnection, read the database after the last yielded id instead. Whatever the live event
 *    announced is in the database by then (it was committed before it was published), and so
 *    is everything before it. Live events at or below the last yielded id are dropped.
 *
 * Ids are global across teams, so a stream of one team usually sees holes and step 3 usually
 * costs one indexed query per wake-up; streams that ask the same question at the same time share
 * it when that is safe (`shared-reads.ts`), and a burst of live events is one query, not one per
 * event.
 *
 * A slow consumer must not make the process hold an unbounded backlog: when more than
 * `bufferLimit` live events wait, the stream stops listening at once and throws
 * `SlowConsumerError` to the consumer, which reconnects with its last id and catches up from the
 * database in pages.
 */
import { AppError } from '@pressbox/db';
import type { EventBus } from './interface.ts';
import { eventIdSchema, type EventType, type StoredEvent } from './schema.ts';
import { sharedReplay, tick } from './shared-reads.ts';
import { Wakeup } from './wakeup.ts';

/** The consumer fell too far behind the live events; reconnect with the last id to resume. */
export class SlowConsumerError extends AppError {
  override name = 'SlowConsumerError';
  constructor(readonly bufferLimit: number) {
    super(
      'SERVICE_UNAVAILABLE',
      `More than ${bufferLimit} events waited for this subscription; reconnect with the last event id to resume`,
    );
  }
}

export interface ResumableStreamOptions {
  bus: EventBus;
  teamIds: readonly string[];
  /** The last id the client saw; null or undefined = only events from now on. */
  lastEventId?: string | null | undefined;
  /** Only these kinds; omitted = every kind. */
  types?: readonly EventType[] | undefined;
  /** Ends the stream (normally, without an error) when aborted. */
  signal?: AbortSignal | undefined;
  /** Live events that may wait for the consumer before it is cut off (default 1000). */
  bufferLimit?: number | undefined;
  /** Rows per database read (default 100). */
  pageSize?: number | undefined;
}

export const DEFAULT_BUFFER_LIMIT = 1000;
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Yields the stored events of some teams after `lastEventId`, then live ones, in id order,
 * without gaps or duplicates (see the comment at the top of this file). Subscriptions are
 * released when the consumer stops: `return()`, `throw()`, an abort, or an error.
 *
 * @example
 * // in a tRPC subscription
 * for await (const event of resumableStream({ bus, teamIds: [input.teamId], lastEventId: input.lastEventId, types: ['news.created'], signal })) {
 *   yield tracked(event.id, event);
 * }
 */
export async function* resumableStream(options: ResumableStreamOptions): AsyncGenerator<StoredEvent, void, undefined> {
  const { bus, signal } = options;
  const settings = streamSettings(options);
  const inbox = new LiveInbox(settings.bufferLimit);
  const unsubscribers: (() => Promise<void>)[] = [];
  let released: Promise<void> | undefined;
  const release = () => (released ??= Promise.allSettled(unsubscribers.map((unsubscribe) => unsubscribe())).then(() => undefined));
  inbox.onOverflow = () => void release();
  /** True when the consumer aborted; throws when it fell behind. Checked after every yield. */
  const interrupted = (): boolean => {
    if (inbox.overflowed) throw new SlowConsumerError(settings.bufferLimit);
    return signal?.aborted === true;
  };
  const onAbort = () => {
    inbox.wake();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    if (signal?.aborted) return;
    // Read before subscribing: whatever commits in between is read from the log below.
    const newest = BigInt((await bus.latestId()) ?? '0');
    unsubscribers.push(...(await subscribeAll(bus, settings.teamIds, inbox)));
    inbox.mark = tick();

    // An id from the future (another deployment, a restored database) would hide every live event.
    const cursor = { lastSeen: settings.requested !== undefined && settings.requested < newest ? settings.requested : newest };
    let readLog = true;
    inbox.floor = cursor.lastSeen;

    for (;;) {
      if (interrupted()) return;
      if (readLog || inbox.takeReconnect()) {
        readLog = false;
        for await (const event of logAfter(bus, settings, cursor, inbox)) {
          yield event;
          if (interrupted()) return;
        }
        continue;
      }
      const batch = inbox.take();
      if (batch.length === 0) {
        await inbox.wait();
        continue;
      }
      if (!continues(cursor.lastSeen, batch)) {
        readLog = true;
        continue;
      }
      for (const event of liveAfter(batch, settings, cursor, inbox)) {
        yield event;
        if (interrupted()) return;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await release();
  }
}

interface StreamSettings {
  teamIds: string[];
  types: readonly EventType[] | undefined;
  wanted: Set<string> | undefined;
  requested: bigint | undefined;
  bufferLimit: number;
  pageSize: number;
}

function streamSettings(options: ResumableStreamOptions): StreamSettings {
  const bufferLimit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(bufferLimit) || bufferLimit < 1) throw new RangeError('bufferLimit must be a positive integer');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new RangeError('pageSize must be an integer from 1 to 1000');
  let requested: bigint | undefined;
  if (options.lastEventId !== undefined && options.lastEventId !== null) {
    const parsed = eventIdSchema.safeParse(options.lastEventId);
    if (!parsed.success) throw new AppError('BAD_REQUEST', 'lastEventId is not an event id');
    requested = BigInt(parsed.data);
  }
  return {
    teamIds: [...new Set(options.teamIds)],
    types: options.types,
    wanted: options.types ? new Set<string>(options.types) : undefined,
    requested,
    bufferLimit,
    pageSize,
  };
}

/** Subscribes the inbox to every team; when one fails, the others are released and it throws. */
async function subscribeAll(bus: EventBus, teamIds: readonly string[], inbox: LiveInbox): Promise<(() => Promise<void>)[]> {
  const subscribed = await Promise.allSettled(
    teamIds.map((teamId) => bus.subscribe({ teamId }, inbox.push, { onReconnect: inbox.reconnected })),
  );
  const unsubscribers = subscribed.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = subscribed.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await Promise.allSettled(unsubscribers.map((unsubscribe) => unsubscribe()));
    throw failed.reason;
  }
  return unsubscribers;
}

/** The stored events after the cursor, in pages; each one moves the cursor and the inbox floor. */
async function* logAfter(
  bus: EventBus,
  settings: StreamSettings,
  cursor: { lastSeen: bigint },
  inbox: LiveInbox,
): AsyncGenerator<StoredEvent> {
  // The read must begin after every live event taken so far was received (shared-reads.ts).
  const notBefore = inbox.mark;
  let after = cursor.lastSeen;
  for (;;) {
    const query = { teamIds: settings.teamIds, afterId: after.toString(), types: settings.types, limit: settings.pageSize };
    const page = await sharedReplay(bus, query, notBefore);
    for (const event of page) {
      const id = BigInt(event.id);
      if (id <= cursor.lastSeen) continue;
      cursor.lastSeen = id;
      inbox.floor = id;
      yield event;
    }
    const last = page.at(-1);
    if (!last || page.length < settings.pageSize) return;
    after = BigInt(last.id);
  }
}

/** The live events of a contiguous batch that the consumer wants; every id moves the cursor. */
function* liveAfter(
  batch: readonly StoredEvent[],
  settings: StreamSettings,
  cursor: { lastSeen: bigint },
  inbox: LiveInbox,
): Generator<StoredEvent> {
  for (const event of batch) {
    const id = BigInt(event.id);
    if (id <= cursor.lastSeen) continue;
    cursor.lastSeen = id;
    inbox.floor = id;
    // Other kinds still advance lastSeen: they are the ids that make the batch contiguous.
    if (settings.wanted && !settings.wanted.has(event.type)) continue;
    yield event;
  }
}

/** True when the sorted batch starts right after `lastSeen` and has no hole. */
function continues(lastSeen: bigint, batch: readonly StoredEvent[]): boolean {
  let expected = lastSeen + 1n;
  for (const event of batch) {
    if (BigInt(event.id) !== expected) return false;
    expected++;
  }
  return true;
}

/** Live events waiting for the stream, bounded, with a way to sleep until something happens. */
class LiveInbox {
  /** Events at or below this id were already yielded and are not kept. */
  floor = 0n;
  /** When the newest event or reconnection notice arrived (a `tick()`). */
  mark = 0;
  overflowed = false;
  onOverflow: () => void = () => undefined;
  private events: StoredEvent[] = [];
  private reconnect = false;
  private readonly wakeup = new Wakeup();

  constructor(private readonly limit: number) {}

  readonly push = (event: StoredEvent): void => {
    if (this.overflowed || BigInt(event.id) <= this.floor) return;
    this.mark = tick();
    if (this.events.length >= this.limit) {
      this.overflowed = true;
      this.events = [];
      this.onOverflow();
    } else {
      this.events.push(event);
    }
    this.wake();
  };

  readonly reconnected = (): void => {
    this.mark = tick();
    this.reconnect = true;
    this.wake();
  };

  takeReconnect(): boolean {
    const value = this.reconnect;
    this.reconnect = false;
    return value;
  }

  /** Everything above the floor, sorted by id, each id once. */
  take(): StoredEvent[] {
    const taken = this.events;
    this.events = [];
    const byId = new Map<bigint, StoredEvent>();
    for (const event of taken) {
      const id = BigInt(event.id);
      if (id > this.floor) byId.set(id, event);
    }
    return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, event]) => event);
  }

  wait(): Promise<void> {
    return this.wakeup.until(this.events.length > 0 || this.reconnect || this.overflowed);
  }

  wake(): void {
    this.wakeup.wake();
  }
}
