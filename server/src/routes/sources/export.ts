import { exportOpmlSources } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './export.types.ts';

export const sourcesExport = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function sourcesExport({ ctx }) {
    return exportOpmlSources(ctx.services);
  });
