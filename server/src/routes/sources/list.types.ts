import { z } from 'zod';
import { cursorSchema, limitSchema, pageOf } from '../../schemas/common.ts';
import { sourceStatusSchema } from '../../schemas/enums.ts';
import { sourceSchema } from '../../schemas/source.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/sources',
    tags: ['sources'],
    summary: 'List feed sources',
    description: 'By name. Filter by status to see failing ones, or by team.',
  },
} satisfies Meta;

export const input = z.object({
  status: sourceStatusSchema.optional(),
  teamId: z.string().max(64).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export const output = pageOf(sourceSchema, 'SourcePage');
