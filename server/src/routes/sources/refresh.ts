import { refreshSourceNow } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './refresh.types.ts';

export const sourcesRefresh = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function sourcesRefresh({ ctx, input }) {
    return refreshSourceNow(ctx.services, input.sourceId, ctx.user.id);
  });
