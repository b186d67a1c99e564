import { teamEvents } from '../../domain/live.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { liveEvents } from '../../trpc/tracked.ts';
import { input } from './on-news.types.ts';

/** `news.created` events of one team, resumable with `lastEventId`. */
export const teamsOnNews = protectedProcedure.input(input).subscription(async function teamsOnNews({ ctx, input, signal }) {
  const events = await teamEvents(ctx.services, { teamId: input.teamId, lastEventId: input.lastEventId, types: ['news.created'], signal });
  return liveEvents(ctx, { path: 'teams.onNews', teamId: input.teamId, lastEventId: input.lastEventId }, events, signal);
});
