import type { PrismaClient } from '@pressbox/db';
import { createRedis } from '../redis.ts';
import type { EventBus, EventBusReporter } from './interface.ts';
import { eventTeamIdSchema, parseEventMessage } from './schema.ts';
import { createEventStore } from './store.ts';
import { announceReconnect, countListeners, deliver, emptyCounters, type Subscription } from './subscriptions.ts';

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
  /** How long `subscribe` waits for Redis to be reachable before it rejects (default 10 s). */
  connectTimeoutMs?: number;
  report?: EventBusReporter;
}

/** A channel this process listens on, and the SUBSCRIBE that made it live. */
interface Channel {
  readonly subscriptions: Set<Subscription>;
  readonly ready: Promise<void>;
}

/** The Redis channel of one team's events. */
export function teamChannel(prefix: string, teamId: string): string {
  return `${prefix}:events:team:${teamId}`;
}

/**
 * The event bus of production: events are stored, then PUBLISHed as JSON on the team's channel,
 * and every API process fans them out to its local listeners.
 *
 * Each process holds ONE subscriber connection, whatever the number of subscribers: a channel is
 * SUBSCRIBEd when its first local listener arrives and UNSUBSCRIBEd when its last one leaves.
 * Commands on one connection run in the order they were sent, so a quick leave-and-join of the
 * same channel still ends subscribed. After a reconnection the bus subscribes again to every
 * channel it holds and then calls `onReconnect`, because messages sent meanwhile are lost
 * (pub/sub delivers at most once); streams use that to catch up from the database.
 * SUBSCRIBE is only sent on a ready connection: ioredis would otherwise write it during the
 * handshake, where its own ready check (INFO) then fails in subscriber mode and drops the link.
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
  const channels = new Map<string, Channel>();
  /** Channels left while their UNSUBSCRIBE could not be sent; the next `ready` sends it. */
  const stale = new Set<string>();
  const subscriber = createRedis(options.url, { name: `${name}:events-sub`, listener: true });
  const publisher = createRedis(options.url, { name: `${name}:events-pub` });
  let connectedOnce = false;
  let closed = false;
  let nextReady: Promise<void> | undefined;

  subscriber.on('message', function onMessage(channel: string, message: string) {
    const listening = channels.get(channel);
    if (!listening) return;
    const event = parseEventMessage(message);
    if (!event || event.teamId === undefined || teamChannel(options.prefix, event.teamId) !== channel) {
      counters.dropped++;
      report({ kind: 'dropped-message', channel });
      return;
    }
    deliver(listening.subscriptions, event, counters, report, channel);
  });

  subscriber.on('ready', function onReady() {
    const reconnected = connectedOnce;
    connectedOnce = true;
    void resubscribe(reconnected);
  });

  /**
   * Brings Redis in line with the channels held: drops leftovers whose UNSUBSCRIBE could not be
   * sent, subscribes again (idempotent), and after a reconnection tells every listener.
   */
  async function resubscribe(reconnected: boolean): Promise<void> {
    try {
      const leftovers = [...stale].filter((channel) => !channels.has(channel));
      if (leftovers.length > 0) await subscriber.unsubscribe(...leftovers);
      stale.clear();
      const held = [...channels.keys()];
      if (held.length > 0) await subscriber.subscribe(...held);
    } catch (error) {
      report({ kind: 'resubscribe-failed', error });
      return;
    }
    if (!reconnected) return;
    for (const [channel, listening] of channels) announceReconnect(listening.subscriptions, counters, report, channel);
  }

  /**
   * Resolves when the subscriber connection is ready, or rejects after the timeout. All waiters
   * share one `ready` listener, so an outage with many pending subscribers adds no listeners.
   */
  async function whenReady(): Promise<void> {
    if (subscriber.status === 'ready') return;
    nextReady ??= new Promise<void>((resolve) => {
      subscriber.once('ready', () => {
        nextReady = undefined;
        resolve();
      });
    });
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`Redis did not answer within ${String(timeoutMs)} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([nextReady, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  function assertOpen(): void {
    if (closed) throw new Error('The event bus is closed');
  }

  async function leave(channelName: string, joined: Channel, subscription: Subscription): Promise<void> {
    joined.subscriptions.delete(subscription);
    if (joined.subscriptions.size > 0 || channels.get(channelName) !== joined) return;
    channels.delete(channelName);
    if (closed) return;
    // Sent while not ready it could interleave with the handshake; the next `ready` sends it.
    if (subscriber.status !== 'ready') {
      stale.add(channelName);
      return;
    }
    try {
      await subscriber.unsubscribe(channelName);
      stale.delete(channelName);
    } catch (error) {
      stale.add(channelName);
      report({ kind: 'resubscribe-failed', channel: channelName, error });
    }
  }

  return {
    async publish(event) {
      assertOpen();
      const stored = await store.insert(event);
      counters.published++;
      if (stored.teamId !== undefined) {
        const channel = teamChannel(options.prefix, stored.teamId);
        try {
          await publisher.publish(channel, JSON.stringify(stored));
        } catch (error) {
          counters.broadcastFailures++;
          report({ kind: 'broadcast-failed', channel, error });
        }
      }
      return stored;
    },

    async subscribe(channel, listener, subscribeOptions = {}) {
      assertOpen();
      const channelName = teamChannel(options.prefix, eventTeamIdSchema.parse(channel.teamId));
      const subscription: Subscription = { listener, onReconnect: subscribeOptions.onReconnect };
      let joined = channels.get(channelName);
      if (!joined) {
        const ready = whenReady()
          .then(() => subscriber.subscribe(channelName))
          .then(() => undefined);
        // Every joiner awaits `ready`; this only keeps a failure from also surfacing as unhandled.
        ready.catch(() => undefined);
        joined = { subscriptions: new Set(), ready };
        channels.set(channelName, joined);
      }
      joined.subscriptions.add(subscription);
      const target = joined;
      let left: Promise<void> | undefined;
      const unsubscribe = () => (left ??= leave(channelName, target, subscription));
      try {
        await target.ready;
      } catch (error) {
        await unsubscribe();
        throw error;
      }
      return unsubscribe;
    },

    replay: (query) => store.replay(query),
    latestId: () => store.latestId(),

    listenerCount(channel) {
      if (channel) return channels.get(teamChannel(options.prefix, channel.teamId))?.subscriptions.size ?? 0;
      return countListeners([...channels.values()].map((joined) => joined.subscriptions));
    },

    stats: () => ({
      ...counters,
      channels: channels.size,
      listeners: countListeners([...channels.values()].map((joined) => joined.subscriptions)),
      invalidRows: store.invalidRows(),
    }),

    async close() {
      if (closed) return;
      closed = true;
      channels.clear();
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
