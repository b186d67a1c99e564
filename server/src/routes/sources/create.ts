import { createSourceFor } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './create.types.ts';

export const sourcesCreate = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function sourcesCreate({ ctx, input }) {
    return createSourceFor(ctx.services, input, ctx.user.id);
  });
