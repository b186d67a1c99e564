import { z } from 'zod';
import { slugId } from '../../schemas/common.ts';
import { followSchema } from '../../schemas/me.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'DELETE',
    path: '/me/follows/{teamId}',
    tags: ['me'],
    summary: 'Unfollow a team (idempotent)',
    description: 'Unfollowing a team you do not follow changes nothing (`changed: false`).',
  },
} satisfies Meta;

export const input = z.object({ teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }) });
export const output = followSchema;
