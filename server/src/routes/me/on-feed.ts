import { feedEvents } from '../../domain/live.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { liveEvents } from '../../trpc/tracked.ts';
import { input } from './on-feed.types.ts';

/** `news.created` across the teams you follow, each article once; resumable with `lastEventId`. */
export const meOnFeed = protectedProcedure.input(input).subscription(async function meOnFeed({ ctx, input, signal }) {
  const events = await feedEvents(ctx.services, { userId: ctx.user.id, lastEventId: input.lastEventId, signal });
  return liveEvents(ctx, { path: 'me.onFeed', lastEventId: input.lastEventId }, events, signal);
});
