import { z } from 'zod';
import { fetchAttemptSchema, sourceIdSchema } from '../../schemas/source.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/sources/{sourceId}/fetches',
    tags: ['sources'],
    summary: 'Why did this feed (not) update? Its last fetch attempts',
    description:
      'Newest first: time, HTTP status, bytes, duration, outcome, what was created, updated, left unchanged or linked, news per team, and the error. The newest 50 attempts are kept.',
  },
} satisfies Meta;

export const input = z.object({
  sourceId: sourceIdSchema,
  limit: z.number().int().min(1).max(50).default(20).meta({ description: 'Attempts to return, 1–50' }),
});
export const output = z.object({ items: z.array(fetchAttemptSchema) }).meta({ id: 'FetchHistory' });
