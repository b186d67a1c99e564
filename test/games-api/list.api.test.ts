import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { finalGame, uniqueId, type GameRow } from './rows.ts';

const ADMIN = 'admin_list';
const MEMBER = 'member_list';

interface GamePage {
  items: {
    externalId: string;
    season: string;
    status: string;
    startsAt: string;
    homeScore: number | null;
    awayScore: number | null;
    homeTeam: { id: string; name: string; shortName: string; abbreviation: string };
    awayTeam: { id: string };
  }[];
  nextCursor: string | null;
}

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`GET /teams/{teamId}/games on ${kind}`, () => {
    let app: TestApp;
    const prefix = uniqueId('list');
    const id = (n: number) => `${prefix}-${String(n)}`;

    /** Toronto: two games last season, five this season in every status but IN_PROGRESS. */
    const file: GameRow[] = [
      { ...finalGame(id(1), '2025-03-01T00:30:00Z', 'nba-tor', 'nba-bos', 100, 110), season: '2024-25' },
      { ...finalGame(id(2), '2025-03-03T00:30:00Z', 'nba-nyk', 'nba-tor', 98, 101), season: '2024-25' },
      finalGame(id(3), '2025-10-22T23:30:00Z', 'nba-tor', 'nba-phi', 120, 115),
      finalGame(id(4), '2025-10-24T23:30:00Z', 'nba-bkn', 'nba-tor', 104, 100),
      { ...finalGame(id(5), '2025-10-26T23:30:00Z', 'nba-tor', 'nba-lal', 0, 0), status: 'POSTPONED', homeScore: null, awayScore: null },
      finalGame(id(6), '2025-10-28T23:30:00Z', 'nba-tor', 'nba-bos', 111, 109),
      { ...finalGame(id(7), '2026-04-10T23:30:00Z', 'nba-bos', 'nba-tor', 0, 0), status: 'SCHEDULED', homeScore: null, awayScore: null },
      finalGame(id(8), '2025-10-29T23:30:00Z', 'nba-bos', 'nba-nyk', 90, 80),
    ];

    beforeAll(async () => {
      app = await startTestApp({ database: kind, env: { PRESSBOX_ADMIN_USER_IDS: ADMIN } });
      const report = await app.trpc(ADMIN).games.import.mutate({ rows: file });
      expect(report).toMatchObject({ inserted: 8, rejected: [] });
    });
    afterAll(async () => {
      await app.close();
    });

    const page = async (query: string): Promise<GamePage> => {
      const response = await app.fetch(`/api/v1/teams/nba-tor/games${query}`, { as: MEMBER });
      expect(response.status).toBe(200);
      return (await response.json()) as GamePage;
    };
    const ids = (games: GamePage) => games.items.map((game) => game.externalId);

    it('lists the team’s home and away games of every season, newest first', async () => {
      const games = await page('');
      expect(ids(games)).toEqual([id(7), id(6), id(5), id(4), id(3), id(2), id(1)]);
      expect(games.nextCursor).toBeNull();
      expect(games.items[1]).toEqual({
        id: expect.any(String) as unknown,
        externalId: id(6),
        league: 'NBA',
        season: '2025-26',
        startsAt: '2025-10-28T23:30:00.000Z',
        status: 'FINAL',
        homeScore: 111,
        awayScore: 109,
        homeTeam: { id: 'nba-tor', name: 'Toronto Raptors', shortName: 'Raptors', abbreviation: 'TOR' },
        awayTeam: { id: 'nba-bos', name: 'Boston Celtics', shortName: 'Celtics', abbreviation: 'BOS' },
      });
    });

    it('walks the games page by page with the opaque cursor, each once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const games: GamePage = await page(`?limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
        expect(games.items.length).toBeLessThanOrEqual(3);
        seen.push(...ids(games));
        cursor = games.nextCursor;
        pages += 1;
      } while (cursor !== null);
      expect(pages).toBe(3);
      expect(seen).toEqual([id(7), id(6), id(5), id(4), id(3), id(2), id(1)]);
    });

    it('keeps a page stable while an older game is imported behind it', async () => {
      const first = await page('?limit=2');
      await app.trpc(ADMIN).games.import.mutate({
        rows: [{ ...finalGame(id(9), '2025-10-27T23:30:00Z', 'nba-tor', 'nba-nyk', 100, 100), league: 'nba' }],
      });
      const second = await page(`?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
      expect(ids(first)).toEqual([id(7), id(6)]);
      expect(ids(second)).toEqual([id(9), id(5)]);
      await app.running.services.prisma.game.delete({ where: { externalId: id(9) } });
    });

    it.each([
      ['2025-26', [7, 6, 5, 4, 3]],
      ['2025-2026', [7, 6, 5, 4, 3]],
      ['2024-25', [2, 1]],
      ['2025', []],
    ])('filters by season %s, accepting the long form for stored 2025-26', async (season, expected) => {
      expect(ids(await page(`?season=${season}`))).toEqual(expected.map(id));
    });

    it('filters by status, alone and with a season', async () => {
      expect(ids(await page('?status=FINAL'))).toEqual([id(6), id(4), id(3), id(2), id(1)]);
      expect(ids(await page('?status=FINAL&season=2024-2025'))).toEqual([id(2), id(1)]);
      expect(ids(await page('?status=SCHEDULED'))).toEqual([id(7)]);
      expect(ids(await page('?status=POSTPONED&season=2025-26'))).toEqual([id(5)]);
      expect(ids(await page('?status=CANCELED'))).toEqual([]);
    });

    it('answers the same page over tRPC as over REST', async () => {
      const rest = await page('?season=2025-26&limit=2');
      expect(await app.trpc(MEMBER).teams.games.query({ teamId: 'nba-tor', season: '2025-26', limit: 2 })).toEqual(rest);
    });

    it('answers 404 for an unknown team', async () => {
      const response = await app.fetch('/api/v1/teams/nba-xyz/games', { as: MEMBER });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', message: 'No team with id nba-xyz' });
    });

    it.each(['2025-27', 'last', '25-26'])('answers 400 for the season %s', async (season) => {
      const response = await app.fetch(`/api/v1/teams/nba-tor/games?season=${season}`, { as: MEMBER });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        code: 'BAD_REQUEST',
        message: `${season} is not a season (2025, 2025-26 or 2025-2026)`,
      });
    });

    it('answers 400 with issues for an unknown status and an out-of-range limit', async () => {
      const response = await app.fetch('/api/v1/teams/nba-tor/games?status=DONE&limit=101', { as: MEMBER });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { issues: { path: string[] }[] };
      expect(body.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['limit', 'status']);
    });

    it('answers 400 for a cursor it did not issue', async () => {
      const response = await app.fetch('/api/v1/teams/nba-tor/games?cursor=bm9wZQ', { as: MEMBER });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('answers 401 without a token', async () => {
      expect((await app.fetch('/api/v1/teams/nba-tor/games')).status).toBe(401);
    });
  });
}
