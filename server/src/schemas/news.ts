import { newsItemSchema, toNewsItem, type NewsItem } from '@pressbox/jobs';
import { z } from 'zod';
import { cursorSchema, isoDateTime, limitSchema, pageOf } from './common.ts';

export { newsItemSchema, toNewsItem, type NewsItem };

export const newsPageSchema = pageOf(newsItemSchema, 'NewsPage');

/** Query parameters shared by every news list. */
export const newsFilters = {
  since: isoDateTime.meta({ description: 'Only news published at or after this time' }).optional(),
  until: isoDateTime.meta({ description: 'Only news published before this time' }).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .meta({ description: 'Full-text search: words, "quoted phrases", -excluded, or', examples: ['trade deadline'] })
    .optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
};
