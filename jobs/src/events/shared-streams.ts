/**
 * One live stream per (team, event kinds) per process, shared by every subscriber of it.
 *
 * A popular team has hundreds of subscribers in one process; each following the bus and the log
 * on its own costs one listener call, one buffer and one log read per event per subscriber. Here
 * one `resumableStream` (the head) follows the team and hands each event to every subscriber's
 * own bounded queue, so a slow subscriber only fills its own queue and is cut off alone.
 *
 * Joining. A subscriber attaches to the head and, in the same synchronous step, notes the last id
 * the head yielded (`joinedAt`); from then on its queue receives every event after `joinedAt`.
 * The head only yields an id once everything before it is committed (see `resume.ts`), so the log
 * is complete up to `joinedAt`: a subscriber resuming from an older id reads the log from there
 * up to `joinedAt`, then drains its queue — no gap, no duplicate. One resuming from an id past
 * `joinedAt` drops queued events up to its id.
 *
 * The head is released when its last subscriber leaves. When the head itself fails (the bus
 * refused to subscribe, the log could not be read) every subscriber gets the error.
 */
import { AppError } from '@pressbox/db';
import type { EventBus } from './interface.ts';
import { DEFAULT_BUFFER_LIMIT, DEFAULT_PAGE_SIZE, resumableStream, SlowConsumerError, type ResumableStreamOptions } from './resume.ts';
import { eventIdSchema, type EventType, type StoredEvent } from './schema.ts';
import { Wakeup } from './wakeup.ts';

/** As for `resumableStream`, for one team; `bufferLimit` bounds this subscriber's own queue. */
export type SharedTeamStreamOptions = Omit<ResumableStreamOptions, 'teamIds'> & { teamId: string };

class Subscriber {
  queue: StoredEvent[] = [];
  failure: Error | undefined = undefined;
  overflowed = false;
  private readonly wakeup = new Wakeup();
  constructor(readonly limit: number) {}

  push(event: StoredEvent): void {
    if (this.overflowed) return;
    if (this.queue.length >= this.limit) {
      this.overflowed = true;
      this.queue = [];
    } else {
      this.queue.push(event);
    }
    this.wake();
  }

  fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
    this.wake();
  }

  wait(): Promise<void> {
    return this.wakeup.until(this.queue.length > 0 || this.overflowed || this.failure !== undefined);
  }

  wake(): void {
    this.wakeup.wake();
  }
}

class Head {
  readonly subscribers = new Set<Subscriber>();
  /** The last id yielded by the head (or where it started). */
  lastYielded: bigint;
  private readonly abort = new AbortController();

  constructor(
    readonly bus: EventBus,
    readonly teamId: string,
    readonly types: readonly EventType[] | undefined,
    start: bigint,
    private readonly onEnd: () => void,
  ) {
    this.lastYielded = start;
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const stream = resumableStream({
          bus: this.bus,
          teamIds: [this.teamId],
          types: this.types,
          lastEventId: this.lastYielded.toString(),
          signal: this.abort.signal,
        });
        try {
          for await (const event of stream) {
            this.lastYielded = BigInt(event.id);
            for (const subscriber of this.subscribers) subscriber.push(event);
          }
          return;
        } catch (error) {
          // The head itself fell behind (a long stall): it resumes from its last id.
          if (!(error instanceof SlowConsumerError) || this.abort.signal.aborted) throw error;
        }
      }
    } catch (error) {
      for (const subscriber of this.subscribers) subscriber.fail(error);
    } finally {
      this.onEnd();
    }
  }

  leave(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) {
      this.onEnd();
      this.abort.abort();
    }
  }
}

const headsByBus = new WeakMap<EventBus, Map<string, Head>>();

function headsOf(bus: EventBus): Map<string, Head> {
  let heads = headsByBus.get(bus);
  if (!heads) {
    heads = new Map();
    headsByBus.set(bus, heads);
  }
  return heads;
}

/** Shared heads and their subscribers in this process, for metrics and tests. */
export function sharedStreamStats(bus: EventBus, teamId?: string): { heads: number; subscribers: number } {
  let heads = 0;
  let subscribers = 0;
  for (const head of headsOf(bus).values()) {
    if (teamId !== undefined && head.teamId !== teamId) continue;
    heads += 1;
    subscribers += head.subscribers.size;
  }
  return { heads, subscribers };
}

function parseId(lastEventId: string | null | undefined): bigint | undefined {
  if (lastEventId === undefined || lastEventId === null) return undefined;
  const parsed = eventIdSchema.safeParse(lastEventId);
  if (!parsed.success) throw new AppError('BAD_REQUEST', 'lastEventId is not an event id');
  return BigInt(parsed.data);
}

/**
 * The running head of (team, kinds), or a new one starting at `newest`. Joining a running head
 * skips the bus's own subscribe, which refuses within a moment while the bus cannot deliver (a
 * Redis outage): the bus is asked the same question, so such a join fails as promptly.
 */
async function headFor(bus: EventBus, teamId: string, types: readonly EventType[] | undefined, newest: bigint): Promise<Head> {
  const heads = headsOf(bus);
  const key = JSON.stringify([teamId, types ?? null]);
  if (heads.has(key)) {
    const release = await bus.subscribe({ teamId }, () => undefined);
    await release();
  }
  const running = heads.get(key);
  if (running) return running;
  const created: Head = new Head(bus, teamId, types, newest, () => {
    if (heads.get(key) === created) heads.delete(key);
  });
  heads.set(key, created);
  return created;
}

/**
 * The events of one team after `lastEventId`, in id order, without gaps or duplicates, like
 * `resumableStream`, but following the live events through the process's shared head.
 *
 * @example
 * for await (const event of sharedTeamStream({ bus, teamId: 'nba-bos', lastEventId, types: ['news.created'], signal })) send(event);
 */
export async function* sharedTeamStream(options: SharedTeamStreamOptions): AsyncGenerator<StoredEvent, void, undefined> {
  const { bus, teamId, signal } = options;
  const bufferLimit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(bufferLimit) || bufferLimit < 1) throw new RangeError('bufferLimit must be a positive integer');
  const requested = parseId(options.lastEventId);
  const types = options.types ? [...new Set(options.types)].sort() : undefined;
  if (signal?.aborted) return;

  // An id from the future (another deployment, a restored database) would hide every live event.
  const newest = BigInt((await bus.latestId()) ?? '0');
  const resumeFrom = requested !== undefined && requested <= newest ? requested : undefined;
  const head = await headFor(bus, teamId, types, newest);
  const subscriber = new Subscriber(bufferLimit);
  const joinedAt = head.lastYielded;
  head.subscribers.add(subscriber);
  // Read per event: a plain flag costs less than the `signal.aborted` getter.
  let aborted = signal?.aborted === true;
  const onAbort = () => {
    aborted = true;
    subscriber.wake();
  };
  const stopped = () => aborted;
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    let lastSeen = resumeFrom ?? joinedAt;
    // Catch up from the log up to where the head was when this subscriber joined.
    let after = lastSeen;
    while (after < joinedAt) {
      const page = await bus.replay({ teamIds: [teamId], afterId: after.toString(), types, limit: pageSize });
      for (const event of page) {
        const id = BigInt(event.id);
        if (id > joinedAt) break;
        if (id <= lastSeen) continue;
        lastSeen = id;
        yield event;
        if (stopped()) return;
      }
      const last = page.at(-1);
      if (!last || page.length < pageSize) break;
      after = BigInt(last.id);
    }
    if (lastSeen < joinedAt) lastSeen = joinedAt;

    for (;;) {
      if (stopped()) return;
      throwIfOverflowed(subscriber);
      if (subscriber.queue.length === 0 && subscriber.failure !== undefined) throw subscriber.failure;
      if (subscriber.queue.length === 0) {
        await subscriber.wait();
        continue;
      }
      const batch = subscriber.queue;
      subscriber.queue = [];
      for (const event of batch) {
        const id = BigInt(event.id);
        if (id <= lastSeen) continue;
        lastSeen = id;
        yield event;
        if (stopped()) return;
        throwIfOverflowed(subscriber);
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    head.leave(subscriber);
  }
}

/** Cuts a subscriber off once its queue overflowed (checked after every yield). */
function throwIfOverflowed(subscriber: Subscriber): void {
  if (subscriber.overflowed) throw new SlowConsumerError(subscriber.limit);
}
