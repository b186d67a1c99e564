import { follow } from '../../domain/me.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './follow.types.ts';

export const meFollow = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function meFollow({ ctx, input }) {
    return follow(ctx.services, ctx.user.id, input.teamId);
  });
