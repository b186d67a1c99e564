import { listTeamGames, normalizeSeason } from '@pressbox/jobs';
import { AppError } from '@pressbox/db';
import { z } from 'zod';
import { cursorSchema, limitSchema, pageOf, slugId } from '../../schemas/common.ts';
import { gameStatusSchema } from '../../schemas/enums.ts';
import { gameSchema, toGameDto } from '../../schemas/game.ts';
import type { Meta } from '../../trpc/meta.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

export const listTeamGamesProcedure = protectedProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/teams/{teamId}/games',
      tags: ['teams'],
      summary: 'A team’s games, newest first',
      description: 'Filter by season and status.',
    },
  } satisfies Meta)
  .input(
    z.object({
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
    }),
  )
  .output(pageOf(gameSchema, 'GamePage'))
  .query(async ({ ctx, input }) => {
    ctx.services.teams.require(input.teamId);
    const season = input.season === undefined ? undefined : normalizeSeason(input.season);
    if (input.season !== undefined && season === undefined)
      throw new AppError('BAD_REQUEST', `${input.season} is not a season (2025, 2025-26 or 2025-2026)`);
    const page = await listTeamGames(ctx.services.prisma, {
      teamId: input.teamId,
      season,
      status: input.status,
      limit: input.limit,
      cursor: input.cursor,
    });
    return { items: page.items.map(toGameDto), nextCursor: page.nextCursor };
  });
