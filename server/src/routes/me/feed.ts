import { listNews } from '@pressbox/db';
import { z } from 'zod';
import { newsFilters, newsPageSchema, toNewsItem } from '../../schemas/news.ts';
import type { Meta } from '../../trpc/meta.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

export const feedMeta = {
  openapi: {
    method: 'GET',
    path: '/me/feed',
    tags: ['me'],
    summary: 'News across the teams you follow',
    description: 'Each article appears once, however many of your teams it is about. Newest first; empty when you follow no team.',
  },
} satisfies Meta;

export const feedInput = z.object({ ...newsFilters, sort: z.enum(['newest', 'oldest']).default('newest') });

export const feedProcedure = protectedProcedure
  .meta(feedMeta)
  .input(feedInput)
  .output(newsPageSchema)
  .query(async ({ ctx, input }) => {
    const follows = await ctx.services.prisma.follow.findMany({ where: { userId: ctx.user.id }, select: { teamId: true } });
    const page = await listNews(ctx.services.prisma, {
      scope: { teamIds: follows.map((follow) => follow.teamId) },
      since: input.since === undefined ? undefined : new Date(input.since),
      until: input.until === undefined ? undefined : new Date(input.until),
      q: input.q,
      sort: input.sort,
      limit: input.limit,
      cursor: input.cursor,
    });
    return { items: page.items.map(toNewsItem), nextCursor: page.nextCursor };
  });
