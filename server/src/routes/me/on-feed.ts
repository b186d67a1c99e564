import { feedEvents } from '../../domain/live.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { trackedEvents } from '../../trpc/tracked.ts';
import { input } from './on-feed.types.ts';

/** `news.created` across the teams you follow, each article once; resumable with `lastEventId`. */
export const meOnFeed = protectedProcedure.input(input).subscription(async function meOnFeed({ ctx, input, signal }) {
  return trackedEvents(await feedEvents(ctx.services, { userId: ctx.user.id, lastEventId: input.lastEventId, signal }));
});
