import { z } from 'zod';
import { sourceIdSchema, sourceSchema } from '../../schemas/source.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/sources/{sourceId}',
    tags: ['sources'],
    summary: 'Get a source',
    description: 'With its fetch status, schedule and last error.',
  },
} satisfies Meta;

export const input = z.object({ sourceId: sourceIdSchema });
export const output = sourceSchema;
