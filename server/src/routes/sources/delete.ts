import { removeSource } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './delete.types.ts';

export const sourcesDelete = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function sourcesDelete({ ctx, input }) {
    return removeSource(ctx.services, input.sourceId);
  });
