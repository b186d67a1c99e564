import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import { newsFilters, newsPageSchema } from '../../schemas/news.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/teams/{teamId}/news',
    tags: ['teams'],
    summary: 'A team’s news',
    description:
      'Newest first by default. `q` searches titles and summaries (ranked; `sort=relevance` orders by rank). Cursor pagination is stable while new articles arrive.',
  },
} satisfies Meta;

export const input = z.object({
  teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }),
  ...newsFilters,
  sourceId: z.uuid().meta({ description: 'Only news carried by this source' }).optional(),
  sort: z.enum(['newest', 'oldest', 'relevance']).default('newest').meta({ description: '`relevance` needs `q`' }),
});

export const output = newsPageSchema;
