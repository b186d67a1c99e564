import { myFeed } from '../../domain/news.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './feed.types.ts';

export const meFeed = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function meFeed({ ctx, input }) {
    return myFeed(ctx.services, ctx.user.id, input);
  });
