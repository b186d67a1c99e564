import type { EventBusReporter, EventBusStats, EventListener } from './interface.ts';
import type { StoredEvent } from './schema.ts';

/** One `subscribe` call: its own object, so the same function subscribed twice counts twice. */
export interface Subscription {
  readonly listener: EventListener;
  readonly onReconnect: (() => void) | undefined;
}

/** The growing counters of `EventBusStats`, shared by both implementations. */
export type EventCounters = Omit<EventBusStats, 'channels' | 'listeners' | 'invalidRows'>;

export function emptyCounters(): EventCounters {
  return { published: 0, delivered: 0, dropped: 0, listenerErrors: 0, broadcastFailures: 0 };
}

/**
 * Calls every listener of a channel with one event. A throwing listener is counted and reported
 * and the others still run; the set is copied first because a listener may unsubscribe itself.
 */
export function deliver(
  subscriptions: ReadonlySet<Subscription>,
  event: StoredEvent,
  counters: EventCounters,
  report: EventBusReporter,
  channel: string,
): void {
  for (const subscription of [...subscriptions]) {
    counters.delivered++;
    try {
      subscription.listener(event);
    } catch (error) {
      counters.listenerErrors++;
      report({ kind: 'listener-error', channel, error });
    }
  }
}

/** Calls every `onReconnect` hook, isolating failures like `deliver` does. */
export function announceReconnect(
  subscriptions: ReadonlySet<Subscription>,
  counters: EventCounters,
  report: EventBusReporter,
  channel: string,
): void {
  for (const subscription of [...subscriptions]) {
    try {
      subscription.onReconnect?.();
    } catch (error) {
      counters.listenerErrors++;
      report({ kind: 'listener-error', channel, error });
    }
  }
}

/** Sum of listeners over channels. */
export function countListeners(channels: Iterable<{ readonly size: number }>): number {
  let total = 0;
  for (const channel of channels) total += channel.size;
  return total;
}
