import type { TeamGame } from '@pressbox/db';
import { z } from 'zod';
import { isoDateTime } from './common.ts';
import { gameStatusSchema, leagueSchema } from './enums.ts';

const gameTeamSchema = z.object({ id: z.string(), name: z.string(), shortName: z.string(), abbreviation: z.string() });

export const gameSchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    league: leagueSchema,
    season: z.string().meta({ examples: ['2025-26'] }),
    startsAt: isoDateTime,
    status: gameStatusSchema,
    homeScore: z.number().int().nullable(),
    awayScore: z.number().int().nullable(),
    homeTeam: gameTeamSchema,
    awayTeam: gameTeamSchema,
  })
  .meta({ id: 'Game' });

export type GameDto = z.infer<typeof gameSchema>;

export function toGameDto(game: TeamGame): GameDto {
  return { ...game, startsAt: game.startsAt.toISOString() };
}
