import { eventIdSchema, resumableStream, type EventBus, type EventType, type StoredEvent } from '@pressbox/jobs';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import type { Context } from '../../trpc/context.ts';
import { fromAppError } from '../../trpc/errors.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

const subscriptionInput = z.object({
  teamId: slugId,
  /** Set by the tRPC client when it reconnects: events after it are replayed first. */
  lastEventId: eventIdSchema.nullish(),
});

/**
 * Where a stream starts: after the client's last event, or else after the newest event stored
 * now. It is read before the resolver returns, that is before the client gets `started`, so an
 * event committed after `started` always reaches the client (the stream itself would only look
 * once it is first pulled, after `started` went out).
 */
export async function startingPoint(bus: EventBus, lastEventId: string | null | undefined): Promise<string> {
  return lastEventId ?? (await bus.latestId()) ?? '0';
}

/**
 * The events of a stream as tracked subscription data. A domain error raised while streaming (a
 * consumer too slow to keep up) reaches the client with its own code, as it would from a query;
 * the procedure's error middleware has already returned by then.
 */
export async function* trackedEvents(events: AsyncIterable<StoredEvent>) {
  try {
    for await (const event of events) yield tracked(event.id, event);
  } catch (error) {
    throw fromAppError(error) ?? error;
  }
}

function teamStream(types: readonly EventType[]) {
  return async function teamEvents({
    ctx,
    input,
    signal,
  }: {
    ctx: Context;
    input: z.infer<typeof subscriptionInput>;
    signal: AbortSignal | undefined;
  }) {
    // Thrown here, before streaming, an unknown team is a NOT_FOUND and no stream is opened.
    ctx.services.teams.require(input.teamId);
    const lastEventId = await startingPoint(ctx.services.events, input.lastEventId);
    return trackedEvents(resumableStream({ bus: ctx.services.events, teamIds: [input.teamId], lastEventId, types, signal }));
  };
}

/** `news.created` events of one team, resumable with `lastEventId`. */
export const onNewsProcedure = protectedProcedure.input(subscriptionInput).subscription(teamStream(['news.created']));

/** `summary.updated` events of one team. */
export const onSummaryProcedure = protectedProcedure.input(subscriptionInput).subscription(teamStream(['summary.updated']));

/** `dashboard.updated` events of one team: refetch the dashboard when one arrives. */
export const onDashboardProcedure = protectedProcedure.input(subscriptionInput).subscription(teamStream(['dashboard.updated']));

export type TeamEvent = StoredEvent;
