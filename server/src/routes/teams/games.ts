import { teamGames } from '../../domain/games.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './games.types.ts';

export const teamsGames = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function teamsGames({ ctx, input }) {
    return teamGames(ctx.services, input);
  });
