import { teamEvents } from '../../domain/live.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { trackedEvents } from '../../trpc/tracked.ts';
import { input } from './on-summary.types.ts';

/** `summary.updated` events of one team. */
export const teamsOnSummary = protectedProcedure.input(input).subscription(async function teamsOnSummary({ ctx, input, signal }) {
  return trackedEvents(
    await teamEvents(ctx.services, { teamId: input.teamId, lastEventId: input.lastEventId, types: ['summary.updated'], signal }),
  );
});
