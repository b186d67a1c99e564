import { describe, expect, it } from 'vitest';
import { loadSeasonGames, type PrismaClient } from '@pressbox/db';
import { gameColumns, importGames, loadStandings } from '@pressbox/jobs';
import { databaseAvailable, databaseKinds, useTestDatabase } from '../support/databases.ts';

const rows = [
  ['NBA', '1999-00', '1999-11-02T00:30:00Z', 'nba-bos', 'nba-nyk', 'FINAL', '100', '90', 's-1'],
  ['NBA', '1999-00', '1999-11-04T00:30:00Z', 'nba-nyk', 'nba-phi', 'FINAL', '80', '85', 's-2'],
  ['NBA', '1999-00', '1999-11-06T00:30:00Z', 'nba-phi', 'nba-bos', 'FINAL', '95', '95', 's-3'],
  ['NBA', '1999-00', '1999-11-07T03:30:00Z', 'nba-lal', 'nba-gsw', 'POSTPONED', '', '', 's-4'],
  ['NBA', '1999-00', '1999-11-08T03:30:00Z', 'nba-lal', 'nba-den', 'CANCELED', '', '', 's-5'],
  ['NBA', '2000-01', '2000-11-01T00:30:00Z', 'nba-bos', 'nba-nyk', 'FINAL', '50', '100', 's-other-season'],
  ['NFL', '1999-00', '1999-11-07T18:00:00Z', 'nfl-kc', 'nfl-den', 'FINAL', '21', '14', 's-other-league'],
];

describe.each(databaseKinds)('a season’s standings from %s', (kind) => {
  let prisma: PrismaClient;
  useTestDatabase(kind, async (test) => {
    prisma = test.db.prisma;
    const result = await importGames(prisma, {
      format: 'csv',
      content: [gameColumns.join(','), ...rows.map((row) => row.join(','))].join('\n'),
    });
    expect(result.rejected).toEqual([]);
  });

  it.skipIf(!databaseAvailable(kind))('loads every team of the league and every game of the season, oldest first', async () => {
    const season = await loadSeasonGames(prisma, 'NBA', '1999-00');
    expect(season.teams).toHaveLength(30);
    expect(season.teams.find((team) => team.id === 'nba-bos')).toEqual({
      id: 'nba-bos',
      name: 'Boston Celtics',
      conference: 'Eastern',
      division: 'Atlantic',
    });
    expect(
      season.games.map((game) => [game.externalId, game.homeTeamId, game.awayTeamId, game.status, game.homeScore, game.awayScore]),
    ).toEqual([
      ['s-1', 'nba-bos', 'nba-nyk', 'FINAL', 100, 90],
      ['s-2', 'nba-nyk', 'nba-phi', 'FINAL', 80, 85],
      ['s-3', 'nba-phi', 'nba-bos', 'FINAL', 95, 95],
      ['s-4', 'nba-lal', 'nba-gsw', 'POSTPONED', null, null],
      ['s-5', 'nba-lal', 'nba-den', 'CANCELED', null, null],
    ]);
    expect(season.games[0]).toMatchObject({ season: '1999-00', startsAt: new Date('1999-11-02T00:30:00Z') });
  });

  /* By hand: Boston 1-0-1 (195-185, +10), Philadelphia 1-0-1 (180-175, +5), New York 0-2 (170-185).
   * Boston and Philadelphia tied their only meeting, so differential puts Boston first. */
  it.skipIf(!databaseAvailable(kind))('ranks the teams from the season’s FINAL games', async () => {
    const table = await loadStandings(prisma, 'NBA', '1999-00');
    expect(
      table
        .slice(0, 4)
        .map((row) => [
          row.teamId,
          row.wins,
          row.losses,
          row.ties,
          row.winPercentage,
          row.pointsFor,
          row.pointsAgainst,
          row.leagueRank,
          row.conferenceRank,
          row.divisionRank,
        ]),
    ).toEqual([
      ['nba-bos', 1, 0, 1, 0.75, 195, 185, 1, 1, 1],
      ['nba-phi', 1, 0, 1, 0.75, 180, 175, 2, 2, 2],
      ['nba-nyk', 0, 2, 0, 0, 170, 185, 3, 3, 3],
      ['nba-atl', 0, 0, 0, 0, 0, 0, 4, 4, 1],
    ]);
    expect(table.find((row) => row.teamId === 'nba-lal')).toMatchObject({ gamesPlayed: 0 });
    expect(table).toHaveLength(30);
  });

  it.skipIf(!databaseAvailable(kind))('has empty standings for a season without games', async () => {
    const season = await loadSeasonGames(prisma, 'PREMIER_LEAGUE', '1999-00');
    expect(season.games).toEqual([]);
    expect(season.teams).toHaveLength(20);
  });
});
