import type { GameStatus } from '@pressbox/db';
import { describe, expect, it } from 'vitest';
import { computeStandings, type StandingsGame, type StandingsTeam, type TeamStanding } from '@pressbox/jobs';

/**
 * A hand-built season. Every expected number below was worked out on paper from these games,
 * never by running the code under test.
 */
const naTeams: StandingsTeam[] = [
  { id: 'e-bos', name: 'Boston', conference: 'East', division: 'Atlantic' },
  { id: 'e-nyk', name: 'New York', conference: 'East', division: 'Atlantic' },
  { id: 'e-tor', name: 'Toronto', conference: 'East', division: 'Atlantic' },
  { id: 'e-phi', name: 'Philadelphia', conference: 'East', division: 'Central' },
  { id: 'w-lal', name: 'Los Angeles', conference: 'West', division: 'Pacific' },
  { id: 'w-sac', name: 'Sacramento', conference: 'West', division: 'Pacific' },
  { id: 'w-den', name: 'Denver', conference: 'West', division: 'Northwest' },
];

function game(
  homeTeamId: string,
  homeScore: number | null,
  awayScore: number | null,
  awayTeamId: string,
  status: GameStatus = 'FINAL',
): StandingsGame {
  return { homeTeamId, awayTeamId, status, homeScore, awayScore };
}

const naGames: StandingsGame[] = [
  game('e-bos', 110, 100, 'e-nyk'),
  game('e-nyk', 95, 90, 'e-phi'),
  game('e-phi', 105, 100, 'e-bos'),
  game('e-bos', 100, 100, 'w-lal'), // a tie
  game('w-lal', 120, 100, 'w-den'),
  game('w-den', 99, 101, 'e-nyk'),
  game('e-phi', 90, 95, 'w-den'), // Denver wins the head-to-head with Philadelphia
  game('e-bos', 90, 80, 'e-tor'),
  game('e-phi', null, null, 'e-tor', 'POSTPONED'),
  game('w-sac', null, null, 'w-lal', 'CANCELED'),
  game('w-den', null, null, 'w-sac', 'SCHEDULED'),
  game('e-nyk', 50, 60, 'e-bos', 'IN_PROGRESS'),
];

/* Worked out by hand:
 * team          W L T GP  pct     PF  PA  diff
 * Los Angeles   1 0 1  2  1.5/2    220 200  +20
 * New York      2 1 0  3  2/3      296 299   -3
 * Boston        2 1 1  4  2.5/4    400 385  +15
 * Denver        1 2 0  3  1/3      294 311  -17   (beat Philadelphia head-to-head)
 * Philadelphia  1 2 0  3  1/3      285 290   -5
 * Toronto       0 1 0  1  0         80  90  -10
 * Sacramento    0 0 0  0  0          0   0    0   (no counted game: last, though its diff beats Toronto's)
 */
type Line = [
  teamId: string,
  wins: number,
  losses: number,
  ties: number,
  gamesPlayed: number,
  pointsFor: number,
  pointsAgainst: number,
  differential: number,
  leagueRank: number,
  conferenceRank: number | null,
  divisionRank: number | null,
];

function line(standing: TeamStanding): Line {
  return [
    standing.teamId,
    standing.wins,
    standing.losses,
    standing.ties,
    standing.gamesPlayed,
    standing.pointsFor,
    standing.pointsAgainst,
    standing.differential,
    standing.leagueRank,
    standing.conferenceRank,
    standing.divisionRank,
  ];
}

describe('standings of a North American league', () => {
  const table = computeStandings('NBA', naTeams, naGames);

  it('counts W-L-T, points and ranks from FINAL games only, in league order', () => {
    expect(table.map(line)).toEqual([
      ['w-lal', 1, 0, 1, 2, 220, 200, 20, 1, 1, 1],
      ['e-nyk', 2, 1, 0, 3, 296, 299, -3, 2, 1, 1],
      ['e-bos', 2, 1, 1, 4, 400, 385, 15, 3, 2, 2],
      ['w-den', 1, 2, 0, 3, 294, 311, -17, 4, 2, 1],
      ['e-phi', 1, 2, 0, 3, 285, 290, -5, 5, 3, 1],
      ['e-tor', 0, 1, 0, 1, 80, 90, -10, 6, 4, 3],
      ['w-sac', 0, 0, 0, 0, 0, 0, 0, 7, 3, 2],
    ]);
  });

  it('computes win percentage as (W + 0.5·T) / GP, and 0 without games', () => {
    const pct = new Map(table.map((standing) => [standing.teamId, standing.winPercentage]));
    expect(pct.get('w-lal')).toBe(0.75);
    expect(pct.get('e-nyk')).toBeCloseTo(0.6667, 4);
    expect(pct.get('e-bos')).toBe(0.625);
    expect(pct.get('w-den')).toBeCloseTo(0.3333, 4);
    expect(pct.get('e-phi')).toBeCloseTo(0.3333, 4);
    expect(pct.get('e-tor')).toBe(0);
    expect(pct.get('w-sac')).toBe(0);
  });

  it('has no table points outside points leagues', () => {
    expect(table.every((standing) => standing.points === null)).toBe(true);
  });

  it('breaks a win-percentage tie by head-to-head before point differential', () => {
    const denver = table.find((standing) => standing.teamId === 'w-den');
    const philadelphia = table.find((standing) => standing.teamId === 'e-phi');
    expect(denver!.differential).toBeLessThan(philadelphia!.differential);
    expect(denver!.leagueRank).toBe(4);
    expect(philadelphia!.leagueRank).toBe(5);
  });

  it('lists a team without games 0-0-0 after every team with games', () => {
    expect(table.at(-1)).toMatchObject({ teamId: 'w-sac', wins: 0, losses: 0, ties: 0, gamesPlayed: 0, leagueRank: 7 });
  });

  it('ignores postponed, canceled, scheduled and in-progress games', () => {
    const counted = computeStandings(
      'NBA',
      naTeams,
      naGames.filter((candidate) => candidate.status === 'FINAL'),
    );
    expect(counted).toEqual(table);
  });

  it('gives the same table whatever the order of the input', () => {
    expect(computeStandings('NBA', [...naTeams].reverse(), [...naGames].reverse())).toEqual(table);
  });
});

describe('head-to-head among more than two tied teams', () => {
  const teams: StandingsTeam[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, name: id.toUpperCase(), conference: null, division: null }));

  /* A, B and C all go 1-1. A beat B, but C played neither: head-to-head is skipped for the group
   * and point differential decides: B +29, C +9, A -9. (Applied with C at 0, it would put A first.) */
  it('skips head-to-head when a tied team played none of the others', () => {
    const games = [
      game('a', 101, 100, 'b'),
      game('b', 130, 100, 'd'),
      game('c', 110, 100, 'd'),
      game('d', 100, 90, 'a'),
      game('e', 100, 99, 'c'),
    ];
    const table = computeStandings('NFL', teams, games);
    expect(table.map((standing) => [standing.teamId, standing.wins, standing.losses, standing.differential, standing.leagueRank])).toEqual([
      ['e', 1, 0, 1, 1],
      ['b', 1, 1, 29, 2],
      ['c', 1, 1, 9, 3],
      ['a', 1, 1, -9, 4],
      ['d', 1, 2, -30, 5],
    ]);
  });

  /* A and B split their two games (1-1 each way): head-to-head is even, so differential decides;
   * C and D (1-0-1, +10, never met) are level on everything but points scored. */
  it('falls through to point differential, then points scored, then name', () => {
    const games = [
      game('a', 100, 90, 'b'),
      game('b', 95, 94, 'a'),
      game('c', 20, 10, 'e'),
      game('d', 30, 20, 'e'),
      game('e', 10, 10, 'c'),
      game('e', 20, 20, 'd'),
    ];
    const table = computeStandings('NFL', teams, games);
    expect(
      table.map((standing) => [standing.teamId, standing.wins, standing.losses, standing.ties, standing.differential, standing.pointsFor]),
    ).toEqual([
      ['d', 1, 0, 1, 10, 50],
      ['c', 1, 0, 1, 10, 30],
      ['a', 1, 1, 0, 9, 194],
      ['b', 1, 1, 0, -9, 185],
      ['e', 0, 2, 2, -20, 60],
    ]);
  });

  it('orders teams level on everything by name', () => {
    const named: StandingsTeam[] = [
      { id: 'x1', name: 'Zebras', conference: null, division: null },
      { id: 'x2', name: 'Antelopes', conference: null, division: null },
      { id: 'x3', name: 'Moose', conference: null, division: null },
    ];
    expect(computeStandings('NHL', named, []).map((standing) => standing.name)).toEqual(['Antelopes', 'Moose', 'Zebras']);
  });
});

describe('a Premier League table', () => {
  const teams: StandingsTeam[] = [
    { id: 'epl-ars', name: 'Arsenal', conference: null, division: null },
    { id: 'epl-avl', name: 'Aston Villa', conference: null, division: null },
    { id: 'epl-bou', name: 'Bournemouth', conference: null, division: null },
    { id: 'epl-che', name: 'Chelsea', conference: null, division: null },
    { id: 'epl-eve', name: 'Everton', conference: null, division: null },
    { id: 'epl-liv', name: 'Liverpool', conference: null, division: null },
    { id: 'epl-new', name: 'Newcastle United', conference: null, division: null },
    { id: 'epl-tot', name: 'Tottenham Hotspur', conference: null, division: null },
  ];
  const games: StandingsGame[] = [
    game('epl-ars', 2, 0, 'epl-che'), // Arsenal beat Chelsea, yet Chelsea finish above them on goal difference
    game('epl-liv', 3, 1, 'epl-tot'),
    game('epl-che', 1, 1, 'epl-liv'),
    game('epl-tot', 2, 2, 'epl-ars'),
    game('epl-ars', 0, 1, 'epl-liv'),
    game('epl-che', 4, 0, 'epl-tot'),
    game('epl-new', 3, 2, 'epl-bou'),
    game('epl-eve', 1, 0, 'epl-bou'),
    game('epl-avl', null, null, 'epl-ars', 'POSTPONED'),
  ];

  /* By hand (points = 3W + D):
   * Liverpool    2W 1D 0L  7 pts  GF 5 GA 2  GD +3
   * Chelsea      1W 1D 1L  4 pts  GF 5 GA 3  GD +2
   * Arsenal      1W 1D 1L  4 pts  GF 4 GA 3  GD +1
   * Newcastle    1W 0D 0L  3 pts  GF 3 GA 2  GD +1  (above Everton on goals scored)
   * Everton      1W 0D 0L  3 pts  GF 1 GA 0  GD +1
   * Tottenham    0W 1D 2L  1 pt   GF 3 GA 9  GD -6
   * Bournemouth  0W 0D 2L  0 pts  GF 2 GA 4  GD -2
   * Aston Villa  no games (its only game was postponed): last, though first by name
   */
  it('ranks by points, then goal difference, then goals scored', () => {
    const table = computeStandings('PREMIER_LEAGUE', teams, games);
    expect(
      table.map((standing) => [
        standing.teamId,
        standing.wins,
        standing.ties,
        standing.losses,
        standing.points,
        standing.pointsFor,
        standing.pointsAgainst,
        standing.differential,
        standing.leagueRank,
      ]),
    ).toEqual([
      ['epl-liv', 2, 1, 0, 7, 5, 2, 3, 1],
      ['epl-che', 1, 1, 1, 4, 5, 3, 2, 2],
      ['epl-ars', 1, 1, 1, 4, 4, 3, 1, 3],
      ['epl-new', 1, 0, 0, 3, 3, 2, 1, 4],
      ['epl-eve', 1, 0, 0, 3, 1, 0, 1, 5],
      ['epl-tot', 0, 1, 2, 1, 3, 9, -6, 6],
      ['epl-bou', 0, 0, 2, 0, 2, 4, -2, 7],
      ['epl-avl', 0, 0, 0, 0, 0, 0, 0, 8],
    ]);
  });

  it('ranks the league table only', () => {
    const withConferences = teams.map((team) => ({ ...team, conference: 'England', division: 'Top' }));
    const table = computeStandings('PREMIER_LEAGUE', withConferences, games);
    expect(table.every((standing) => standing.conferenceRank === null && standing.divisionRank === null)).toBe(true);
  });
});
