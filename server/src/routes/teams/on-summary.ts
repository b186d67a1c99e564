import { teamEvents } from '../../domain/live.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { liveEvents } from '../../trpc/tracked.ts';
import { input } from './on-summary.types.ts';

/** `summary.updated` events of one team. */
export const teamsOnSummary = protectedProcedure.input(input).subscription(async function teamsOnSummary({ ctx, input, signal }) {
  const events = await teamEvents(ctx.services, {
    teamId: input.teamId,
    lastEventId: input.lastEventId,
    types: ['summary.updated'],
    signal,
  });
  return liveEvents(ctx, { path: 'teams.onSummary', teamId: input.teamId, lastEventId: input.lastEventId }, events, signal);
});
