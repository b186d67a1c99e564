import type { PrismaClient } from '@pressbox/db';
import { createRedis, RedisUnavailableError, waitForRedis, type Redis } from '../redis.ts';
import type { EventBus, EventBusReporter } from './interface.ts';
import { redisCheckpoint } from './redis-checkpoint.ts';
import { RedisChannels } from './redis-channels.ts';
import { createEventRelay } from './relay.ts';
import { eventTeamIdSchema, type StoredEvent } from './schema.ts';
import { createEventStore } from './store.ts';
import { emptyCounters, type Subscription } from './subscriptions.ts';

export interface RedisEventBusOptions {
  prisma: PrismaClient;
  /** `redis://…` of the Redis every API and worker process shares. */
  url: string;
  /**
   * Deployment prefix (PRESSBOX_REDIS_PREFIX). Pub/sub channels ignore the database index, so
   * two deployments on one Redis are kept apart only by this prefix.
   */
  prefix: string;
  /** Shown in `CLIENT LIST` as `pressbox:<name>:events-sub` and `…:events-pub` (default `events`). */
  name?: string;
  /**
   * How long `subscribe` waits for Redis before it rejects while the process is still making its
   * first connection (default 10 s; the connection is opened with the bus). Once connected, a
   * subscribe while the connection is lost waits half a second for it to come back (a dropped
   * connection does) and is then refused with `RedisUnavailableError`: a stream fails with 503
   * and its client resumes from its last event id when Redis is back, which loses nothing.
   */
  connectTimeoutMs?: number;
  report?: EventBusReporter;
  /** How often the relay looks for committed events nobody published (default 1000 ms). */
  relayIntervalMs?: number | undefined;
  /** How long the relay lease outlives a holder that died (default 5000 ms). */
  relayLeaseMs?: number | undefined;
  /**
   * Runs after every page of committed events was fanned out and before the relay's cursor moves
   * past it (at least once per event; a rejection has the page relayed again). Every process of
   * a deployment passes the same one, since any of them may hold the relay.
   */
  onRelayed?: ((events: readonly StoredEvent[]) => Promise<void>) | undefined;
}

/** How long a subscribe waits for a lost subscriber connection to come back before it is refused. */
const RECONNECT_WAIT_MS = 500;

/** The Redis channel of one team's events. */
export function teamChannel(prefix: string, teamId: string): string {
  return `${prefix}:events:team:${teamId}`;
}

/**
 * The event bus of production. Publishers write Event rows; a relay (`relay.ts`), held by one
 * process of the deployment at a time through a Redis lease, PUBLISHes the committed rows as JSON
 * on their team's channel, and every API process fans them out to its local listeners
 * (`redis-channels.ts`). A process killed after its commit loses no event: the next relay pass,
 * in any process, publishes from the shared cursor.
 *
 * @example
 * const bus = createRedisEventBus({ prisma: db.prisma, url: config.redisUrl, prefix: config.redisPrefix });
 * const stop = await bus.subscribe({ teamId: 'nba-bos' }, (event) => console.log(event.id));
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const report = options.report ?? (() => undefined);
  const name = options.name ?? 'events';
  const store = createEventStore(options.prisma, report);
  const counters = emptyCounters();
  const channelOf = (teamId: string) => teamChannel(options.prefix, teamId);
  const subscriber = createRedis(options.url, { name: `${name}:events-sub`, listener: true });
  const publisher = createRedis(options.url, { name: `${name}:events-pub` });
  const channels = new RedisChannels({ subscriber, channelOf, counters, report, connectTimeoutMs: options.connectTimeoutMs ?? 10_000 });
  let subscriberConnected = false;
  subscriber.once('ready', () => {
    subscriberConnected = true;
  });
  const relay = createEventRelay({
    store,
    checkpoint: redisCheckpoint({ redis: publisher, prefix: options.prefix, store, leaseMs: options.relayLeaseMs }),
    fanOut: async (events) => {
      await broadcast(publisher, channelOf, events);
      await options.onRelayed?.(events);
    },
    intervalMs: options.relayIntervalMs,
    onError: (error) => {
      counters.broadcastFailures++;
      report({ kind: 'broadcast-failed', error });
    },
  });
  void relay.run();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new Error('The event bus is closed');
  }

  return {
    async publish(event) {
      assertOpen();
      const stored = await store.insert(event);
      counters.published++;
      await relay.run();
      return stored;
    },

    publishCommitted: () => relay.run(),

    async subscribe(channel, listener, subscribeOptions = {}) {
      assertOpen();
      const subscription: Subscription = { listener, onReconnect: subscribeOptions.onReconnect };
      const channelName = channelOf(eventTeamIdSchema.parse(channel.teamId));
      return joinUnlessDown(subscriber, subscriberConnected, () => channels.join(channelName, subscription));
    },

    replay: (query) => store.replay(query),
    latestId: () => store.latestId(),
    listenerCount: (channel) => channels.listenerCount(channel ? channelOf(channel.teamId) : undefined),
    stats: () => ({
      ...counters,
      channels: channels.channelCount(),
      listeners: channels.listenerCount(),
      invalidRows: store.invalidRows(),
    }),

    async close() {
      if (closed) return;
      closed = true;
      await relay.close();
      channels.close();
      await Promise.all(
        [subscriber, publisher].map(async (connection) => {
          await connection.quit().catch(() => {
            connection.disconnect();
          });
        }),
      );
    },
  };
}

/**
 * Joins a channel, or refuses at once with `RedisUnavailableError` when the subscriber
 * connection, once connected, has been lost for longer than a reconnection takes.
 */
async function joinUnlessDown<T>(subscriber: Redis, connectedBefore: boolean, join: () => Promise<T>): Promise<T> {
  const refusal = (cause: unknown) =>
    new RedisUnavailableError('Redis is unavailable: live events cannot be subscribed to until it is back', { cause });
  if (connectedBefore && subscriber.status !== 'ready') {
    // A dropped connection comes back within milliseconds while Redis is up; an outage does not.
    await waitForRedis(subscriber, RECONNECT_WAIT_MS).catch((error: unknown) => {
      throw refusal(error);
    });
  }
  try {
    return await join();
  } catch (error) {
    if (subscriber.status === 'ready') throw error;
    throw refusal(error);
  }
}

/** One PUBLISH per event, pipelined, in id order. */
async function broadcast(publisher: Redis, channelOf: (teamId: string) => string, events: readonly StoredEvent[]): Promise<void> {
  const pipeline = publisher.pipeline();
  for (const event of events) if (event.teamId !== undefined) pipeline.publish(channelOf(event.teamId), JSON.stringify(event));
  const results = (await pipeline.exec()) ?? [];
  const failure = results.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
}
