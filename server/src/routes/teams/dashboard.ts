import { dashboardFor } from '../../domain/dashboard.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './dashboard.types.ts';

export const teamsDashboard = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function teamsDashboard({ ctx, input }) {
    return dashboardFor(ctx.services, ctx.user.id, input.teamId, input.timezone);
  });
