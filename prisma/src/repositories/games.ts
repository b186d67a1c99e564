import { z } from 'zod';
import { AppError } from '../errors.ts';
import { GameStatus, Prisma, type League, type PrismaClient } from '../generated/prisma/client.ts';
import { uuidv7 } from '../ids.ts';
import { insertEventRows, type EventInsert } from './events.ts';
import { decodeCursorOrThrow, toPage, type Page } from '../pagination.ts';

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

/** A game of the season, with what both the standings and the schedule helpers read. */
export interface SeasonGame {
  id: string;
  externalId: string;
  season: string;
  homeTeamId: string;
  awayTeamId: string;
  startsAt: Date;
  status: GameStatus;
  homeScore: number | null;
  awayScore: number | null;
}

/** A team of a league as standings list it. */
export interface SeasonTeam {
  id: string;
  name: string;
  conference: string | null;
  division: string | null;
}

export interface SeasonGames {
  league: League;
  season: string;
  /** Every team of the league, games or not, by name. */
  teams: SeasonTeam[];
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
  const teams = new Map<string, SeasonTeam>();
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

/** A validated game to write, keyed by `externalId`. */
export interface GameWrite {
  externalId: string;
  league: League;
  season: string;
  startsAt: Date;
  homeTeamId: string;
  awayTeamId: string;
  status: GameStatus;
  homeScore: number | null;
  awayScore: number | null;
}

export interface UpsertOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Teams of every inserted or updated game, including the teams an update moved a game away from; sorted. */
  changedTeamIds: string[];
}

/**
 * The events that announce what an import changed, read and built inside its transaction and
 * inserted as its last statement, so they commit (or roll back) with the games.
 */
export type GamesAnnouncer = (tx: Prisma.TransactionClient, changedTeamIds: readonly string[]) => Promise<readonly EventInsert[]>;

/** Rows per statement: 10 parameters each, far below Postgres' 65,535. */
const CHUNK = 500;
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 60_000 } as const;

const writtenRow = z.object({
  externalId: z.string(),
  homeTeamId: z.string(),
  awayTeamId: z.string(),
  inserted: z.boolean(),
  previousHomeTeamId: z.string().nullable(),
  previousAwayTeamId: z.string().nullable(),
});

/**
 * Writes games by `externalId` in ONE transaction, a single INSERT ... ON CONFLICT DO UPDATE per
 * chunk. The update only happens when a value differs (IS DISTINCT FROM), so a re-import
 * rewrites nothing and counts as unchanged. Rows go in sorted by externalId: two imports touching
 * the same games lock them in the same order, so concurrent runs neither deadlock nor collide on
 * the unique index; the later one waits and then finds nothing to change. `announce`, when given,
 * gives the events of the changed teams, committed in the same transaction.
 *
 * @example
 * const { inserted, changedTeamIds } = await upsertGames(prisma, records);
 */
export async function upsertGames(prisma: PrismaClient, records: readonly GameWrite[], announce?: GamesAnnouncer): Promise<UpsertOutcome> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0, changedTeamIds: [] };
  const sorted = [...records].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  return prisma.$transaction(async (tx) => {
    const outcome = { inserted: 0, updated: 0, unchanged: 0 };
    const teams = new Set<string>();
    for (let start = 0; start < sorted.length; start += CHUNK) {
      const chunk = sorted.slice(start, start + CHUNK);
      const written = z.array(writtenRow).parse(await tx.$queryRaw(upsertStatement(chunk)));
      for (const row of written) {
        outcome[row.inserted ? 'inserted' : 'updated'] += 1;
        for (const id of [row.homeTeamId, row.awayTeamId, row.previousHomeTeamId, row.previousAwayTeamId]) if (id !== null) teams.add(id);
      }
      outcome.unchanged += chunk.length - written.length;
    }
    const changedTeamIds = [...teams].sort();
    if (announce && changedTeamIds.length > 0) await insertEventRows(tx, await announce(tx, changedTeamIds));
    return { ...outcome, changedTeamIds };
  }, TRANSACTION_OPTIONS);
}

/**
 * `previous` reads the rows as they were before this statement (same snapshot), so an update that
 * moves a game to other teams also reports the teams it left. `xmax = 0` holds only for a row
 * this statement inserted.
 */
function upsertStatement(chunk: readonly GameWrite[]): Prisma.Sql {
  const values = Prisma.join(
    chunk.map(
      (game) =>
        Prisma.sql`(${uuidv7()}::uuid, ${game.externalId}, ${game.league}::"League", ${game.season}, ${game.homeTeamId}, ${game.awayTeamId}, ${game.startsAt.toISOString()}::timestamptz, ${game.status}::"GameStatus", ${game.homeScore}::int, ${game.awayScore}::int, CURRENT_TIMESTAMP)`,
    ),
  );
  const ids = Prisma.join(chunk.map((game) => game.externalId));
  return Prisma.sql`
    WITH previous AS (
      SELECT "externalId", "homeTeamId", "awayTeamId" FROM "Game" WHERE "externalId" IN (${ids})
    ), written AS (
      INSERT INTO "Game" ("id", "externalId", "league", "season", "homeTeamId", "awayTeamId", "startsAt", "status", "homeScore", "awayScore", "updatedAt")
      VALUES ${values}
      ON CONFLICT ("externalId") DO UPDATE SET
        "league" = EXCLUDED."league",
        "season" = EXCLUDED."season",
        "homeTeamId" = EXCLUDED."homeTeamId",
        "awayTeamId" = EXCLUDED."awayTeamId",
        "startsAt" = EXCLUDED."startsAt",
        "status" = EXCLUDED."status",
        "homeScore" = EXCLUDED."homeScore",
        "awayScore" = EXCLUDED."awayScore",
        "updatedAt" = CURRENT_TIMESTAMP
      WHERE ("Game"."league", "Game"."season", "Game"."homeTeamId", "Game"."awayTeamId", "Game"."startsAt", "Game"."status", "Game"."homeScore", "Game"."awayScore")
        IS DISTINCT FROM (EXCLUDED."league", EXCLUDED."season", EXCLUDED."homeTeamId", EXCLUDED."awayTeamId", EXCLUDED."startsAt", EXCLUDED."status", EXCLUDED."homeScore", EXCLUDED."awayScore")
      RETURNING "externalId", "homeTeamId", "awayTeamId", (xmax = 0) AS "inserted"
    )
    SELECT written."externalId", written."homeTeamId", written."awayTeamId", written."inserted",
      previous."homeTeamId" AS "previousHomeTeamId", previous."awayTeamId" AS "previousAwayTeamId"
    FROM written LEFT JOIN previous ON previous."externalId" = written."externalId"`;
}

/** Every team of the leagues these teams play in, sorted by id. */
export async function teamsOfLeaguesOf(
  db: PrismaClient | Prisma.TransactionClient,
  teamIds: readonly string[],
): Promise<{ id: string; league: League }[]> {
  if (teamIds.length === 0) return [];
  const played = await db.team.findMany({ where: { id: { in: [...teamIds] } }, distinct: ['league'], select: { league: true } });
  if (played.length === 0) return [];
  return db.team.findMany({
    where: { league: { in: played.map((team) => team.league) } },
    orderBy: { id: 'asc' },
    select: { id: true, league: true },
  });
}

/** The league of each of these teams that exists, in one query. */
export async function teamLeagues(prisma: PrismaClient, ids: readonly string[]): Promise<Map<string, League>> {
  if (ids.length === 0) return new Map();
  const teams = await prisma.team.findMany({ where: { id: { in: [...ids] } }, select: { id: true, league: true } });
  return new Map(teams.map((team) => [team.id, team.league]));
}

/**
 * The season a team's pages show: that of its latest game, else (a team yet to play, or left out
 * of the schedule) the season its league plays now. Null while the league has no games at all.
 */
export async function currentSeasonOf(prisma: PrismaClient, team: { id: string; league: League }): Promise<string | null> {
  const latestOf = (where: Prisma.GameWhereInput) =>
    prisma.game.findFirst({ where, orderBy: [{ startsAt: 'desc' }, { id: 'desc' }], select: { season: true } });
  const own = await latestOf({ OR: [{ homeTeamId: team.id }, { awayTeamId: team.id }] });
  if (own) return own.season;
  return (await latestOf({ league: team.league }))?.season ?? null;
}
