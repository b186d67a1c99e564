import { teamNews } from '../../domain/news.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './news.types.ts';

export const teamsNews = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function teamsNews({ ctx, input }) {
    return teamNews(ctx.services, input);
  });
