import { Prisma, type League, type PrismaClient, type SummaryLength, type Team } from '@pressbox/db';
import {
  computeStandings,
  lastGames,
  loadSeasonGames,
  loadTeamSummaryInput,
  nextGame,
  type SeasonGame,
  type StandingsTeam,
  type TeamGame,
} from '@pressbox/jobs';
import type { Cache } from '../infra/cache/interface.ts';
import type { DashboardDto } from '../schemas/dashboard.ts';
import { toGameDto } from '../schemas/game.ts';

const DAYS = 14;
const CACHE_TTL_MS = 5 * 60_000;

/** How teams level on their record are ordered, in the words of `computeStandings`. */
export const tieBreakRule: Record<'points' | 'percentage', string> = {
  percentage:
    'Win percentage, then head-to-head win percentage among the tied teams (when each has played another of them), then point differential, then points scored, then name; teams without a game rank last',
  points: 'Points, then goal difference, then goals scored, then name; teams without a game rank last',
};

export interface DashboardDeps {
  prisma: PrismaClient;
  cache: Cache;
  teamsById: (id: string) => Team | undefined;
  /** Every team of a league, to rank them all before the league has played a game. */
  teamsOfLeague: (league: League) => readonly Team[];
  now?: () => Date;
}

/**
 * A team's dashboard as seen from a time zone. Computing it reads games, standings, news and
 * summaries; the result is cached under the id of the team's latest event, so every event that
 * changes it (news, games, summaries — each publishes one) makes the next call recompute, in any
 * process, while a warm call costs two indexed lookups (the latest event, and the follower count,
 * which is never cached because following publishes no event).
 */
export async function teamDashboard(deps: DashboardDeps, team: Team, timezone: string, length: SummaryLength): Promise<DashboardDto> {
  const [latest, followerCount] = await Promise.all([
    deps.prisma.event.findFirst({ where: { teamId: team.id }, orderBy: { id: 'desc' }, select: { id: true } }),
    deps.prisma.follow.count({ where: { teamId: team.id } }),
  ]);
  const key = `dashboard:${team.id}:${latest?.id.toString() ?? '0'}:${timezone}:${length}`;
  const cached = await deps.cache.get<CachedDashboard>(key);
  if (cached) return { ...cached, followerCount };
  const dashboard = await computeDashboard(deps, team, timezone, length);
  await deps.cache.set(key, dashboard, CACHE_TTL_MS);
  return { ...dashboard, followerCount };
}

type CachedDashboard = Omit<DashboardDto, 'followerCount'>;

async function computeDashboard(deps: DashboardDeps, team: Team, timezone: string, length: SummaryLength): Promise<CachedDashboard> {
  const now = deps.now?.() ?? new Date();
  const { prisma } = deps;
  const season = await seasonOf(prisma, team);
  const seasonGames = season
    ? await loadSeasonGames(prisma, team.league, season)
    : { teams: deps.teamsOfLeague(team.league).map(standingsTeam), games: [] as SeasonGame[] };
  const [volume, topSources, summary] = await Promise.all([
    newsVolume(prisma, team.id, timezone, now),
    topSourcesOf(prisma, team.id, timezone, now),
    summaryStatus(prisma, team, length),
  ]);

  // Every team is ranked, even before its league's first game (then 0-0, by name).
  const standings = computeStandings(team.league, seasonGames.teams, seasonGames.games);
  const mine = standings.find((standing) => standing.teamId === team.id);
  const peers = (field: 'conference' | 'division') =>
    standings.filter((standing) => standing[field] !== null && standing[field] === team[field]).length;
  const toGame = (game: SeasonGame): TeamGame => ({
    id: game.id,
    externalId: game.externalId,
    league: team.league,
    season: season ?? '',
    startsAt: game.startsAt,
    status: game.status,
    homeScore: game.homeScore,
    awayScore: game.awayScore,
    homeTeam: describe(deps, game.homeTeamId),
    awayTeam: describe(deps, game.awayTeamId),
  });
  const next = nextGame(team.id, seasonGames.games, now);
  return {
    teamId: team.id,
    season,
    record: {
      wins: mine?.wins ?? 0,
      losses: mine?.losses ?? 0,
      ties: mine?.ties ?? 0,
      gamesPlayed: mine?.gamesPlayed ?? 0,
      winPercentage: mine?.winPercentage ?? 0,
      points: mine?.points ?? (isPointsLeague(team.league) ? 0 : null),
      pointsFor: mine?.pointsFor ?? 0,
      pointsAgainst: mine?.pointsAgainst ?? 0,
      differential: mine?.differential ?? 0,
    },
    standing: {
      league: { name: team.league, rank: mine?.leagueRank ?? 0, of: standings.length },
      conference:
        team.conference && mine?.conferenceRank ? { name: team.conference, rank: mine.conferenceRank, of: peers('conference') } : null,
      division: team.division && mine?.divisionRank ? { name: team.division, rank: mine.divisionRank, of: peers('division') } : null,
      tieBreak: tieBreakRule[isPointsLeague(team.league) ? 'points' : 'percentage'],
    },
    lastGames: lastGames(team.id, seasonGames.games, 5).map((game) => toGameDto(toGame(game))),
    nextGame: next ? toGameDto(toGame(next)) : null,
    newsVolume: volume,
    timezone,
    topSources,
    summary,
    computedAt: now.toISOString(),
  };
}

/**
 * The season a team's dashboard shows: that of its latest game, else (a team yet to play, or
 * left out of the schedule) the season its league plays now, so it is still ranked among the
 * league's teams. Null while the league has no games at all.
 */
async function seasonOf(prisma: PrismaClient, team: Team): Promise<string | null> {
  const latestOf = (where: Prisma.GameWhereInput) =>
    prisma.game.findFirst({ where, orderBy: [{ startsAt: 'desc' }, { id: 'desc' }], select: { season: true } });
  const own = await latestOf({ OR: [{ homeTeamId: team.id }, { awayTeamId: team.id }] });
  if (own) return own.season;
  return (await latestOf({ league: team.league }))?.season ?? null;
}

function standingsTeam(team: Team): StandingsTeam {
  return { id: team.id, name: team.name, conference: team.conference, division: team.division };
}

function isPointsLeague(league: League): boolean {
  return league === 'PREMIER_LEAGUE';
}

function describe(deps: DashboardDeps, teamId: string) {
  const team = deps.teamsById(teamId);
  return { id: teamId, name: team?.name ?? teamId, shortName: team?.shortName ?? teamId, abbreviation: team?.abbreviation ?? '' };
}

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
function localDate(instant: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * The last `count` calendar dates in a time zone, today included, oldest first. Days are counted
 * on the calendar, not in 24-hour steps: a day of 23 or 25 hours (a DST change) is one day.
 *
 * @example
 * recentLocalDates(new Date('2026-03-09T07:30:00Z'), 'America/Los_Angeles', 3) // ['2026-03-07', '2026-03-08', '2026-03-09']
 */
export function recentLocalDates(now: Date, timezone: string, count: number): string[] {
  const [year, month, day] = localDate(now, timezone).split('-').map(Number);
  const dates: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    dates.push(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) - back)).toISOString().slice(0, 10));
  }
  return dates;
}

/** The instant the first of the 14 local days begins (calendar days, so DST changes are counted right). */
function windowStart(timezone: string, now: Date): Prisma.Sql {
  return Prisma.sql`((date_trunc('day', ${now} AT TIME ZONE ${timezone}) - make_interval(days => ${DAYS - 1})) AT TIME ZONE ${timezone})`;
}

/** Articles per local day for the last 14 days (today included), zero-filled, oldest first. */
async function newsVolume(prisma: PrismaClient, teamId: string, timezone: string, now: Date): Promise<{ date: string; count: number }[]> {
  const days = recentLocalDates(now, timezone, DAYS);
  const rows = await prisma.$queryRaw<{ day: string; count: number }[]>(Prisma.sql`
    SELECT to_char(t."publishedAt" AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day, count(*)::int AS count
    FROM "ArticleTeam" t
    WHERE t."teamId" = ${teamId}
      AND t."publishedAt" >= ${windowStart(timezone, now)} AND t."publishedAt" <= ${now}
    GROUP BY 1`);
  const counts = new Map(rows.map((row) => [row.day, row.count]));
  return days.map((date) => ({ date, count: counts.get(date) ?? 0 }));
}

/** Sources with the most of the team's articles over the same local days as the news volume. */
async function topSourcesOf(
  prisma: PrismaClient,
  teamId: string,
  timezone: string,
  now: Date,
): Promise<{ id: string; name: string; count: number }[]> {
  return prisma.$queryRaw<{ id: string; name: string; count: number }[]>(Prisma.sql`
    SELECT s."id"::text AS id, s."name", count(*)::int AS count
    FROM "ArticleTeam" t JOIN "Article" a ON a."id" = t."articleId" JOIN "Source" s ON s."id" = a."sourceId"
    WHERE t."teamId" = ${teamId} AND t."publishedAt" >= ${windowStart(timezone, now)} AND t."publishedAt" <= ${now}
    GROUP BY s."id", s."name"
    ORDER BY count DESC, s."name" ASC
    LIMIT 5`);
}

async function summaryStatus(prisma: PrismaClient, team: Team, length: SummaryLength): Promise<DashboardDto['summary']> {
  const latest = await prisma.summary.findFirst({
    where: { teamId: team.id, length },
    orderBy: { generatedAt: 'desc' },
    select: { inputVersion: true, generatedAt: true },
  });
  if (!latest) return { length, status: 'missing', generatedAt: null };
  const current = await loadTeamSummaryInput(prisma, team, length);
  return {
    length,
    status: current.inputVersion === latest.inputVersion ? 'fresh' : 'stale',
    generatedAt: latest.generatedAt.toISOString(),
  };
}
