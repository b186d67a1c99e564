import {
  AppError,
  decodeCursorOrThrow,
  toPage,
  type GameStatus,
  type League,
  type Page,
  type Prisma,
  type PrismaClient,
} from '@pressbox/db';

export interface TeamGamesQuery {
  teamId: string;
  season?: string | undefined;
  status?: GameStatus | undefined;
  /** Page size; the API bounds it to 1–100. */
  limit: number;
  cursor?: string | undefined;
}

export interface GameTeam {
  id: string;
  name: string;
  shortName: string;
  abbreviation: string;
}

/** One game as team pages show it. */
export interface TeamGame {
  id: string;
  externalId: string;
  league: League;
  season: string;
  startsAt: Date;
  status: GameStatus;
  homeScore: number | null;
  awayScore: number | null;
  homeTeam: GameTeam;
  awayTeam: GameTeam;
}

const cursorShape = ['string', 'string'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const teamSelect = { id: true, name: true, shortName: true, abbreviation: true } as const;

/**
 * A team's games (home and away), newest first, keyset-paginated on (startsAt, id) so pages stay
 * stable while games are imported. Filters: season (as stored: `2025` or `2025-26`) and status.
 * Throws NOT_FOUND for an unknown team and BAD_REQUEST for a cursor this list did not return.
 *
 * @example
 * const page = await listTeamGames(prisma, { teamId: 'nba-bos', season: '2025-26', limit: 20 });
 * const next = await listTeamGames(prisma, { teamId: 'nba-bos', season: '2025-26', limit: 20, cursor: page.nextCursor ?? undefined });
 */
export async function listTeamGames(prisma: PrismaClient, query: TeamGamesQuery): Promise<Page<TeamGame>> {
  const after = query.cursor === undefined ? undefined : decodeCursorOrThrow(query.cursor, cursorShape);
  const conditions: Prisma.GameWhereInput[] = [{ OR: [{ homeTeamId: query.teamId }, { awayTeamId: query.teamId }] }];
  if (query.season !== undefined) conditions.push({ season: query.season });
  if (query.status !== undefined) conditions.push({ status: query.status });
  if (after !== undefined) {
    const [startsAtText, id] = after as [string, string];
    const startsAt = new Date(startsAtText);
    if (Number.isNaN(startsAt.getTime()) || !UUID.test(id)) throw new AppError('BAD_REQUEST', 'The cursor is not one this list returned');
    conditions.push({ OR: [{ startsAt: { lt: startsAt } }, { startsAt, id: { lt: id } }] });
  }
  const [team, rows] = await Promise.all([
    prisma.team.findUnique({ where: { id: query.teamId }, select: { id: true } }),
    prisma.game.findMany({
      where: { AND: conditions },
      orderBy: [{ startsAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      select: {
        id: true,
        externalId: true,
        league: true,
        season: true,
        startsAt: true,
        status: true,
        homeScore: true,
        awayScore: true,
        homeTeam: { select: teamSelect },
        awayTeam: { select: teamSelect },
      },
    }),
  ]);
  if (team === null) throw new AppError('NOT_FOUND', `No team with id ${query.teamId}`);
  return toPage(rows, query.limit, (game) => [game.startsAt.toISOString(), game.id]);
}
