import { z } from 'zod';
import { leagueSchema } from '../../schemas/enums.ts';
import { feedUrlSchema, sourceSchema, teamIdsSchema } from '../../schemas/source.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'POST',
    path: '/sources',
    tags: ['sources'],
    summary: 'Add a feed source',
    description: 'Link it to teams, or to a league for league-wide news. It is fetched at once.',
  },
  errors: ['NOT_FOUND', 'CONFLICT'],
} satisfies Meta;

export const input = z.object({
  url: feedUrlSchema,
  name: z.string().trim().min(1).max(200).optional(),
  league: leagueSchema.optional(),
  teamIds: teamIdsSchema.default([]),
});
export const output = z.object({ source: sourceSchema, jobId: z.string() }).meta({ id: 'SourceCreated' });
