import { z } from 'zod';
import { leagueSchema } from '../../schemas/enums.ts';
import { sourceIdSchema, sourceSchema, teamIdsSchema } from '../../schemas/source.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'PATCH',
    path: '/sources/{sourceId}',
    tags: ['sources'],
    summary: 'Rename, relink, pause or resume a source',
    description: 'Send the fields to change; `teamIds` replaces the linked teams.',
  },
} satisfies Meta;

export const input = z.object({
  sourceId: sourceIdSchema,
  name: z.string().trim().min(1).max(200).optional(),
  league: leagueSchema.nullable().optional(),
  teamIds: teamIdsSchema.optional(),
  status: z.enum(['ACTIVE', 'PAUSED']).optional(),
});
export const output = sourceSchema;
