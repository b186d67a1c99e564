import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { finalGame, header, toCsv, uniqueId, type GameRow } from './rows.ts';

const ADMIN = 'admin_games';
const MEMBER = 'member_games';

interface Report {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: { row: number; externalId?: string; reasons: string[] }[];
}

interface ErrorBody {
  code: string;
  message: string;
  issues?: { path: (string | number)[]; message: string }[];
}

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`POST /games/import on ${kind}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ database: kind, env: { PRESSBOX_ADMIN_USER_IDS: ADMIN } });
    });
    afterAll(async () => {
      await app.close();
    });

    const post = (body: unknown, as = ADMIN) =>
      app.fetch('/api/v1/games/import', {
        method: 'POST',
        as,
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const importing = async (body: unknown, as = ADMIN): Promise<Report> => {
      const response = await post(body, as);
      expect(response.status).toBe(200);
      return (await response.json()) as Report;
    };
    const gamesWith = (prefix: string) => app.running.services.prisma.game.count({ where: { externalId: { startsWith: prefix } } });

    /** Two valid games and three rows that break different rules. */
    function mixedFile(prefix: string): GameRow[] {
      return [
        finalGame(`${prefix}-1`, '2025-10-21T23:30:00Z', 'nba-bos', 'nba-nyk', 110, 102),
        finalGame(`${prefix}-2`, '2025-10-23T00:00:00Z', 'nba-phi', 'nba-bos', 99, 104),
        { ...finalGame(`${prefix}-3`, '2025-10-24T23:00:00Z', 'nba-xyz', 'nba-bos', 90, 80), status: 'DONE' },
        { ...finalGame(`${prefix}-4`, '2025-10-25T23:00:00Z', 'nba-bos', 'nba-tor', 100, 90), status: 'SCHEDULED' },
        { ...finalGame(`${prefix}-5`, '2025-10-22', 'nba-bos', 'nba-bkn', 100, 90), season: '2025-27' },
      ];
    }
    const mixedRejections = (prefix: string): Report['rejected'] => [
      {
        row: 3,
        externalId: `${prefix}-3`,
        reasons: [
          "status: 'DONE' is not a game status (SCHEDULED, IN_PROGRESS, FINAL, POSTPONED, CANCELED)",
          "homeTeamId: no team 'nba-xyz'",
        ],
      },
      {
        row: 4,
        externalId: `${prefix}-4`,
        reasons: [
          'homeScore: must be empty when status is SCHEDULED (a game not played has no score)',
          'awayScore: must be empty when status is SCHEDULED (a game not played has no score)',
        ],
      },
      {
        row: 5,
        externalId: `${prefix}-5`,
        reasons: [
          "season: '2025-27' is not a season: the second year must follow the first (years 1850–2200), as in 2025-26",
          "startsAt: '2025-10-22' is a date without a time: kick-off times matter (e.g. 2025-10-21T19:30:00-04:00)",
        ],
      },
    ];

    it('imports a CSV file, applying the valid rows and reporting each rejected row with its reasons', async () => {
      const prefix = uniqueId('csv');
      const report = await importing({ csv: toCsv(mixedFile(prefix)) });
      expect(report).toEqual({ total: 5, inserted: 2, updated: 0, unchanged: 0, rejected: mixedRejections(prefix) });
      expect(await gamesWith(prefix)).toBe(2);
    });

    it('imports JSON rows with numbers and nulls the same way', async () => {
      const prefix = uniqueId('rows');
      const report = await importing({ rows: mixedFile(prefix) });
      expect(report).toEqual({ total: 5, inserted: 2, updated: 0, unchanged: 0, rejected: mixedRejections(prefix) });
      const stored = await app.running.services.prisma.game.findUniqueOrThrow({ where: { externalId: `${prefix}-2` } });
      expect(stored).toMatchObject({ league: 'NBA', season: '2025-26', homeTeamId: 'nba-phi', awayTeamId: 'nba-bos', status: 'FINAL' });
      expect(stored).toMatchObject({ homeScore: 99, awayScore: 104, startsAt: new Date('2025-10-23T00:00:00Z') });
    });

    it('reports every game unchanged when the same file is imported again', async () => {
      const prefix = uniqueId('again');
      const body = { csv: toCsv(mixedFile(prefix)) };
      await importing(body);
      const again = await importing(body);
      expect(again).toEqual({ total: 5, inserted: 0, updated: 0, unchanged: 2, rejected: mixedRejections(prefix) });
      expect(await importing({ rows: mixedFile(prefix).slice(0, 2) })).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
      expect(await gamesWith(prefix)).toBe(2);
    });

    it('counts a changed row as updated and writes the new values', async () => {
      const prefix = uniqueId('change');
      const scheduled: GameRow = {
        ...finalGame(`${prefix}-1`, '2026-01-05T00:30:00Z', 'nba-tor', 'nba-bkn', 0, 0),
        status: 'SCHEDULED',
        homeScore: null,
        awayScore: null,
      };
      const other = finalGame(`${prefix}-2`, '2026-01-06T00:30:00Z', 'nba-bkn', 'nba-tor', 120, 111);
      expect(await importing({ rows: [scheduled, other] })).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
      const played = { ...scheduled, status: 'final', homeScore: 101, awayScore: 97 };
      expect(await importing({ csv: toCsv([played, other]) })).toEqual({ total: 2, inserted: 0, updated: 1, unchanged: 1, rejected: [] });
      expect(await app.running.services.prisma.game.findUniqueOrThrow({ where: { externalId: `${prefix}-1` } })).toMatchObject({
        status: 'FINAL',
        homeScore: 101,
        awayScore: 97,
      });
    });

    it('answers the same report over tRPC as over REST', async () => {
      const prefix = uniqueId('trpc');
      const report = await app.trpc(ADMIN).games.import.mutate({ rows: mixedFile(prefix) });
      expect(report).toEqual({ total: 5, inserted: 2, updated: 0, unchanged: 0, rejected: mixedRejections(prefix) });
    });

    it('refuses members with 403 over REST and tRPC and imports nothing', async () => {
      const prefix = uniqueId('member');
      const response = await post({ csv: toCsv(mixedFile(prefix)) }, MEMBER);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'FORBIDDEN' });
      await expect(app.trpc(MEMBER).games.import.mutate({ rows: mixedFile(prefix) })).rejects.toMatchObject({
        data: { code: 'FORBIDDEN', httpStatus: 403 },
      });
      expect(await gamesWith(prefix)).toBe(0);
    });

    it('refuses anonymous callers with 401', async () => {
      const response = await app.fetch('/api/v1/games/import', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows: [] }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it.each([
      ['neither csv nor rows', {}],
      ['both csv and rows', { csv: `${header}\n`, rows: [] }],
    ])('answers 400 for a body with %s', async (_name, body) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      const error = (await response.json()) as ErrorBody;
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.issues?.map((issue) => issue.message)).toContain('send exactly one of csv and rows');
    });

    it('answers 400 naming the missing columns of a CSV header, importing nothing', async () => {
      const response = await post({ csv: 'league;season;startsAt\nNBA;2025-26;2025-10-21T23:30:00Z\n' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        code: 'BAD_REQUEST',
        message:
          'The CSV header is missing the columns league, season, startsAt, homeTeamId, awayTeamId, status, externalId (columns must be separated by commas); expected league, season, startsAt, homeTeamId, awayTeamId, status, homeScore, awayScore, externalId',
      });
    });

    it('answers 413 for a body over 1 MiB', async () => {
      const prefix = uniqueId('huge');
      const row = finalGame(`${prefix}-0`, '2025-10-21T23:30:00Z', 'nba-bos', 'nba-nyk', 1, 0);
      const csv = `${toCsv([row])}${'#'.repeat(1024 * 1024)}\n`;
      const response = await post({ csv });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1 MiB' });
      expect(await gamesWith(prefix)).toBe(0);
    });

    it('answers 413 saying how to split a CSV of more than 5,000 rows, importing none of them', async () => {
      const prefix = uniqueId('many');
      const rows = Array.from({ length: 5_001 }, (_, index) =>
        finalGame(`${prefix}-${String(index)}`, '2025-10-21T23:30:00Z', 'nba-bos', 'nba-nyk', 1, 0),
      );
      const response = await post({ csv: toCsv(rows) });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The import has 5001 rows; at most 5000 are accepted per import: split the file',
      });
      expect(await gamesWith(prefix)).toBe(0);
    });

    it('answers 400 naming `rows` for more than 5,000 JSON rows', async () => {
      const rows = Array.from({ length: 5_001 }, () => ({ league: 'NBA' }));
      const response = await post({ rows });
      expect(response.status).toBe(400);
      const error = (await response.json()) as ErrorBody;
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.issues?.map((issue) => issue.path.join('.'))).toEqual(['rows']);
    });

    it('publishes dashboard.updated for the teams whose games changed, and for the rest of their league, and nothing on a re-import', async () => {
      const { events, teams } = app.running.services;
      const prefix = uniqueId('events');
      const body = {
        rows: [
          finalGame(`${prefix}-1`, '2025-11-01T23:30:00Z', 'nba-mia', 'nba-orl', 101, 99),
          finalGame(`${prefix}-2`, '2025-11-02T23:30:00Z', 'nba-orl', 'nba-atl', 95, 97),
        ],
      };
      const nba = teams
        .all()
        .filter((team) => team.league === 'NBA')
        .map((team) => team.id);
      const before = await events.latestId();
      await importing(body);
      const published = await events.replay({ teamIds: nba, afterId: before, types: ['dashboard.updated'], limit: 1000 });
      const reasons = new Map(published.map((event) => [event.teamId, event.data]));
      expect(published).toHaveLength(30);
      expect(reasons.get('nba-mia')).toEqual({ teamId: 'nba-mia', reason: 'games' });
      expect(reasons.get('nba-orl')).toEqual({ teamId: 'nba-orl', reason: 'games' });
      expect(reasons.get('nba-atl')).toEqual({ teamId: 'nba-atl', reason: 'games' });
      expect(reasons.get('nba-bos')).toEqual({ teamId: 'nba-bos', reason: 'standings' });
      expect(new Set(reasons.keys())).toEqual(new Set(nba));

      const quiet = await events.latestId();
      await importing(body);
      expect(await events.replay({ teamIds: nba, afterId: quiet, limit: 1000 })).toEqual([]);
    });

    it('publishes nothing for an import whose rows are all rejected', async () => {
      const { events } = app.running.services;
      const before = await events.latestId();
      const report = await importing({ rows: [{ league: 'NBA' }] });
      expect(report).toMatchObject({ total: 1, inserted: 0, rejected: [{ row: 1 }] });
      expect(await events.latestId()).toBe(before);
    });
  });
}
