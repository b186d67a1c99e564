import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import { teamSchema } from '../../schemas/team.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/teams/{teamId}',
    tags: ['teams'],
    summary: 'Get a team',
    description: 'Name, league, conference and division, city, colors and the aliases league-wide news is matched by.',
  },
  errors: ['NOT_FOUND'],
} satisfies Meta;

export const input = z.object({ teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }) });
export const output = teamSchema;
