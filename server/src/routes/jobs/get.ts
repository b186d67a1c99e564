import { getVisibleJob } from '../../domain/jobs.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { input, meta, output } from './get.types.ts';

export const jobsGet = protectedProcedure
  .meta(meta)
  .input(input)
  .output(output)
  .query(function jobsGet({ ctx, input }) {
    return getVisibleJob(ctx.services, ctx.user, input.jobId);
  });
