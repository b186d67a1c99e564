import { Prisma, type League, type PrismaClient, type SummaryLength, type Team } from '@pressbox/db';
import {
  computeStandings,
  lastGames,
  loadSeasonGames,
  loadTeamSummaryInput,
  nextGame,
  type SeasonGame,
  type TeamGame,
} from '@pressbox/jobs';
import type { Cache } from '../infra/cache/interface.ts';
import type { DashboardDto } from '../schemas/dashboard.ts';
import { toGameDto } from '../schemas/game.ts';

const DAYS = 14;
const CACHE_TTL_MS = 5 * 60_000;

export const tieBreakRule: Record<'points' | 'percentage', string> = {
  percentage:
    'Win percentage, then head-to-head win percentage among the tied teams, then point differential, then points scored, then name',
  points: 'Points, then goal difference, then goals scored, then name',
};

export interface DashboardDeps {
  prisma: PrismaClient;
  cache: Cache;
  teamsById: (id: string) => Team | undefined;
  now?: () => Date;
}

/**
 * A team's dashboard as seen from a time zone. Computing it reads games, standings, news and
 * summaries; the result is cached under the id of the team's latest event, so every event that
 * changes it (news, games, summaries — each publishes one) makes the next call recompute, in any
 * process, while a warm call costs one indexed lookup.
 */
export async function teamDashboard(deps: DashboardDeps, team: Team, timezone: string, length: SummaryLength): Promise<DashboardDto> {
  const latest = await deps.prisma.event.findFirst({ where: { teamId: team.id }, orderBy: { id: 'desc' }, select: { id: true } });
  const key = `dashboard:${team.id}:${latest?.id.toString() ?? '0'}:${timezone}:${length}`;
  const cached = await deps.cache.get<DashboardDto>(key);
  if (cached) return cached;
  const dashboard = await computeDashboard(deps, team, timezone, length);
  await deps.cache.set(key, dashboard, CACHE_TTL_MS);
  return dashboard;
}

async function computeDashboard(deps: DashboardDeps, team: Team, timezone: string, length: SummaryLength): Promise<DashboardDto> {
  const now = deps.now?.() ?? new Date();
  const { prisma } = deps;
  const latestGame = await prisma.game.findFirst({
    where: { OR: [{ homeTeamId: team.id }, { awayTeamId: team.id }] },
    orderBy: [{ startsAt: 'desc' }, { id: 'desc' }],
    select: { season: true },
  });
  const season = latestGame?.season ?? null;
  const seasonGames = season ? await loadSeasonGames(prisma, team.league, season) : { teams: [], games: [] as SeasonGame[] };
  const [volume, topSources, followerCount, summary] = await Promise.all([
    newsVolume(prisma, team.id, timezone, now),
    topSourcesOf(prisma, team.id, now),
    prisma.follow.count({ where: { teamId: team.id } }),
    summaryStatus(prisma, team, length),
  ]);

  const standings = season ? computeStandings(team.league, seasonGames.teams, seasonGames.games) : [];
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
    followerCount,
    computedAt: now.toISOString(),
  };
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

/** Articles per local day for the last 14 days (today included), zero-filled, oldest first. */
async function newsVolume(prisma: PrismaClient, teamId: string, timezone: string, now: Date): Promise<{ date: string; count: number }[]> {
  const days: string[] = [];
  for (let back = DAYS - 1; back >= 0; back--) days.push(localDate(new Date(now.getTime() - back * 86_400_000), timezone));
  const rows = await prisma.$queryRaw<{ day: string; count: number }[]>(Prisma.sql`
    SELECT to_char(t."publishedAt" AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day, count(*)::int AS count
    FROM "ArticleTeam" t
    WHERE t."teamId" = ${teamId}
      AND t."publishedAt" >= (date_trunc('day', ${now} AT TIME ZONE ${timezone}) - make_interval(days => ${DAYS - 1})) AT TIME ZONE ${timezone}
      AND t."publishedAt" <= ${now}
    GROUP BY 1`);
  const counts = new Map(rows.map((row) => [row.day, row.count]));
  return days.map((date) => ({ date, count: counts.get(date) ?? 0 }));
}

async function topSourcesOf(prisma: PrismaClient, teamId: string, now: Date): Promise<{ id: string; name: string; count: number }[]> {
  return prisma.$queryRaw<{ id: string; name: string; count: number }[]>(Prisma.sql`
    SELECT s."id"::text AS id, s."name", count(*)::int AS count
    FROM "ArticleTeam" t JOIN "Article" a ON a."id" = t."articleId" JOIN "Source" s ON s."id" = a."sourceId"
    WHERE t."teamId" = ${teamId} AND t."publishedAt" >= ${new Date(now.getTime() - DAYS * 86_400_000)}
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
