import { getSource } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './get.types.ts';

export const sourcesGet = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function sourcesGet({ ctx, input }) {
    return getSource(ctx.services, input.sourceId);
  });
