import type { PrismaClient } from '@pressbox/db';
import type { EventBus, EventBusReporter } from './interface.ts';
import { eventTeamIdSchema, type StoredEvent } from './schema.ts';
import { createEventRelay, memoryCheckpoint } from './relay.ts';
import { createEventStore } from './store.ts';
import { countListeners, deliver, emptyCounters, type Subscription } from './subscriptions.ts';

export interface MemoryEventBusOptions {
  prisma: PrismaClient;
  /** Receives background problems (a throwing listener) for logging. */
  report?: EventBusReporter;
  /** How often the relay looks for committed events not yet delivered (default 1000 ms). */
  relayIntervalMs?: number | undefined;
  /**
   * Runs after every page of committed events was fanned out and before the relay's cursor moves
   * past it (at least once per event; a rejection has the page relayed again). Every process of
   * a deployment passes the same one, since any of them may hold the relay.
   */
  onRelayed?: ((events: readonly StoredEvent[]) => Promise<void>) | undefined;
}

/**
 * The event bus of the embedded, single-process mode. Events are still stored, and delivered
 * from the committed rows by the same relay as with Redis (`relay.ts`), so replay, resumption and
 * events written inside a data transaction behave exactly alike; only the fan-out stays inside
 * this process.
 *
 * @example
 * const bus = createMemoryEventBus({ prisma: db.prisma });
 * const stop = await bus.subscribe({ teamId: 'nba-bos' }, (event) => console.log(event.id));
 * await bus.publish({ type: 'dashboard.updated', teamId: 'nba-bos', data: { teamId: 'nba-bos', reason: 'game final' } });
 * await stop();
 */
export function createMemoryEventBus(options: MemoryEventBusOptions): EventBus {
  const report = options.report ?? (() => undefined);
  const store = createEventStore(options.prisma, report);
  const channels = new Map<string, Set<Subscription>>();
  const counters = emptyCounters();
  const relay = createEventRelay({
    store,
    checkpoint: memoryCheckpoint(store),
    fanOut: async (events) => {
      for (const event of events) {
        const subscriptions = event.teamId === undefined ? undefined : channels.get(event.teamId);
        if (subscriptions) deliver(subscriptions, event, counters, report, event.teamId ?? '');
      }
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

    subscribe(channel, listener, subscribeOptions = {}) {
      // An executor turns a closed bus or a bad team id into a rejection, as with Redis.
      return new Promise((resolve) => {
        assertOpen();
        const teamId = eventTeamIdSchema.parse(channel.teamId);
        const subscription: Subscription = { listener, onReconnect: subscribeOptions.onReconnect };
        let joined = channels.get(teamId);
        if (!joined) {
          joined = new Set();
          channels.set(teamId, joined);
        }
        joined.add(subscription);
        const subscriptions = joined;
        resolve(function unsubscribe() {
          subscriptions.delete(subscription);
          if (subscriptions.size === 0 && channels.get(teamId) === subscriptions) channels.delete(teamId);
          return Promise.resolve();
        });
      });
    },

    replay: (query) => store.replay(query),
    latestId: () => store.latestId(),

    listenerCount(channel) {
      if (channel) return channels.get(channel.teamId)?.size ?? 0;
      return countListeners(channels.values());
    },

    stats: () => ({ ...counters, channels: channels.size, listeners: countListeners(channels.values()), invalidRows: store.invalidRows() }),

    async close() {
      closed = true;
      channels.clear();
      await relay.close();
    },
  };
}
