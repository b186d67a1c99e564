import { eventIdSchema, resumableStream, type EventType, type StoredEvent } from '@pressbox/jobs';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import type { Context } from '../../trpc/context.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

const subscriptionInput = z.object({
  teamId: slugId,
  /** Set by the tRPC client when it reconnects: events after it are replayed first. */
  lastEventId: eventIdSchema.nullish(),
});

function teamStream(types: readonly EventType[]) {
  return async function* teamEvents({
    ctx,
    input,
    signal,
  }: {
    ctx: Context;
    input: z.infer<typeof subscriptionInput>;
    signal: AbortSignal | undefined;
  }) {
    ctx.services.teams.require(input.teamId);
    const stream = resumableStream({ bus: ctx.services.events, teamIds: [input.teamId], lastEventId: input.lastEventId, types, signal });
    for await (const event of stream) yield tracked(event.id, event);
  };
}

/** `news.created` events of one team, resumable with `lastEventId`. */
export const onNewsProcedure = protectedProcedure.input(subscriptionInput).subscription(teamStream(['news.created']));

/** `summary.updated` events of one team. */
export const onSummaryProcedure = protectedProcedure.input(subscriptionInput).subscription(teamStream(['summary.updated']));

/** `dashboard.updated` events of one team: refetch the dashboard when one arrives. */
export const onDashboardProcedure = protectedProcedure.input(subscriptionInput).subscription(teamStream(['dashboard.updated']));

export type TeamEvent = StoredEvent;
