import { teamEvents } from '../../domain/live.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { liveEvents } from '../../trpc/tracked.ts';
import { input } from './on-dashboard.types.ts';

/** `dashboard.updated` events of one team: refetch the dashboard when one arrives. */
export const teamsOnDashboard = protectedProcedure.input(input).subscription(async function teamsOnDashboard({ ctx, input, signal }) {
  const events = await teamEvents(ctx.services, {
    teamId: input.teamId,
    lastEventId: input.lastEventId,
    types: ['dashboard.updated'],
    signal,
  });
  return liveEvents(ctx, { path: 'teams.onDashboard', teamId: input.teamId, lastEventId: input.lastEventId }, events, signal);
});
