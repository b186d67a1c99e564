import { importOpmlSources } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './import.types.ts';

export const sourcesImport = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .mutation(function sourcesImport({ ctx, input }) {
    return importOpmlSources(ctx.services, input, ctx.user.id);
  });
