import { tracked } from '@trpc/server';
import type { StoredEvent } from '@pressbox/jobs';
import { asOutageError } from '../infra/outages/index.ts';
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
