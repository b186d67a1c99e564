import type { Summary } from '@pressbox/db';
import { z } from 'zod';
import { isoDateTime } from './common.ts';
import { summaryLengthSchema } from './enums.ts';

export const summarySchema = z
  .object({
    teamId: z.string(),
    length: summaryLengthSchema,
    status: z.enum(['ready', 'empty']).meta({ description: '`empty`: the team has no news to summarise yet' }),
    text: z.string(),
    bullets: z.array(
      z.object({ text: z.string(), citations: z.array(z.string()).meta({ description: 'Ids of the articles the point comes from' }) }),
    ),
    articleIds: z.array(z.string()).meta({ description: 'The articles the summary was built from (its input version)' }),
    provider: z.string().meta({ examples: ['extractive', 'openai'] }),
    model: z.string(),
    generatedAt: isoDateTime.nullable(),
    stale: z
      .boolean()
      .meta({ description: 'True when newer news exists than this summary covers; a regeneration is under way or the provider is down' }),
  })
  .meta({ id: 'Summary' });

export const jobAcceptedSchema = z
  .object({
    status: z.literal('pending'),
    jobId: z.string().meta({ description: 'Follow it with GET /jobs/{jobId}' }),
  })
  .meta({ id: 'JobAccepted' });

export type SummaryDto = z.infer<typeof summarySchema>;

const bulletsSchema = z.array(z.object({ text: z.string(), citations: z.array(z.string()) }));

export function toSummaryDto(summary: Summary, stale: boolean): SummaryDto {
  return {
    teamId: summary.teamId,
    length: summary.length,
    status: 'ready',
    text: summary.text,
    bullets: bulletsSchema.catch([]).parse(summary.bullets),
    articleIds: summary.articleIds,
    provider: summary.provider,
    model: summary.model,
    generatedAt: summary.generatedAt.toISOString(),
    stale,
  };
}
