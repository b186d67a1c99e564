import { z } from 'zod';
import { leagueSchema } from '../../schemas/enums.ts';
import { teamIdsSchema } from '../../schemas/source.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'POST',
    path: '/sources/import',
    tags: ['sources'],
    summary: 'Import sources from OPML',
    description:
      'OPML 1.0/2.0 with feed outlines (`xmlUrl`). Teams and league come from each outline’s `category` (`/teams/nba-bos`, `/league/NBA`, as exported) or from `teamIds`/`league` in the body. Known URLs are skipped.',
  },
} satisfies Meta;

export const input = z.object({
  opml: z
    .string()
    .min(1)
    .max(1024 * 1024),
  teamIds: teamIdsSchema.default([]),
  league: leagueSchema.optional(),
});
export const output = z
  .object({
    created: z.array(z.object({ id: z.string(), url: z.string(), jobId: z.string() })),
    skipped: z.array(z.object({ url: z.string(), reason: z.string() })),
  })
  .meta({ id: 'OpmlImportReport' });
