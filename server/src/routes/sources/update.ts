import { changeSource } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './update.types.ts';

export const sourcesUpdate = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function sourcesUpdate({ ctx, input: { sourceId, ...change } }) {
    return changeSource(ctx.services, sourceId, change);
  });
