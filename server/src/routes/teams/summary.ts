import { z } from 'zod';
import { getTeamSummary, refreshTeamSummary } from '../../domain/summaries.ts';
import { slugId } from '../../schemas/common.ts';
import { summaryLengthSchema } from '../../schemas/enums.ts';
import { errorMessages } from '../../schemas/error.ts';
import { jobAcceptedSchema, summarySchema } from '../../schemas/summary.ts';
import { TRPCError } from '../../trpc/init.ts';
import type { Meta } from '../../trpc/meta.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

const teamId = slugId.meta({ description: 'Team id', examples: ['nba-bos'] });

/** Explicit refreshes each user may ask for per minute. */
const REFRESHES_PER_MINUTE = 5;

export const getTeamSummaryProcedure = protectedProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/teams/{teamId}/summary',
      tags: ['summaries'],
      summary: 'A grounded summary of the team’s latest news',
      description:
        '200 with the summary (`stale: true` while a newer one is being made), or 202 with a job id when none exists yet and it takes longer than a moment. Every bullet cites the articles it comes from.',
    },
    deferrable: true,
  } satisfies Meta)
  .input(z.object({ teamId, length: summaryLengthSchema.default('MEDIUM') }))
  .output(z.union([summarySchema, jobAcceptedSchema]))
  .query(({ ctx, input }) => getTeamSummary(ctx.services, input.teamId, input.length, ctx.user.id));

export const refreshTeamSummaryProcedure = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/teams/{teamId}/summary/refresh',
      tags: ['summaries'],
      summary: 'Regenerate the team’s summary',
      description: `Always makes a new summary of the current news (rate limited to ${String(REFRESHES_PER_MINUTE)} per minute per user). Follow the job with GET /jobs/{jobId}.`,
    },
    successStatus: 202,
  } satisfies Meta)
  .input(z.object({ teamId, length: summaryLengthSchema.default('MEDIUM') }))
  .output(jobAcceptedSchema)
  .mutation(async ({ ctx, input }) => {
    const decision = await ctx.services.rateLimiter.consume(`summary-refresh:${ctx.user.id}`, REFRESHES_PER_MINUTE);
    if (!decision.allowed) {
      ctx.res?.setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: errorMessages.TOO_MANY_REQUESTS });
    }
    return refreshTeamSummary(ctx.services, input.teamId, input.length, ctx.user.id);
  });
