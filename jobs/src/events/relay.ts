/**
 * The outbox relay: publication to subscribers follows from committed Event rows.
 *
 * Publishers only write rows (alone, or inside the transaction of the data they announce). A
 * relay reads the rows after its cursor in id order, hands each page to the bus's fan-out, and
 * then moves the cursor. Because every insert holds the event lock from `nextval` to COMMIT
 * (`insertEventRows`), id order is commit order, so a cursor never passes a row that is still to
 * commit. A process killed at any moment loses nothing: rows it committed are published by the
 * next pass of any relay, which continues from the last recorded cursor; a page published but not
 * yet recorded is published again, and resumable streams drop ids they already yielded.
 *
 * Who may publish is a checkpoint: in one process it is always this relay; with Redis it is a
 * lease that one process holds at a time (see `redis-checkpoint.ts`).
 */
import type { StoredEvent } from './schema.ts';
import type { EventStore } from './store.ts';

/** The right to publish and the cursor that goes with it. */
export interface RelayCheckpoint {
  /** Takes the right to publish; the cursor to continue after, or undefined while another relay holds it. */
  acquire(): Promise<bigint | undefined>;
  /** Records that every row up to `id` was published; false when the right was lost meanwhile. */
  advance(id: bigint): Promise<boolean>;
  /** Gives the right back; false (and still held) when rows were flagged meanwhile: run another pass. */
  release(): Promise<boolean>;
  /** Tells the holder that rows were committed after its pass may have read (called when `acquire` fails). */
  flag(): Promise<void>;
}

export interface EventRelayOptions {
  store: Pick<EventStore, 'after'>;
  checkpoint: RelayCheckpoint;
  /** Fans a page of events out (local listeners, or PUBLISH); a rejection leaves the cursor where it was. */
  fanOut: (events: readonly StoredEvent[]) => Promise<void>;
  /** A pass runs at least this often, so rows of a process that died before publishing go out (default 1000). */
  intervalMs?: number | undefined;
  /** Rows per read (default 500). */
  pageSize?: number | undefined;
  /** Longest `close` waits for the pass in flight, e.g. one stuck on an unreachable database (default 5000). */
  closeTimeoutMs?: number | undefined;
  onError: (error: unknown) => void;
}

export interface EventRelay {
  /** Resolves when a pass that began after this call has ended (rows committed before it are published, or flagged to the holder). */
  run(): Promise<void>;
  /**
   * Stops the timer and resolves once the pass in flight has ended, so that it gives the lease
   * back while its connection is still open; the others would otherwise wait for it to expire.
   * A pass that outlasts `closeTimeoutMs` is left to fail on its own.
   */
  close(): Promise<void>;
}

/**
 * @example
 * const relay = createEventRelay({ store, checkpoint: memoryCheckpoint(store), fanOut: async (page) => page.forEach(deliverLocally), onError: log });
 * await relay.run();
 */
export function createEventRelay(options: EventRelayOptions): EventRelay {
  const pageSize = options.pageSize ?? 500;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let closed = false;

  async function publishAfter(cursor: bigint): Promise<boolean> {
    let after = cursor;
    for (;;) {
      const page = await options.store.after(after, pageSize);
      if (page.lastId === undefined) return true;
      if (page.events.length > 0) await options.fanOut(page.events);
      after = page.lastId;
      if (!(await options.checkpoint.advance(after))) return false;
      if (page.events.length < pageSize) return true;
    }
  }

  async function pass(): Promise<void> {
    let cursor = await options.checkpoint.acquire();
    if (cursor === undefined) {
      await options.checkpoint.flag();
      // The holder may have released between the two calls without seeing the flag.
      cursor = await options.checkpoint.acquire();
      if (cursor === undefined) return;
    }
    for (;;) {
      if (!(await publishAfter(cursor))) return;
      if (await options.checkpoint.release()) return;
      cursor = await options.checkpoint.acquire();
      if (cursor === undefined) return;
    }
  }

  /** A failed pass gives the lease back at once rather than make the others wait for it to expire. */
  async function passOrRelease(): Promise<void> {
    try {
      await pass();
    } catch (error) {
      await options.checkpoint.release().catch(() => undefined);
      throw error;
    }
  }

  function run(): Promise<void> {
    if (closed) return Promise.resolve();
    if (!running) {
      running = passOrRelease()
        .catch((error: unknown) => {
          options.onError(error);
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    }
    queued ??= running.then(() => {
      queued = undefined;
      return run();
    });
    return queued;
  }

  const timer = setInterval(() => void run(), options.intervalMs ?? 1000);
  timer.unref();

  return {
    run,
    async close() {
      closed = true;
      clearInterval(timer);
      await settledWithin(queued ?? running, options.closeTimeoutMs ?? 5000);
    },
  };
}

/** Resolves when `work` has settled (it never rejects), or after `timeoutMs`, whichever comes first. */
async function settledWithin(work: Promise<void> | undefined, timeoutMs: number): Promise<void> {
  if (!work) return;
  let deadline: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    deadline = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(deadline);
  }
}

/** The checkpoint of a single process: always held, the cursor in memory, starting at `relayStart`. */
export function memoryCheckpoint(store: Pick<EventStore, 'relayStart'>): RelayCheckpoint {
  const start = store.relayStart();
  // A failed read surfaces at the first pass, not as an unhandled rejection.
  start.catch(() => undefined);
  let cursor: bigint | undefined;
  return {
    async acquire() {
      cursor ??= await start;
      return cursor;
    },
    advance(id) {
      cursor = id;
      return Promise.resolve(true);
    },
    release: () => Promise.resolve(true),
    flag: () => Promise.resolve(),
  };
}
