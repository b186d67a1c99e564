import { z } from 'zod';
import { cursorSchema, limitSchema, pageOf } from '../../schemas/common.ts';
import { leagueSchema } from '../../schemas/enums.ts';
import { teamSchema } from '../../schemas/team.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/teams',
    tags: ['teams'],
    summary: 'List teams',
    description: 'Teams of every league, ordered by name. Filter by league, search by name, or list only the teams you follow.',
  },
} satisfies Meta;

export const input = z.object({
  league: leagueSchema.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .meta({ description: 'Search in name, short name, city and abbreviation', examples: ['celtics'] })
    .optional(),
  followed: z
    .boolean()
    .meta({ description: '`true`: only teams you follow; `false`: only teams you do not follow', examples: [true] })
    .optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

export const output = pageOf(teamSchema, 'TeamPage');
