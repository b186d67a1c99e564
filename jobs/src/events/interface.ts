import type { EventType, NewEvent, StoredEvent } from './schema.ts';

/** Subscribers listen per team; a feed of several teams subscribes to each of them. */
export interface EventChannel {
  teamId: string;
}

/** Called with every validated event of the channel, in the order the bus received them. */
export type EventListener = (event: StoredEvent) => void;

export interface SubscribeOptions {
  /**
   * Called when events of this channel may have been lost in transit (the Redis subscriber
   * connection dropped and was re-established). By then the channel is subscribed again, so a
   * listener that reads the database after its last seen id has missed nothing.
   */
  onReconnect?: () => void;
}

export interface ReplayQuery {
  /** Events of these teams; an empty list matches nothing. */
  teamIds: readonly string[];
  /** Only events with a larger id; omitted = from the first stored event. */
  afterId?: string | undefined;
  /** Only these kinds; omitted = every kind. */
  types?: readonly EventType[] | undefined;
  /** Page size, 1–1000. */
  limit: number;
}

/** Counters for metrics and tests; they only grow, except `channels` and `listeners`. */
export interface EventBusStats {
  /** Channels with at least one local listener (for Redis: channels this process is subscribed to). */
  channels: number;
  listeners: number;
  published: number;
  /** Listener calls made. */
  delivered: number;
  /** Messages received that were not valid events, or came on a channel their team does not match. */
  dropped: number;
  /** Listeners that threw; the error is reported and the other listeners still run. */
  listenerErrors: number;
  /** Relay passes that failed (Redis or the database refused); the next pass publishes from the same cursor. */
  broadcastFailures: number;
  /** Stored rows skipped by replay because they no longer match the event schemas. */
  invalidRows: number;
}

/** What went wrong in the background, for the caller's logger. */
export interface EventBusProblem {
  kind: 'dropped-message' | 'listener-error' | 'broadcast-failed' | 'resubscribe-failed' | 'invalid-row';
  channel?: string;
  error?: unknown;
}

/**
 * Live events for subscribers in every process, with a durable log for resumption.
 * `publish` stores the event (the database assigns its id); a relay then delivers every committed
 * row in id order (`relay.ts`), including rows other code wrote inside its own transaction
 * (`insertEventRows`); `replay` reads the log. Ids are ordering keys: see `resume.ts` for how a stream merges the two without
 * gaps or duplicates.
 */
export interface EventBus {
  /**
   * Validates and stores an event in its own transaction, then runs the relay; resolves with the
   * stored event and its id. For events that announce no data of their own: an event that
   * announces data is written with it (`toEventInsert` and `insertEventRows` inside the data's
   * transaction, then `publishCommitted`), so that a crash cannot separate the two.
   */
  publish(event: NewEvent): Promise<StoredEvent>;
  /**
   * Runs the relay now, after event rows were committed by other means (with the data they
   * announce); resolves when they were delivered or handed to the process that relays. Without
   * this call they still go out at the relay's next round (about a second).
   */
  publishCommitted(): Promise<void>;
  /**
   * Adds a listener to a channel; resolves once the channel is live (events published after this
   * reach the listener), with a function that removes the listener again (idempotent).
   */
  subscribe(channel: EventChannel, listener: EventListener, options?: SubscribeOptions): Promise<() => Promise<void>>;
  /** Stored events after `afterId`, in id order, at most `limit`. */
  replay(query: ReplayQuery): Promise<readonly StoredEvent[]>;
  /** Id of the newest stored event of any team, undefined when none was ever stored. */
  latestId(): Promise<string | undefined>;
  /** Local listeners, of one channel or of all. */
  listenerCount(channel?: EventChannel): number;
  stats(): EventBusStats;
  /** Removes every listener and releases connections; later calls reject. */
  close(): Promise<void>;
}

/** Where the bus reports background problems; the default ignores them (stats still count). */
export type EventBusReporter = (problem: EventBusProblem) => void;
