import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import { followSchema } from '../../schemas/me.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'PUT',
    path: '/me/follows/{teamId}',
    tags: ['me'],
    summary: 'Follow a team (idempotent)',
    description: 'Following a team you already follow changes nothing (`changed: false`).',
  },
} satisfies Meta;

export const input = z.object({ teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }) });
export const output = followSchema;
