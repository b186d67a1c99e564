import { loadSeasonGames, type League, type PrismaClient } from '@pressbox/db';
import { computeStandings, type TeamStanding } from './standings.ts';

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
