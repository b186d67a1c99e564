import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import { summaryLengthSchema } from '../../schemas/enums.ts';
import { jobAcceptedSchema, summarySchema } from '../../schemas/summary.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/teams/{teamId}/summary',
    tags: ['summaries'],
    summary: 'A grounded summary of the team’s latest news',
    description:
      '200 with the summary (`stale: true` while a newer one is being made), or 202 with a job id when none exists yet and it takes longer than a moment. Every bullet cites the articles it comes from.',
  },
  deferrable: true,
} satisfies Meta;

export const input = z.object({
  teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }),
  length: summaryLengthSchema.default('MEDIUM'),
});
export const output = z.union([summarySchema, jobAcceptedSchema]);
