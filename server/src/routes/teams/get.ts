import { getTeam } from '../../domain/teams.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './get.types.ts';

export const teamsGet = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function teamsGet({ ctx, input }) {
    return getTeam(ctx.services, input.teamId);
  });
