import { tracked } from '@trpc/server';
import type { StoredEvent } from '@pressbox/jobs';
import { asOutageError } from '../infra/outages/index.ts';
import type { Context, LivePipe, SubscriptionKey } from './context.ts';
import { fromAppError } from './errors.ts';

/**
 * The events of a stream as tracked subscription data (the id is what the client sends back as
 * `lastEventId`). A domain error raised while streaming (a consumer too slow to keep up) reaches
 * the client with its own code, as it would from a query; the procedure's error middleware has
 * already returned by then.
 */
export async function* trackedEvents(events: AsyncIterable<StoredEvent>) {
  try {
    for await (const event of events) yield tracked(event.id, event);
  } catch (error) {
    throw fromAppError(asOutageError(error) ?? error) ?? error;
  }
}

/**
 * A subscription's events: over WebSocket written to the socket directly, each encoded once per
 * process (the returned iterable then only carries the subscription's lifetime); otherwise, or
 * when the subscription cannot be told apart from another, through tRPC as tracked data.
 */
export function liveEvents(
  ctx: Pick<Context, 'live'>,
  key: SubscriptionKey,
  events: AsyncIterable<StoredEvent>,
  signal: AbortSignal | undefined,
): ReturnType<typeof trackedEvents> {
  const pipe = signal ? ctx.live?.claim(key) : undefined;
  if (!pipe || !signal) return trackedEvents(events);
  return piped(pipe, events, signal);
}

/** The subscription's lifetime as a generator: the events themselves go out through the pipe. */
async function* piped(pipe: LivePipe, events: AsyncIterable<StoredEvent>, signal: AbortSignal): ReturnType<typeof trackedEvents> {
  try {
    await pipe.pump(events, signal);
  } catch (error) {
    throw fromAppError(asOutageError(error) ?? error) ?? error;
  }
}
