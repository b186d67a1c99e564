/** A taken subscription slot: give it back exactly once, however the subscription ends. */
export type Release = () => void;

/**
 * The live subscriptions of an API process, counted per user, with the caps per connection and
 * per user. Every subscription takes a slot before it starts listening and gives it back when it
 * ends (stopped, failed, completed or its socket closed).
 */
export class LiveSubscriptions {
  private readonly byUser = new Map<string, number>();
  private total = 0;

  constructor(readonly limits: { perConnection: number; perUser: number }) {}

  /** Subscriptions live now, over every connection. */
  count(): number {
    return this.total;
  }

  /** The ledger of one connection. */
  connection(): ConnectionSubscriptions {
    return new ConnectionSubscriptions(this);
  }

  /** Takes a slot for `userId` if the user is under the cap; `undefined` when refused. */
  takeForUser(userId: string): Release | undefined {
    const open = this.byUser.get(userId) ?? 0;
    if (open >= this.limits.perUser) return undefined;
    this.byUser.set(userId, open + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.byUser.get(userId) ?? 1) - 1;
      if (left > 0) this.byUser.set(userId, left);
      else this.byUser.delete(userId);
    };
  }
}

/** The subscriptions of one WebSocket connection. */
export class ConnectionSubscriptions {
  private open = 0;
  constructor(private readonly live: LiveSubscriptions) {}

  /** A slot for a new subscription of `userId`, or the reason it is refused. */
  take(userId: string): { release: Release } | { refusal: string } {
    const { perConnection, perUser } = this.live.limits;
    if (this.open >= perConnection) return { refusal: `A connection may hold ${String(perConnection)} subscriptions at most` };
    const forUser = this.live.takeForUser(userId);
    if (!forUser) return { refusal: `A user may hold ${String(perUser)} subscriptions at most` };
    this.open += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.open -= 1;
        forUser();
      },
    };
  }
}

/** Wraps a subscription's stream so that its slot is given back when the stream ends or is closed. */
export function releasingOnEnd<T>(iterable: AsyncIterable<T>, release: Release): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const step = await iterator.next();
            if (step.done === true) release();
            return step;
          } catch (error) {
            release();
            throw error;
          }
        },
        async return(value?: unknown) {
          release();
          return (await iterator.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}
