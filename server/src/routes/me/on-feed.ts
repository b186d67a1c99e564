import { eventIdSchema, resumableStream } from '@pressbox/jobs';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc/procedures.ts';

/** Articles already sent on this stream; bounded so a long-lived connection stays small. */
const REMEMBERED = 2_000;

/**
 * `news.created` across the teams the caller follows (as of subscribing), each article once even
 * when it is about several of them. Resumable with `lastEventId`.
 */
export const onFeedProcedure = protectedProcedure
  .input(z.object({ lastEventId: eventIdSchema.nullish() }).default({}))
  .subscription(async function* feedEvents({ ctx, input, signal }) {
    const follows = await ctx.services.prisma.follow.findMany({ where: { userId: ctx.user.id }, select: { teamId: true } });
    const seen = new Set<string>();
    const stream = resumableStream({
      bus: ctx.services.events,
      teamIds: follows.map((follow) => follow.teamId),
      lastEventId: input.lastEventId,
      types: ['news.created'],
      signal,
    });
    for await (const event of stream) {
      if (event.type !== 'news.created' || seen.has(event.data.id)) continue;
      seen.add(event.data.id);
      if (seen.size > REMEMBERED) seen.delete(seen.values().next().value ?? '');
      yield tracked(event.id, event);
    }
  });
