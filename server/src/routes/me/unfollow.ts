import { unfollow } from '../../domain/me.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './unfollow.types.ts';

export const meUnfollow = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function meUnfollow({ ctx, input }) {
    return unfollow(ctx.services, ctx.user.id, input.teamId);
  });
