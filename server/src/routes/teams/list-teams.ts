import { listTeams } from '@pressbox/db';
import { toTeamDto } from '../../schemas/team.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listTeamsInput, listTeamsMeta, listTeamsOutput } from './list-teams.types.ts';

export const listTeamsProcedure = protectedProcedure
  .meta(listTeamsMeta)
  .input(listTeamsInput)
  .output(listTeamsOutput)
  .query(async ({ ctx, input }) => {
    const page = await listTeams(ctx.services.prisma, {
      league: input.league,
      q: input.q,
      followedBy: input.followed === undefined ? undefined : { userId: ctx.user.id, following: input.followed },
      limit: input.limit,
      cursor: input.cursor,
    });
    return { items: page.items.map(toTeamDto), nextCursor: page.nextCursor };
  });
