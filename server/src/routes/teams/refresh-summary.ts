import { refreshTeamSummary } from '../../domain/summaries.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './refresh-summary.types.ts';

export const teamsRefreshSummary = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function teamsRefreshSummary({ ctx, input }) {
    return refreshTeamSummary(ctx.services, input.teamId, input.length, ctx.user.id);
  });
