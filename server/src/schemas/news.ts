import type { NewsRow } from '@pressbox/db';
import { newsItemSchema, type NewsItem } from '@pressbox/jobs';
import { z } from 'zod';
import { cursorSchema, isoDateTime, limitSchema, pageOf } from './common.ts';

export { newsItemSchema, type NewsItem };

export const newsPageSchema = pageOf(newsItemSchema, 'NewsPage');

export function toNewsItem(row: NewsRow): NewsItem {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    author: row.author,
    summary: row.summary,
    contentHtml: row.contentHtml,
    publishedAt: row.publishedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    source: row.source,
    teams: row.teams,
  };
}

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
