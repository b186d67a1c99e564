import { z } from 'zod';
import { sourceIdSchema } from '../../schemas/source.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'DELETE',
    path: '/sources/{sourceId}',
    tags: ['sources'],
    summary: 'Delete a source',
    description: 'Articles other sources also carry stay; the rest are deleted with it.',
  },
} satisfies Meta;

export const input = z.object({ sourceId: sourceIdSchema });
export const output = z.object({ deleted: z.literal(true), deletedArticles: z.number().int() });
