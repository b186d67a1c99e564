import { z } from 'zod';
import { newsFilters, newsPageSchema } from '../../schemas/news.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/me/feed',
    tags: ['me'],
    summary: 'News across the teams you follow',
    description: 'Each article appears once, however many of your teams it is about. Newest first; empty when you follow no team.',
  },
} satisfies Meta;

export const input = z.object({ ...newsFilters, sort: z.enum(['newest', 'oldest']).default('newest') });
export const output = newsPageSchema;
