import type { Redis } from 'ioredis';
import type { EventBusReporter } from './interface.ts';
import { parseEventMessage } from './schema.ts';
import { announceReconnect, countListeners, deliver, type EventCounters, type Subscription } from './subscriptions.ts';

/** A channel this process listens on, and the SUBSCRIBE that made it live. */
interface Channel {
  readonly subscriptions: Set<Subscription>;
  readonly ready: Promise<void>;
}

export interface RedisChannelsOptions {
  /** The one subscriber connection of the process. */
  subscriber: Redis;
  /** The channel an event of a team must arrive on. */
  channelOf: (teamId: string) => string;
  counters: EventCounters;
  report: EventBusReporter;
  /** How long `join` waits for Redis to be reachable before it rejects. */
  connectTimeoutMs: number;
}

/**
 * The subscribing half of the Redis bus: ONE subscriber connection per process, whatever the
 * number of subscribers. A channel is SUBSCRIBEd when its first local listener arrives and
 * UNSUBSCRIBEd when its last one leaves. Commands on one connection run in the order they were
 * sent, so a quick leave-and-join of the same channel still ends subscribed. After a
 * reconnection it subscribes again to every channel it holds and then calls `onReconnect`,
 * because messages sent meanwhile are lost (pub/sub delivers at most once); streams use that to
 * catch up from the database. SUBSCRIBE is only sent on a ready connection: ioredis would
 * otherwise write it during the handshake, where its own ready check (INFO) then fails in
 * subscriber mode and drops the link.
 */
export class RedisChannels {
  private readonly channels = new Map<string, Channel>();
  /** Channels left while their UNSUBSCRIBE could not be sent; the next `ready` sends it. */
  private readonly stale = new Set<string>();
  private connectedOnce = false;
  private closed = false;
  private nextReady: Promise<void> | undefined;

  constructor(private readonly options: RedisChannelsOptions) {
    options.subscriber.on('message', (channel: string, message: string) => {
      this.onMessage(channel, message);
    });
    options.subscriber.on('ready', () => {
      const reconnected = this.connectedOnce;
      this.connectedOnce = true;
      void this.resubscribe(reconnected);
    });
  }

  /** Adds a listener; resolves once its channel is live, with the function that removes it again (idempotent). */
  async join(channelName: string, subscription: Subscription): Promise<() => Promise<void>> {
    let joined = this.channels.get(channelName);
    if (!joined) {
      const ready = this.whenReady()
        .then(() => this.options.subscriber.subscribe(channelName))
        .then(() => undefined);
      // Every joiner awaits `ready`; this only keeps a failure from also surfacing as unhandled.
      ready.catch(() => undefined);
      joined = { subscriptions: new Set(), ready };
      this.channels.set(channelName, joined);
    }
    joined.subscriptions.add(subscription);
    const target = joined;
    let left: Promise<void> | undefined;
    const unsubscribe = () => (left ??= this.leave(channelName, target, subscription));
    try {
      await target.ready;
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  listenerCount(channelName?: string): number {
    if (channelName !== undefined) return this.channels.get(channelName)?.subscriptions.size ?? 0;
    return countListeners([...this.channels.values()].map((joined) => joined.subscriptions));
  }

  channelCount(): number {
    return this.channels.size;
  }

  close(): void {
    this.closed = true;
    this.channels.clear();
  }

  private onMessage(channel: string, message: string): void {
    const listening = this.channels.get(channel);
    if (!listening) return;
    const event = parseEventMessage(message);
    if (!event || event.teamId === undefined || this.options.channelOf(event.teamId) !== channel) {
      this.options.counters.dropped++;
      this.options.report({ kind: 'dropped-message', channel });
      return;
    }
    deliver(listening.subscriptions, event, this.options.counters, this.options.report, channel);
  }

  /**
   * Brings Redis in line with the channels held: drops leftovers whose UNSUBSCRIBE could not be
   * sent, subscribes again (idempotent), and after a reconnection tells every listener.
   */
  private async resubscribe(reconnected: boolean): Promise<void> {
    const { subscriber, counters, report } = this.options;
    try {
      const leftovers = [...this.stale].filter((channel) => !this.channels.has(channel));
      if (leftovers.length > 0) await subscriber.unsubscribe(...leftovers);
      this.stale.clear();
      const held = [...this.channels.keys()];
      if (held.length > 0) await subscriber.subscribe(...held);
    } catch (error) {
      report({ kind: 'resubscribe-failed', error });
      return;
    }
    if (!reconnected) return;
    for (const [channel, listening] of this.channels) announceReconnect(listening.subscriptions, counters, report, channel);
  }

  /**
   * Resolves when the subscriber connection is ready, or rejects after the timeout. All waiters
   * share one `ready` listener, so an outage with many pending subscribers adds no listeners.
   */
  private async whenReady(): Promise<void> {
    const { subscriber, connectTimeoutMs } = this.options;
    if (subscriber.status === 'ready') return;
    this.nextReady ??= new Promise<void>((resolve) => {
      subscriber.once('ready', () => {
        this.nextReady = undefined;
        resolve();
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`Redis did not answer within ${String(connectTimeoutMs)} ms`));
      }, connectTimeoutMs);
    });
    try {
      await Promise.race([this.nextReady, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async leave(channelName: string, joined: Channel, subscription: Subscription): Promise<void> {
    joined.subscriptions.delete(subscription);
    if (joined.subscriptions.size > 0 || this.channels.get(channelName) !== joined) return;
    this.channels.delete(channelName);
    if (this.closed) return;
    // Sent while not ready it could interleave with the handshake; the next `ready` sends it.
    if (this.options.subscriber.status !== 'ready') {
      this.stale.add(channelName);
      return;
    }
    try {
      await this.options.subscriber.unsubscribe(channelName);
      this.stale.delete(channelName);
    } catch (error) {
      this.stale.add(channelName);
      this.options.report({ kind: 'resubscribe-failed', channel: channelName, error });
    }
  }
}
