import { GameStatus, League } from '@pressbox/db';

/** What standings need to know about a team. */
export interface StandingsTeam {
  id: string;
  name: string;
  conference: string | null;
  division: string | null;
}

/** What standings need to know about a game. */
export interface StandingsGame {
  homeTeamId: string;
  awayTeamId: string;
  status: GameStatus;
  homeScore: number | null;
  awayScore: number | null;
}

export interface TeamStanding {
  teamId: string;
  name: string;
  conference: string | null;
  division: string | null;
  wins: number;
  losses: number;
  ties: number;
  gamesPlayed: number;
  /** (W + 0.5·T) / GP, 0 without games. */
  winPercentage: number;
  /** Table points, 3·W + T, for leagues ranked by points (Premier League); null elsewhere. */
  points: number | null;
  pointsFor: number;
  pointsAgainst: number;
  /** pointsFor − pointsAgainst (goal difference in soccer). */
  differential: number;
  /** 1-based; every team has a distinct rank (the tie-break always ends in a decision). */
  leagueRank: number;
  /** Null for leagues ranked as one table and for a team without a conference. */
  conferenceRank: number | null;
  /** Null for leagues ranked as one table and for a team without a division. */
  divisionRank: number | null;
}

/** Leagues whose table is ranked by points (3 for a win, 1 for a draw) and has no conferences. */
const pointsLeagues: ReadonlySet<League> = new Set([League.PREMIER_LEAGUE]);

type Row = Omit<TeamStanding, 'leagueRank' | 'conferenceRank' | 'divisionRank'>;
type Played = StandingsGame & { homeScore: number; awayScore: number };

/**
 * Standings of one league's season, from its FINAL games only (SCHEDULED, IN_PROGRESS, POSTPONED
 * and CANCELED games do not count; a FINAL game without both scores, or with the same team on
 * both sides, is skipped). Pass that season's games only (as `loadSeasonGames` returns them) and
 * every team of the league: a team without games is listed 0-0-0.
 * Games against teams not in `teams` count for the listed side only.
 *
 * Order (the same rules rank the league, each conference and each division, each time among
 * that group's teams only):
 * 0. teams with at least one counted game before teams with none;
 * 1. win percentage, highest first (Premier League: points);
 * 2. NBA/NFL/MLB/NHL: head-to-head win percentage in the games the teams tied at step 1 played
 *    against each other, computed once for the whole tied group; skipped when any team of the
 *    group played none of the others. Premier League: goal difference;
 * 3. point differential (Premier League: goals scored);
 * 4. points scored;
 * 5. team name, alphabetically (then id, so the order is total).
 * Premier League teams get a league rank only.
 *
 * @example
 * const table = computeStandings('NBA', teams, games);
 * table[0] // { teamId: 'nba-bos', wins: 3, losses: 1, ties: 0, winPercentage: 0.75, leagueRank: 1, ... }
 */
export function computeStandings(league: League, teams: readonly StandingsTeam[], games: readonly StandingsGame[]): TeamStanding[] {
  const byPoints = pointsLeagues.has(league);
  const played = games.filter(
    (game): game is Played =>
      game.status === GameStatus.FINAL && game.homeScore !== null && game.awayScore !== null && game.homeTeamId !== game.awayTeamId,
  );
  const rows = new Map<string, Row>(teams.map((team) => [team.id, tally(team, played, byPoints)]));
  const all = [...rows.values()];
  const leagueOrder = order(all, played, byPoints);
  const rankIn = (group: (row: Row) => string | null): Map<string, number> => {
    const ranks = new Map<string, number>();
    const groups = new Map<string, Row[]>();
    for (const row of all) {
      const key = group(row);
      if (key !== null) groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const members of groups.values()) order(members, played, byPoints).forEach((row, index) => ranks.set(row.teamId, index + 1));
    return ranks;
  };
  const conferenceRanks = byPoints ? new Map<string, number>() : rankIn((row) => row.conference);
  const divisionRanks = byPoints
    ? new Map<string, number>()
    : rankIn((row) => (row.conference === null || row.division === null ? row.division : `${row.conference}\u0000${row.division}`));
  return leagueOrder.map((row, index) => ({
    ...row,
    leagueRank: index + 1,
    conferenceRank: conferenceRanks.get(row.teamId) ?? null,
    divisionRank: divisionRanks.get(row.teamId) ?? null,
  }));
}

function tally(team: StandingsTeam, played: readonly Played[], byPoints: boolean): Row {
  let wins = 0;
  let losses = 0;
  let ties = 0;
  let pointsFor = 0;
  let pointsAgainst = 0;
  for (const game of played) {
    const home = game.homeTeamId === team.id;
    if (!home && game.awayTeamId !== team.id) continue;
    const own = home ? game.homeScore : game.awayScore;
    const other = home ? game.awayScore : game.homeScore;
    pointsFor += own;
    pointsAgainst += other;
    if (own > other) wins += 1;
    else if (own < other) losses += 1;
    else ties += 1;
  }
  const gamesPlayed = wins + losses + ties;
  return {
    teamId: team.id,
    name: team.name,
    conference: team.conference,
    division: team.division,
    wins,
    losses,
    ties,
    gamesPlayed,
    winPercentage: percentage(wins, ties, gamesPlayed),
    points: byPoints ? 3 * wins + ties : null,
    pointsFor,
    pointsAgainst,
    differential: pointsFor - pointsAgainst,
  };
}

function percentage(wins: number, ties: number, gamesPlayed: number): number {
  return gamesPlayed === 0 ? 0 : (wins + 0.5 * ties) / gamesPlayed;
}

/** Sorts a group of teams by the rules of {@link computeStandings}. */
function order(rows: readonly Row[], played: readonly Played[], byPoints: boolean): Row[] {
  const primary = (row: Row): number => (byPoints ? (row.points ?? 0) : row.winPercentage);
  const headToHead = byPoints ? new Map<string, number>() : headToHeadPercentages(rows, played, primary);
  const keys = (row: Row): number[] =>
    byPoints
      ? [row.gamesPlayed > 0 ? 1 : 0, primary(row), row.differential, row.pointsFor]
      : [row.gamesPlayed > 0 ? 1 : 0, primary(row), headToHead.get(row.teamId) ?? 0, row.differential, row.pointsFor];
  return [...rows].sort((a, b) => {
    const left = keys(a);
    const right = keys(b);
    for (let index = 0; index < left.length; index++) {
      const difference = (right[index] ?? 0) - (left[index] ?? 0);
      if (difference !== 0) return difference;
    }
    return a.name.localeCompare(b.name, 'en') || (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0);
  });
}

/**
 * For every group of teams with games tied on the primary key, each team's win percentage in
 * the games among the group; nothing for a group where some team played none of the others.
 */
function headToHeadPercentages(rows: readonly Row[], played: readonly Played[], primary: (row: Row) => number): Map<string, number> {
  const tied = new Map<number, string[]>();
  for (const row of rows) {
    if (row.gamesPlayed === 0) continue;
    tied.set(primary(row), [...(tied.get(primary(row)) ?? []), row.teamId]);
  }
  const result = new Map<string, number>();
  for (const group of tied.values()) {
    if (group.length < 2) continue;
    const members = new Set(group);
    const among = played.filter((game) => members.has(game.homeTeamId) && members.has(game.awayTeamId));
    const percentages = group.map((teamId) => {
      let wins = 0;
      let ties = 0;
      let gamesPlayed = 0;
      for (const game of among) {
        const home = game.homeTeamId === teamId;
        if (!home && game.awayTeamId !== teamId) continue;
        const margin = home ? game.homeScore - game.awayScore : game.awayScore - game.homeScore;
        gamesPlayed += 1;
        if (margin > 0) wins += 1;
        else if (margin === 0) ties += 1;
      }
      return { teamId, gamesPlayed, percentage: percentage(wins, ties, gamesPlayed) };
    });
    if (percentages.some((entry) => entry.gamesPlayed === 0)) continue;
    for (const entry of percentages) result.set(entry.teamId, entry.percentage);
  }
  return result;
}
