import { listNews } from '@pressbox/db';
import { toNewsItem } from '../../schemas/news.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listTeamNewsInput, listTeamNewsMeta, listTeamNewsOutput } from './list-team-news.types.ts';

export const listTeamNewsProcedure = protectedProcedure
  .meta(listTeamNewsMeta)
  .input(listTeamNewsInput)
  .output(listTeamNewsOutput)
  .query(async ({ ctx, input }) => {
    ctx.services.teams.require(input.teamId);
    const page = await listNews(ctx.services.prisma, {
      scope: { teamId: input.teamId },
      since: input.since === undefined ? undefined : new Date(input.since),
      until: input.until === undefined ? undefined : new Date(input.until),
      sourceId: input.sourceId,
      q: input.q,
      sort: input.sort,
      limit: input.limit,
      cursor: input.cursor,
    });
    return { items: page.items.map(toNewsItem), nextCursor: page.nextCursor };
  });
