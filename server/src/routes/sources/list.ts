import { listSourcesPage } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './list.types.ts';

export const sourcesList = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function sourcesList({ ctx, input }) {
    return listSourcesPage(ctx.services, input);
  });
