import { z } from 'zod';
import { cursorSchema, limitSchema, pageOf, slugId } from '../../schemas/common.ts';
import { gameStatusSchema } from '../../schemas/enums.ts';
import { gameSchema } from '../../schemas/game.ts';
import type { Meta } from '../../trpc/meta.ts';

export const meta = {
  openapi: {
    method: 'GET',
    path: '/teams/{teamId}/games',
    tags: ['teams'],
    summary: 'A team’s games, newest first',
    description: 'Filter by season and status.',
  },
} satisfies Meta;

export const input = z.object({
  teamId: slugId.meta({ description: 'Team id', examples: ['nba-bos'] }),
  season: z
    .string()
    .trim()
    .max(20)
    .meta({ description: 'e.g. 2025, 2025-26 or 2025-2026', examples: ['2025-26'] })
    .optional(),
  status: gameStatusSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

export const output = pageOf(gameSchema, 'GamePage');
