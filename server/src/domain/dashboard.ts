import {
  currentSeasonOf,
  DASHBOARD_DAYS,
  followerCount,
  latestEventId,
  latestSummaryStamp,
  loadSeasonGames,
  teamNewsPerDay,
  teamSourceHealth,
  teamTopSources,
  type League,
  type PrismaClient,
  type SeasonGame,
  type SummaryLength,
  type Team,
  type TeamGame,
  type Clock,
  viewPreferences,
} from '@pressbox/db';
import { computeStandings, lastGames, loadTeamSummaryInput, nextGame, type StandingsTeam } from '@pressbox/jobs';
import type { Cache } from '../infra/cache/interface.ts';
import type { DashboardDto } from '../schemas/dashboard.ts';
import { toGameDto } from '../schemas/game.ts';
import type { TeamDirectory } from './team-directory.ts';

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
  /** Every team, to name opponents and to rank a league before it has played a game. */
  teams: Pick<TeamDirectory, 'get' | 'require' | 'all'>;
  clock: Clock;
}

/**
 * The dashboard of a team as a user sees it: in their time zone (unless one is given) and with
 * the summary length of their preferences.
 */
export async function dashboardFor(deps: DashboardDeps, userId: string, teamId: string, timezone?: string): Promise<DashboardDto> {
  const team = deps.teams.require(teamId);
  const preferences = await viewPreferences(deps.prisma, userId);
  return teamDashboard(deps, team, timezone ?? preferences?.timezone ?? 'UTC', preferences?.summaryLength ?? 'MEDIUM');
}

/**
 * A team's dashboard as seen from a time zone. Computing it reads games, standings, news and
 * summaries; the result is cached under the id of the team's latest event, so every event that
 * changes it (news, games, summaries — each publishes one) makes the next call recompute, in any
 * process, while a warm call costs three indexed lookups (the latest event, and the follower count
 * and source health, which are never cached because following and fetching publish no event).
 */
export async function teamDashboard(deps: DashboardDeps, team: Team, timezone: string, length: SummaryLength): Promise<DashboardDto> {
  const [latest, live] = await Promise.all([latestEventId(deps.prisma, team.id), uncachedParts(deps.prisma, team)]);
  const key = `dashboard:${team.id}:${latest?.toString() ?? '0'}:${timezone}:${length}`;
  const cached = await deps.cache.get<CachedDashboard>(key);
  if (cached) return { ...cached, ...live };
  const dashboard = await computeDashboard(deps, team, timezone, length);
  await deps.cache.set(key, dashboard, CACHE_TTL_MS);
  return { ...dashboard, ...live };
}

/** What changes without an event of the team (following, and its sources' fetches): never cached. */
type LiveParts = Pick<DashboardDto, 'followerCount' | 'sources'>;
type CachedDashboard = Omit<DashboardDto, keyof LiveParts>;

async function uncachedParts(prisma: PrismaClient, team: Team): Promise<LiveParts> {
  const [followers, sources] = await Promise.all([followerCount(prisma, team.id), teamSourceHealth(prisma, team)]);
  return {
    followerCount: followers,
    sources: sources.map((source) => ({ ...source, lastSuccessAt: source.lastSuccessAt ? source.lastSuccessAt.toISOString() : null })),
  };
}

async function computeDashboard(deps: DashboardDeps, team: Team, timezone: string, length: SummaryLength): Promise<CachedDashboard> {
  const now = new Date(deps.clock.now());
  const { prisma } = deps;
  const season = await currentSeasonOf(prisma, team);
  const seasonGames = season
    ? await loadSeasonGames(prisma, team.league, season)
    : {
        teams: deps.teams
          .all()
          .filter((candidate) => candidate.league === team.league)
          .map(standingsTeam),
        games: [] as SeasonGame[],
      };
  const [volume, topSources, summary] = await Promise.all([
    newsVolume(prisma, team.id, timezone, now),
    teamTopSources(prisma, team.id, timezone, now),
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

function standingsTeam(team: Team): StandingsTeam {
  return { id: team.id, name: team.name, conference: team.conference, division: team.division };
}

function isPointsLeague(league: League): boolean {
  return league === 'PREMIER_LEAGUE';
}

function describe(deps: DashboardDeps, teamId: string) {
  const team = deps.teams.get(teamId);
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

/** Articles per local day for the last 14 days (today included), zero-filled, oldest first. */
async function newsVolume(prisma: PrismaClient, teamId: string, timezone: string, now: Date): Promise<{ date: string; count: number }[]> {
  const counts = await teamNewsPerDay(prisma, teamId, timezone, now);
  return recentLocalDates(now, timezone, DASHBOARD_DAYS).map((date) => ({ date, count: counts.get(date) ?? 0 }));
}

async function summaryStatus(prisma: PrismaClient, team: Team, length: SummaryLength): Promise<DashboardDto['summary']> {
  const latest = await latestSummaryStamp(prisma, team.id, length);
  if (!latest) return { length, status: 'missing', generatedAt: null };
  const current = await loadTeamSummaryInput(prisma, team, length);
  return {
    length,
    status: current.inputVersion === latest.inputVersion ? 'fresh' : 'stale',
    generatedAt: latest.generatedAt.toISOString(),
  };
}
