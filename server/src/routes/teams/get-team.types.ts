import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import { teamSchema } from '../../schemas/team.ts';
import type { Meta } from '../../trpc/meta.ts';

export const getTeamMeta = {
  openapi: {
    method: 'GET',
    path: '/teams/{teamId}',
    tags: ['teams'],
    summary: 'Get a team',
  },
  errors: ['NOT_FOUND'],
} satisfies Meta;

export const getTeamInput = z.object({ teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }) });
export const getTeamOutput = teamSchema;
