import { AppError } from '@pressbox/db';
import { describe, expect, it } from 'vitest';
import { gameColumns, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, readGameRows } from './rows.ts';

const header = gameColumns.join(',');
const line = 'NBA,2025-26,2025-10-21T23:30:00Z,nba-bos,nba-nyk,FINAL,101,99,nba-2025-0001';

function expectAppError(run: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect(caught).toMatchObject({ code });
  expect((caught as AppError).message).toMatch(message);
}

describe('reading CSV', () => {
  it('reads each data row into named, trimmed values numbered from 1', () => {
    const rows = readGameRows({
      format: 'csv',
      content: `${header}\n${line}\nNBA, 2025-26 ,2025-10-22T23:30:00Z,nba-nyk,nba-bos,SCHEDULED,,,nba-2025-0002\n`,
    });
    expect(rows).toEqual([
      {
        row: 1,
        values: {
          league: 'NBA',
          season: '2025-26',
          startsAt: '2025-10-21T23:30:00Z',
          homeTeamId: 'nba-bos',
          awayTeamId: 'nba-nyk',
          status: 'FINAL',
          homeScore: '101',
          awayScore: '99',
          externalId: 'nba-2025-0001',
        },
        problems: [],
      },
      {
        row: 2,
        values: {
          league: 'NBA',
          season: '2025-26',
          startsAt: '2025-10-22T23:30:00Z',
          homeTeamId: 'nba-nyk',
          awayTeamId: 'nba-bos',
          status: 'SCHEDULED',
          homeScore: '',
          awayScore: '',
          externalId: 'nba-2025-0002',
        },
        problems: [],
      },
    ]);
  });

  it('handles quoted fields with commas, quotes and line breaks', () => {
    const rows = readGameRows({
      format: 'csv',
      content: `${header}\n"NBA","2025-26","2025-10-21T23:30:00Z","nba-bos","nba-nyk","full time","101","99","a""b,\nc"\n`,
    });
    expect(rows[0]?.values.status).toBe('full time');
    expect(rows[0]?.values.externalId).toBe('a"b,\nc');
  });

  it('ignores a byte order mark, CRLF line ends and trailing empty lines', () => {
    const rows = readGameRows({ format: 'csv', content: `\uFEFF${header}\r\n${line}\r\n\r\n\r\n` });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.values.league).toBe('NBA');
    expect(rows[0]?.values.externalId).toBe('nba-2025-0001');
  });

  it('skips blank lines and all-empty rows without counting them', () => {
    const rows = readGameRows({ format: 'csv', content: `${header}\n\n${line}\n,,,,,,,,\n${line.replace('0001', '0002')}\n` });
    expect(rows.map((row) => [row.row, row.values.externalId])).toEqual([
      [1, 'nba-2025-0001'],
      [2, 'nba-2025-0002'],
    ]);
  });

  it('takes the columns in any order and any case, and ignores unknown ones', () => {
    const content =
      'EXTERNALID,notes,Status,league,season,startsAt,homeTeamId,awayTeamId\nx-1,ignore me,final,nba,2025,2025-10-21T23:30:00Z,nba-bos,nba-nyk\n';
    const [row] = readGameRows({ format: 'csv', content });
    expect(row?.values).toEqual({
      league: 'nba',
      season: '2025',
      startsAt: '2025-10-21T23:30:00Z',
      homeTeamId: 'nba-bos',
      awayTeamId: 'nba-nyk',
      status: 'final',
      homeScore: '',
      awayScore: '',
      externalId: 'x-1',
    });
    expect(row?.problems).toEqual([]);
  });

  it('refuses a header without a required column, naming it', () => {
    const content = `${header.replace(',status', '')}\n`;
    expectAppError(() => readGameRows({ format: 'csv', content }), 'BAD_REQUEST', /missing the column status;/);
  });

  it('names every missing column', () => {
    expectAppError(
      () => readGameRows({ format: 'csv', content: 'league,season\nNBA,2025\n' }),
      'BAD_REQUEST',
      /missing the columns startsAt, homeTeamId, awayTeamId, status, externalId/,
    );
  });

  it('hints at the separator when the header is one semicolon-separated field', () => {
    expectAppError(() => readGameRows({ format: 'csv', content: `${gameColumns.join(';')}\n` }), 'BAD_REQUEST', /separated by commas/);
  });

  it('refuses a header naming a column twice', () => {
    expectAppError(() => readGameRows({ format: 'csv', content: `${header},status\n` }), 'BAD_REQUEST', /status twice/);
  });

  it('refuses an empty file', () => {
    expectAppError(() => readGameRows({ format: 'csv', content: '\uFEFF\r\n\r\n' }), 'BAD_REQUEST', /header row/);
  });

  it('returns no rows for a header alone', () => {
    expect(readGameRows({ format: 'csv', content: `${header}\r\n` })).toEqual([]);
  });

  it('refuses a file with a quote that is never closed', () => {
    expectAppError(
      () => readGameRows({ format: 'csv', content: `${header}\n${line}\n"NBA,2025\n` }),
      'BAD_REQUEST',
      /CSV cannot be read: Quote Not Closed/,
    );
  });

  it('reports a row with more or fewer fields than the header', () => {
    const rows = readGameRows({ format: 'csv', content: `${header}\n${line},extra\nNBA,2025\n` });
    expect(rows[0]?.problems).toEqual(['the row has 10 fields where the header has 9']);
    expect(rows[1]?.problems).toEqual(['the row has 2 fields where the header has 9']);
    expect(rows[1]?.values.season).toBe('2025');
    expect(rows[1]?.values.status).toBe('');
  });
});

describe('reading JSON', () => {
  it('reads an array of objects, numbers as text and null as empty', () => {
    const content = JSON.stringify([
      {
        league: 'NBA',
        season: 2025,
        startsAt: '2025-10-21T23:30:00Z',
        homeTeamId: 'nba-bos',
        awayTeamId: 'nba-nyk',
        status: 'FINAL',
        homeScore: 101,
        awayScore: null,
        externalId: ' j-1 ',
        extra: { ignored: true },
      },
    ]);
    expect(readGameRows({ format: 'json', content })).toEqual([
      {
        row: 1,
        values: {
          league: 'NBA',
          season: '2025',
          startsAt: '2025-10-21T23:30:00Z',
          homeTeamId: 'nba-bos',
          awayTeamId: 'nba-nyk',
          status: 'FINAL',
          homeScore: '101',
          awayScore: '',
          externalId: 'j-1',
        },
        problems: [],
      },
    ]);
  });

  it('leaves a missing key empty', () => {
    const [row] = readGameRows({ format: 'json', content: '[{"league":"NBA"}]' });
    expect(row?.values.status).toBe('');
    expect(row?.problems).toEqual([]);
  });

  it('reports values that are neither text nor numbers', () => {
    const [row] = readGameRows({ format: 'json', content: '[{"league":["NBA"],"homeScore":true,"status":{"a":1}}]' });
    expect(row?.problems).toEqual([
      'league: expected text or a number',
      'status: expected text or a number',
      'homeScore: expected text or a number',
    ]);
  });

  it('reports an element that is not an object', () => {
    const rows = readGameRows({ format: 'json', content: '[{"league":"NBA"}, 3, null, ["NBA"]]' });
    expect(rows.map((row) => row.problems)).toEqual([
      [],
      ['the row is not an object'],
      ['the row is not an object'],
      ['the row is not an object'],
    ]);
    expect(rows.map((row) => row.row)).toEqual([1, 2, 3, 4]);
  });

  it('does not read keys inherited through __proto__', () => {
    const [row] = readGameRows({ format: 'json', content: '[{"__proto__":{"status":"FINAL"}}]' });
    expect(row?.values.status).toBe('');
  });

  it('refuses a document that is not an array', () => {
    expectAppError(() => readGameRows({ format: 'json', content: '{"games":[]}' }), 'BAD_REQUEST', /array of game objects/);
  });

  it('refuses text that is not JSON', () => {
    expectAppError(() => readGameRows({ format: 'json', content: header }), 'BAD_REQUEST', /JSON cannot be read/);
  });

  it('accepts a byte order mark', () => {
    expect(readGameRows({ format: 'json', content: '\uFEFF[]' })).toEqual([]);
  });
});

describe('import bounds', () => {
  it(`accepts ${String(MAX_IMPORT_ROWS)} rows`, () => {
    const content = `${header}\n${Array.from({ length: MAX_IMPORT_ROWS }, () => line).join('\n')}`;
    expect(readGameRows({ format: 'csv', content })).toHaveLength(MAX_IMPORT_ROWS);
  });

  it('refuses one CSV row more, saying how many are allowed', () => {
    const content = `${header}\n${Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => line).join('\n')}`;
    expectAppError(() => readGameRows({ format: 'csv', content }), 'PAYLOAD_TOO_LARGE', /5001 rows; at most 5000/);
  });

  it('refuses one JSON row more', () => {
    const content = JSON.stringify(Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => ({})));
    expectAppError(() => readGameRows({ format: 'json', content }), 'PAYLOAD_TOO_LARGE', /at most 5000/);
  });

  it('refuses more than 1 MiB, counted in UTF-8 bytes', () => {
    const padding = 'é'.repeat(MAX_IMPORT_BYTES / 2 + 1);
    expect(padding.length).toBeLessThan(MAX_IMPORT_BYTES);
    expectAppError(() => readGameRows({ format: 'csv', content: `${header}\n${padding}` }), 'PAYLOAD_TOO_LARGE', /1 MiB/);
  });

  it('accepts exactly 1 MiB', () => {
    const content = `${header}\n`.padEnd(MAX_IMPORT_BYTES, '\n');
    expect(readGameRows({ format: 'csv', content })).toEqual([]);
  });
});
