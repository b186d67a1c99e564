import { getTeamSummary } from '../../domain/summaries.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './summary.types.ts';

export const teamsSummary = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function teamsSummary({ ctx, input }) {
    return getTeamSummary(ctx.services, input.teamId, input.length, ctx.user.id);
  });
