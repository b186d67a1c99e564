import { sourceFetchHistory } from '../../domain/sources.ts';
import { adminProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './fetches.types.ts';

export const sourcesFetches = adminProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function sourcesFetches({ ctx, input }) {
    return sourceFetchHistory(ctx.services, input.sourceId, input.limit);
  });
