import { z } from 'zod';
import { REFRESHES_PER_MINUTE } from '../../domain/summaries.ts';
import { slugId } from '../../schemas/common.ts';
import { summaryLengthSchema } from '../../schemas/enums.ts';
import { jobAcceptedSchema } from '../../schemas/summary.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'POST',
    path: '/teams/{teamId}/summary/refresh',
    tags: ['summaries'],
    summary: 'Regenerate the team’s summary',
    description: `Always makes a new summary of the current news (rate limited to ${String(REFRESHES_PER_MINUTE)} per minute per user). Follow the job with GET /jobs/{jobId}.`,
  },
  successStatus: 202,
} satisfies Meta;

export const input = z.object({
  teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }),
  length: summaryLengthSchema.default('MEDIUM'),
});
export const output = jobAcceptedSchema;
