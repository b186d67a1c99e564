import { listTeamsFor } from '../../domain/teams.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './list.types.ts';

export const teamsList = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function teamsList({ ctx, input }) {
    return listTeamsFor(ctx.services, ctx.user.id, input);
  });
