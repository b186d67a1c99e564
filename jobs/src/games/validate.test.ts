import type { League } from '@pressbox/db';
import { describe, expect, it } from 'vitest';
import type { GameColumn, RawGameRow } from './rows.ts';
import { normalizeSeason, validateGameRows } from './validate.ts';

const teams = new Map<string, League>([
  ['nba-bos', 'NBA'],
  ['nba-nyk', 'NBA'],
  ['nfl-kc', 'NFL'],
  ['epl-ars', 'PREMIER_LEAGUE'],
  ['epl-che', 'PREMIER_LEAGUE'],
]);

const base: Record<GameColumn, string> = {
  league: 'NBA',
  season: '2025-26',
  startsAt: '2025-10-21T19:30:00-04:00',
  homeTeamId: 'nba-bos',
  awayTeamId: 'nba-nyk',
  status: 'FINAL',
  homeScore: '101',
  awayScore: '99',
  externalId: 'nba-2025-0001',
};

function raw(values: Partial<Record<GameColumn, string>>, row = 1, problems: string[] = []): RawGameRow {
  return { row, values: { ...base, ...values }, problems };
}

/** The reasons given for one row, which must have been rejected. */
function reasonsFor(values: Partial<Record<GameColumn, string>>): string[] {
  const { records, rejected } = validateGameRows([raw(values)], teams);
  expect(records).toEqual([]);
  return rejected[0]?.reasons ?? [];
}

describe('validating game rows', () => {
  it('turns a valid row into a record in the schema’s terms', () => {
    const { records, rejected } = validateGameRows(
      [raw({ league: 'nba', status: 'ft', season: '2025-2026', homeTeamId: 'NBA-BOS' }, 4)],
      teams,
    );
    expect(rejected).toEqual([]);
    expect(records).toEqual([
      {
        row: 4,
        externalId: 'nba-2025-0001',
        league: 'NBA',
        season: '2025-26',
        startsAt: new Date('2025-10-21T23:30:00Z'),
        homeTeamId: 'nba-bos',
        awayTeamId: 'nba-nyk',
        status: 'FINAL',
        homeScore: 101,
        awayScore: 99,
      },
    ]);
  });

  it('accepts a scheduled game without scores, with null scores', () => {
    const { records } = validateGameRows([raw({ status: 'upcoming', homeScore: '', awayScore: '' })], teams);
    expect(records[0]).toMatchObject({ status: 'SCHEDULED', homeScore: null, awayScore: null });
  });

  it('accepts a 0-0 final', () => {
    const { records } = validateGameRows(
      [raw({ league: 'EPL', homeTeamId: 'epl-ars', awayTeamId: 'epl-che', homeScore: '0', awayScore: '0' })],
      teams,
    );
    expect(records[0]).toMatchObject({ league: 'PREMIER_LEAGUE', homeScore: 0, awayScore: 0 });
  });

  it('rejects an unknown status, listing the statuses', () => {
    expect(reasonsFor({ status: 'FULLTIME' })).toEqual([
      "status: 'FULLTIME' is not a game status (SCHEDULED, IN_PROGRESS, FINAL, POSTPONED, CANCELED)",
    ]);
  });

  it('rejects an unknown league, listing the leagues', () => {
    expect(reasonsFor({ league: 'XFL' })).toEqual(["league: 'XFL' is not a league (NBA, NFL, MLB, NHL, PREMIER_LEAGUE)"]);
  });

  it('reports every problem of a row with its row number and external id', () => {
    const { rejected } = validateGameRows([raw({ status: 'done', season: 'next', homeScore: '-1', awayTeamId: 'nba-bos' }, 7)], teams);
    expect(rejected).toEqual([
      {
        row: 7,
        externalId: 'nba-2025-0001',
        reasons: [
          "season: 'next' is not a season: expected one such as 2025, 2025-26 or 2025-2026",
          "status: 'done' is not a game status (SCHEDULED, IN_PROGRESS, FINAL, POSTPONED, CANCELED)",
          "homeScore: '-1' is not a whole number from 0 to 999",
          'awayTeamId: the same team as homeTeamId',
        ],
      },
    ]);
  });

  it('puts the row’s shape problems first', () => {
    const { rejected } = validateGameRows([raw({}, 1, ['the row has 10 fields where the header has 9'])], teams);
    expect(rejected[0]?.reasons).toEqual(['the row has 10 fields where the header has 9']);
  });

  it('names every empty required column', () => {
    expect(reasonsFor({ league: '', season: '', startsAt: '', homeTeamId: '', awayTeamId: '', status: '', externalId: '' })).toEqual([
      'externalId: required',
      'league: required',
      'season: required',
      'startsAt: required',
      'homeTeamId: required',
      'awayTeamId: required',
      'status: required',
    ]);
  });

  it('leaves the external id out of a rejection that has none', () => {
    const { rejected } = validateGameRows([raw({ externalId: '' })], teams);
    expect(rejected[0]).not.toHaveProperty('externalId');
  });
});

describe('external ids', () => {
  it.each(['a', 'nba:2025-26:0001', 'x.y_z-1', 'A'.repeat(128)])('accepts %j', (externalId) => {
    expect(validateGameRows([raw({ externalId })], teams).records).toHaveLength(1);
  });

  it('rejects one longer than 128 characters', () => {
    expect(reasonsFor({ externalId: 'a'.repeat(129) })).toEqual(['externalId: is longer than 128 characters']);
  });

  it('rejects characters outside letters, digits and . _ : -', () => {
    expect(reasonsFor({ externalId: 'game 1/2' })).toEqual(["externalId: 'game 1/2' may only hold letters, digits and . _ : -"]);
  });

  it('rejects the later of two rows with the same id, naming the earlier row', () => {
    const { records, rejected } = validateGameRows([raw({}, 1), raw({ status: 'SCHEDULED', homeScore: '', awayScore: '' }, 2)], teams);
    expect(records.map((record) => record.row)).toEqual([1]);
    expect(rejected).toEqual([{ row: 2, externalId: 'nba-2025-0001', reasons: ["externalId: 'nba-2025-0001' already appears in row 1"] }]);
  });

  it('rejects a repeated id even when the first row was rejected', () => {
    const { rejected } = validateGameRows([raw({ status: 'nope' }, 1), raw({}, 2)], teams);
    expect(rejected.map((rejection) => rejection.row)).toEqual([1, 2]);
    expect(rejected[1]?.reasons).toEqual(["externalId: 'nba-2025-0001' already appears in row 1"]);
  });
});

describe('seasons', () => {
  it.each([
    ['2025', '2025'],
    ['2025-26', '2025-26'],
    ['2025-2026', '2025-26'],
    ['1999-00', '1999-00'],
    ['1999-2000', '1999-00'],
  ])('stores %j as %j', (text, season) => {
    expect(normalizeSeason(text)).toBe(season);
    expect(validateGameRows([raw({ season: text })], teams).records[0]?.season).toBe(season);
  });

  it.each(['25', '2025/26', '2025-27', '2025-2025', '2025-', 'season 2025', '0001'])('rejects %j', (season) => {
    expect(normalizeSeason(season)).toBeUndefined();
    expect(reasonsFor({ season })).toHaveLength(1);
  });

  it('explains years that do not follow each other', () => {
    expect(reasonsFor({ season: '2025-27' })).toEqual([
      "season: '2025-27' is not a season: the second year must follow the first (years 1850–2200), as in 2025-26",
    ]);
  });
});

describe('kick-off times', () => {
  it.each([
    ['2025-10-21T23:30:00Z', '2025-10-21T23:30:00.000Z'],
    ['2025-10-21T19:30:00-04:00', '2025-10-21T23:30:00.000Z'],
    ['2025-10-22T01:30:00.250+02:00', '2025-10-21T23:30:00.250Z'],
    ['2025-10-21T23:30Z', '2025-10-21T23:30:00.000Z'],
  ])('accepts %j as %s', (startsAt, instant) => {
    expect(validateGameRows([raw({ startsAt })], teams).records[0]?.startsAt.toISOString()).toBe(instant);
  });

  it('rejects a date without a time', () => {
    expect(reasonsFor({ startsAt: '2025-10-21' })).toEqual([
      "startsAt: '2025-10-21' is a date without a time: kick-off times matter (e.g. 2025-10-21T19:30:00-04:00)",
    ]);
  });

  it('rejects a time without an offset', () => {
    expect(reasonsFor({ startsAt: '2025-10-21T19:30:00' })).toEqual([
      "startsAt: '2025-10-21T19:30:00' has no UTC offset: end it with Z or an offset (e.g. 2025-10-21T19:30:00-04:00)",
    ]);
  });

  it.each(['21/10/2025 19:30', '2025-02-30T19:30:00Z', '2025-10-21T25:00:00Z', 'tomorrow', '1761089400'])('rejects %j', (startsAt) => {
    expect(reasonsFor({ startsAt })).toEqual([
      `startsAt: '${startsAt}' is not an ISO-8601 date-time with offset (e.g. 2025-10-21T19:30:00-04:00)`,
    ]);
  });
});

describe('teams', () => {
  it('rejects an unknown team', () => {
    expect(reasonsFor({ awayTeamId: 'nba-xyz' })).toEqual(["awayTeamId: no team 'nba-xyz'"]);
  });

  it('rejects a team of another league', () => {
    expect(reasonsFor({ homeTeamId: 'nfl-kc' })).toEqual(["homeTeamId: 'nfl-kc' plays in NFL, not NBA"]);
  });

  it('rejects the same team at home and away', () => {
    expect(reasonsFor({ awayTeamId: 'nba-bos' })).toEqual(['awayTeamId: the same team as homeTeamId']);
  });

  it('still reports unknown teams when the league is invalid', () => {
    expect(reasonsFor({ league: 'XFL', homeTeamId: 'xfl-a' })).toEqual([
      "league: 'XFL' is not a league (NBA, NFL, MLB, NHL, PREMIER_LEAGUE)",
      "homeTeamId: no team 'xfl-a'",
    ]);
  });
});

describe('scores', () => {
  it.each(['1.5', '1000', 'ten', '-3', '1e2'])('rejects the score %j', (homeScore) => {
    expect(reasonsFor({ homeScore })).toEqual([`homeScore: '${homeScore}' is not a whole number from 0 to 999`]);
  });

  it('accepts 999', () => {
    expect(validateGameRows([raw({ homeScore: '999' })], teams).records[0]?.homeScore).toBe(999);
  });

  it('requires both scores of a FINAL game', () => {
    expect(reasonsFor({ homeScore: '', awayScore: '' })).toEqual([
      'homeScore: required when status is FINAL',
      'awayScore: required when status is FINAL',
    ]);
    expect(reasonsFor({ awayScore: '' })).toEqual(['awayScore: required when status is FINAL']);
  });

  it.each(['SCHEDULED', 'POSTPONED', 'CANCELED'])('refuses scores on a %s game', (status) => {
    expect(reasonsFor({ status })).toEqual([
      `homeScore: must be empty when status is ${status} (a game not played has no score)`,
      `awayScore: must be empty when status is ${status} (a game not played has no score)`,
    ]);
  });

  it('takes both scores or neither on a game in progress', () => {
    expect(validateGameRows([raw({ status: 'live', homeScore: '', awayScore: '' })], teams).records).toHaveLength(1);
    expect(validateGameRows([raw({ status: 'live', homeScore: '54', awayScore: '50' })], teams).records[0]).toMatchObject({
      status: 'IN_PROGRESS',
      homeScore: 54,
      awayScore: 50,
    });
    expect(reasonsFor({ status: 'live', awayScore: '' })).toEqual(['awayScore: required when homeScore is given']);
  });
});
