import { getMe } from '../../domain/me.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './get.types.ts';

export const meGet = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function meGet({ ctx }) {
    return getMe(ctx.services, ctx.user.id);
  });
