import { GameStatus, Prisma, type League, type PrismaClient } from '@pressbox/db';
import { z } from 'zod';
import type { ScheduleGame } from './schedule.ts';
import { computeStandings, type StandingsGame, type StandingsTeam, type TeamStanding } from './standings.ts';

/** A game of the season, with what both the standings and the schedule helpers read. */
export interface SeasonGame extends StandingsGame, ScheduleGame {
  externalId: string;
}

export interface SeasonGames {
  league: League;
  season: string;
  /** Every team of the league, games or not, by name. */
  teams: StandingsTeam[];
  /** Every game of the season in any status, oldest first. */
  games: SeasonGame[];
}

const seasonRow = z.object({
  teamId: z.string(),
  name: z.string(),
  conference: z.string().nullable(),
  division: z.string().nullable(),
  gameId: z.string().nullable(),
  externalId: z.string().nullable(),
  awayTeamId: z.string().nullable(),
  startsAt: z.coerce.date().nullable(),
  status: z.enum(GameStatus).nullable(),
  homeScore: z.number().int().nullable(),
  awayScore: z.number().int().nullable(),
});

/**
 * Everything the standings of one league's season need, in ONE query: the league's teams, each
 * joined to the season's games it hosts (so every game comes once and teams without games still
 * come back). `season` is compared as stored (`2025` or `2025-26`).
 *
 * @example
 * const { teams, games } = await loadSeasonGames(prisma, 'NBA', '2025-26');
 * const table = computeStandings('NBA', teams, games);
 */
export async function loadSeasonGames(prisma: PrismaClient, league: League, season: string): Promise<SeasonGames> {
  const raw = await prisma.$queryRaw(Prisma.sql`
    SELECT t."id" AS "teamId", t."name", t."conference", t."division",
      g."id"::text AS "gameId", g."externalId", g."awayTeamId", g."startsAt", g."status"::text AS "status", g."homeScore", g."awayScore"
    FROM "Team" t
    LEFT JOIN "Game" g ON g."homeTeamId" = t."id" AND g."league" = ${league}::"League" AND g."season" = ${season}
    WHERE t."league" = ${league}::"League"
    ORDER BY t."name", t."id", g."startsAt", g."id"`);
  const rows = z.array(seasonRow).parse(raw);
  const teams = new Map<string, StandingsTeam>();
  const games: SeasonGame[] = [];
  for (const row of rows) {
    if (!teams.has(row.teamId))
      teams.set(row.teamId, { id: row.teamId, name: row.name, conference: row.conference, division: row.division });
    if (row.gameId === null || row.externalId === null || row.awayTeamId === null || row.startsAt === null || row.status === null) continue;
    games.push({
      id: row.gameId,
      externalId: row.externalId,
      season,
      homeTeamId: row.teamId,
      awayTeamId: row.awayTeamId,
      startsAt: row.startsAt,
      status: row.status,
      homeScore: row.homeScore,
      awayScore: row.awayScore,
    });
  }
  games.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { league, season, teams: [...teams.values()], games };
}

/**
 * The standings table of a league's season, straight from the database.
 *
 * @example
 * const table = await loadStandings(prisma, 'PREMIER_LEAGUE', '2025-26');
 */
export async function loadStandings(prisma: PrismaClient, league: League, season: string): Promise<TeamStanding[]> {
  const { teams, games } = await loadSeasonGames(prisma, league, season);
  return computeStandings(league, teams, games);
}
