import { randomBytes } from 'node:crypto';
import { AppError, type PrismaClient } from '@pressbox/db';
import { describe, expect, it } from 'vitest';
import { gameColumns, importGames, MAX_IMPORT_ROWS } from '@pressbox/jobs';
import { databaseAvailable, databaseKinds, useTestDatabase } from '../support/databases.ts';

type Cells = [
  league: string,
  season: string,
  startsAt: string,
  homeTeamId: string,
  awayTeamId: string,
  status: string,
  homeScore: string,
  awayScore: string,
  externalId: string,
];

const header = gameColumns.join(',');

function csv(rows: Cells[]): string {
  return `${header}\r\n${rows.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}

/** A prefix no other test uses, so each test owns its games in the shared database. */
function prefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

const nbaTeams = ['nba-bos', 'nba-nyk', 'nba-phi', 'nba-tor', 'nba-mia', 'nba-lal', 'nba-gsw', 'nba-den'];

/** `count` valid NBA games, one minute apart, alternating FINAL and SCHEDULED. */
function season(id: string, count: number): Cells[] {
  return Array.from({ length: count }, (_, index): Cells => {
    const home = nbaTeams[index % nbaTeams.length]!;
    const away = nbaTeams[(index + 1) % nbaTeams.length]!;
    const startsAt = new Date(Date.UTC(2025, 9, 21, 23, index)).toISOString();
    const final = index % 2 === 0;
    return [
      'NBA',
      '2025-26',
      startsAt,
      home,
      away,
      final ? 'FINAL' : 'SCHEDULED',
      final ? '100' : '',
      final ? '90' : '',
      `${id}-${String(index)}`,
    ];
  });
}

describe.each(databaseKinds)('importing games on %s', (kind) => {
  let prisma: PrismaClient;
  useTestDatabase(kind, (test) => {
    prisma = test.db.prisma;
  });

  const gamesOf = (id: string) => prisma.game.findMany({ where: { externalId: { startsWith: `${id}-` } }, orderBy: { externalId: 'asc' } });

  it.skipIf(!databaseAvailable(kind))('imports CSV rows, mapping enum synonyms to the schema’s values', async () => {
    const id = prefix();
    const result = await importGames(prisma, {
      format: 'csv',
      content: csv([
        ['nba', '2025-2026', '2025-10-21T19:30:00-04:00', 'nba-bos', 'nba-nyk', 'ft', '101', '99', `${id}-a`],
        ['Premier League', '2025-26', '2025-08-16T14:00:00Z', 'epl-ars', 'epl-che', 'cancelled', '', '', `${id}-b`],
        ['NFL', '2025', '2025-09-07T20:25:00Z', 'nfl-kc', 'nfl-den', 'live', '7', '3', `${id}-c`],
        ['epl', '2025-26', '2025-08-17T14:00:00Z', 'epl-che', 'epl-ars', 'PPD', '', '', `${id}-d`],
        ['NHL', '2025-26', '2025-10-08T23:00:00Z', 'nhl-bos', 'nhl-tor', 'not started', '', '', `${id}-e`],
      ]),
    });
    expect(result).toEqual({
      inserted: 5,
      updated: 0,
      unchanged: 0,
      rejected: [],
      total: 5,
      changedTeamIds: ['epl-ars', 'epl-che', 'nba-bos', 'nba-nyk', 'nfl-den', 'nfl-kc', 'nhl-bos', 'nhl-tor'],
    });
    const games = await gamesOf(id);
    expect(games.map((game) => [game.externalId, game.league, game.season, game.status, game.homeScore, game.awayScore])).toEqual([
      [`${id}-a`, 'NBA', '2025-26', 'FINAL', 101, 99],
      [`${id}-b`, 'PREMIER_LEAGUE', '2025-26', 'CANCELED', null, null],
      [`${id}-c`, 'NFL', '2025', 'IN_PROGRESS', 7, 3],
      [`${id}-d`, 'PREMIER_LEAGUE', '2025-26', 'POSTPONED', null, null],
      [`${id}-e`, 'NHL', '2025-26', 'SCHEDULED', null, null],
    ]);
    expect(games[0]?.startsAt.toISOString()).toBe('2025-10-21T23:30:00.000Z');
    expect(games[0]).toMatchObject({ homeTeamId: 'nba-bos', awayTeamId: 'nba-nyk' });
  });

  it.skipIf(!databaseAvailable(kind))('imports a JSON array of objects, numbers and nulls included', async () => {
    const id = prefix();
    const content = JSON.stringify([
      {
        league: 'NBA',
        season: 2025,
        startsAt: '2025-10-22T00:00:00Z',
        homeTeamId: 'nba-lal',
        awayTeamId: 'nba-gsw',
        status: 'final',
        homeScore: 112,
        awayScore: 108,
        externalId: `${id}-1`,
        venue: 'ignored',
      },
      {
        league: 'NBA',
        season: '2025-26',
        startsAt: '2025-10-23T00:00:00Z',
        homeTeamId: 'nba-gsw',
        awayTeamId: 'nba-lal',
        status: 'scheduled',
        homeScore: null,
        awayScore: null,
        externalId: `${id}-2`,
      },
    ]);
    const result = await importGames(prisma, { format: 'json', content });
    expect(result).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: [], total: 2, changedTeamIds: ['nba-gsw', 'nba-lal'] });
    const games = await gamesOf(id);
    expect(games.map((game) => [game.season, game.status, game.homeScore, game.awayScore])).toEqual([
      ['2025', 'FINAL', 112, 108],
      ['2025-26', 'SCHEDULED', null, null],
    ]);
  });

  it.skipIf(!databaseAvailable(kind))('imports the valid rows and reports each rejected row with its reasons', async () => {
    const id = prefix();
    const result = await importGames(prisma, {
      format: 'csv',
      content: csv([
        ['NBA', '2025-26', '2025-10-21T23:30:00Z', 'nba-bos', 'nba-nyk', 'FINAL', '101', '99', `${id}-ok`],
        ['NBA', '2025-26', '2025-10-21T23:30:00Z', 'nba-bos', 'nba-xyz', 'FINAL', '101', '99', `${id}-unknown`],
        ['NBA', '2025-26', '2025-10-21T23:30:00Z', 'nba-bos', 'nfl-kc', 'FINAL', '101', '99', `${id}-league`],
        ['NBA', '2025-26', '2025-10-21T23:30:00Z', 'nba-bos', 'nba-bos', 'FINAL', '101', '99', `${id}-same`],
        ['NBA', '2025-26', '2025-10-21T23:30:00Z', 'nba-bos', 'nba-nyk', 'FULLTIME', '101', '99', `${id}-status`],
        ['NBA', '2025-26', '2025-10-21T23:30:00Z', 'nba-bos', 'nba-nyk', 'FINAL', '', '', `${id}-noscore`],
        ['NBA', '2025-26', '2025-10-21', 'nba-bos', 'nba-nyk', 'FINAL', '101', '99', `${id}-date`],
        ['NBA', '2025-26', '2025-10-22T23:30:00Z', 'nba-nyk', 'nba-bos', 'SCHEDULED', '', '', `${id}-ok`],
        ['NBA', '2025-26', '2025-10-22T23:30:00Z', 'nba-nyk', 'nba-bos', 'SCHEDULED', '', '', `${id}-ok2`],
      ]),
    });
    expect(result.rejected).toEqual([
      { row: 2, externalId: `${id}-unknown`, reasons: ["awayTeamId: no team 'nba-xyz'"] },
      { row: 3, externalId: `${id}-league`, reasons: ["awayTeamId: 'nfl-kc' plays in NFL, not NBA"] },
      { row: 4, externalId: `${id}-same`, reasons: ['awayTeamId: the same team as homeTeamId'] },
      {
        row: 5,
        externalId: `${id}-status`,
        reasons: ["status: 'FULLTIME' is not a game status (SCHEDULED, IN_PROGRESS, FINAL, POSTPONED, CANCELED)"],
      },
      {
        row: 6,
        externalId: `${id}-noscore`,
        reasons: ['homeScore: required when status is FINAL', 'awayScore: required when status is FINAL'],
      },
      {
        row: 7,
        externalId: `${id}-date`,
        reasons: ["startsAt: '2025-10-21' is a date without a time: kick-off times matter (e.g. 2025-10-21T19:30:00-04:00)"],
      },
      { row: 8, externalId: `${id}-ok`, reasons: [`externalId: '${id}-ok' already appears in row 1`] },
    ]);
    expect(result).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, total: 9, changedTeamIds: ['nba-bos', 'nba-nyk'] });
    const games = await gamesOf(id);
    expect(games.map((game) => [game.externalId, game.status])).toEqual([
      [`${id}-ok`, 'FINAL'],
      [`${id}-ok2`, 'SCHEDULED'],
    ]);
  });

  it.skipIf(!databaseAvailable(kind))('changes nothing when the same file is imported again', async () => {
    const id = prefix();
    const content = csv(season(id, 12));
    const first = await importGames(prisma, { format: 'csv', content });
    expect(first).toMatchObject({ inserted: 12, updated: 0, unchanged: 0 });
    const before = await gamesOf(id);
    const again = await importGames(prisma, { format: 'csv', content });
    expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 12, rejected: [], total: 12, changedTeamIds: [] });
    expect(await gamesOf(id)).toEqual(before);
  });

  it.skipIf(!databaseAvailable(kind))('updates a game whose row changed, and only that game', async () => {
    const id = prefix();
    const rows = season(id, 4);
    await importGames(prisma, { format: 'csv', content: csv(rows) });
    const before = await gamesOf(id);
    const scheduled = rows[1]!;
    expect(scheduled[5]).toBe('SCHEDULED');
    rows[1] = [scheduled[0], scheduled[1], scheduled[2], scheduled[3], scheduled[4], 'FINAL', '88', '97', scheduled[8]];
    const result = await importGames(prisma, { format: 'csv', content: csv(rows) });
    expect(result).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 3,
      rejected: [],
      total: 4,
      changedTeamIds: [scheduled[3], scheduled[4]].sort(),
    });
    const after = await gamesOf(id);
    expect(after[1]).toMatchObject({ id: before[1]!.id, status: 'FINAL', homeScore: 88, awayScore: 97 });
    expect(after[1]!.updatedAt.getTime()).toBeGreaterThanOrEqual(before[1]!.updatedAt.getTime());
    expect([after[0], after[2], after[3]]).toEqual([before[0], before[2], before[3]]);
  });

  it.skipIf(!databaseAvailable(kind))('reports the teams a game moved away from as changed too', async () => {
    const id = prefix();
    const row: Cells = ['NBA', '2025-26', '2025-11-01T00:00:00Z', 'nba-bos', 'nba-nyk', 'SCHEDULED', '', '', `${id}-moved`];
    await importGames(prisma, { format: 'csv', content: csv([row]) });
    const result = await importGames(prisma, {
      format: 'csv',
      content: csv([[...row.slice(0, 3), 'nba-mia', 'nba-nyk', ...row.slice(5)] as Cells]),
    });
    expect(result).toMatchObject({ updated: 1, changedTeamIds: ['nba-bos', 'nba-mia', 'nba-nyk'] });
  });

  it.skipIf(!databaseAvailable(kind))('creates no duplicate when the same file is imported twice at once', async () => {
    const id = prefix();
    const content = csv(season(id, 1200));
    const results = await Promise.all([importGames(prisma, { format: 'csv', content }), importGames(prisma, { format: 'csv', content })]);
    expect(results.map((result) => result.rejected)).toEqual([[], []]);
    expect(results.reduce((sum, result) => sum + result.inserted, 0)).toBe(1200);
    expect(results.reduce((sum, result) => sum + result.updated, 0)).toBe(0);
    expect(results.reduce((sum, result) => sum + result.unchanged, 0)).toBe(1200);
    expect(await prisma.game.count({ where: { externalId: { startsWith: `${id}-` } } })).toBe(1200);
  });

  it.skipIf(!databaseAvailable(kind))('imports nothing from a file over the row limit', async () => {
    const id = prefix();
    const content = csv(season(id, MAX_IMPORT_ROWS + 1));
    await expect(importGames(prisma, { format: 'csv', content })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await prisma.game.count({ where: { externalId: { startsWith: `${id}-` } } })).toBe(0);
  });

  it.skipIf(!databaseAvailable(kind))('refuses a file that misses a column, naming it', async () => {
    const error: unknown = await importGames(prisma, {
      format: 'csv',
      content: 'league,season,startsAt,homeTeamId,awayTeamId,status\n',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('missing the column externalId') as unknown });
  });

  it.skipIf(!databaseAvailable(kind))('refuses an unknown format', async () => {
    await expect(importGames(prisma, { format: 'xml' as 'csv', content: '<games/>' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
