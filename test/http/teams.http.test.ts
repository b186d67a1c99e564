import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`teams over REST and tRPC on ${kind}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ database: kind });
    });
    afterAll(async () => {
      await app.close();
    });

    it('answers REST and tRPC with the same data for the same query', async () => {
      const rest = await (await app.fetch('/api/v1/teams?league=NBA&limit=5', { as: 'user_same' })).json();
      const trpc = await app.trpc('user_same').teams.list.query({ league: 'NBA', limit: 5 });
      expect(rest).toEqual(trpc);
      const restTeam = await (await app.fetch('/api/v1/teams/nba-bos', { as: 'user_same' })).json();
      expect(restTeam).toEqual(await app.trpc('user_same').teams.get.query({ teamId: 'nba-bos' }));
    });

    it('walks a league page by page with the opaque cursor', async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/api/v1/teams?league=PREMIER_LEAGUE&limit=6${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await (await app.fetch(query, { as: 'user_pages' })).json()) as {
          items: { id: string }[];
          nextCursor: string | null;
        };
        ids.push(...page.items.map((team) => team.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
    });

    it('answers 401 JSON without a token, with an invalid token and with a token in the query string', async () => {
      for (const init of [{}, { headers: { authorization: 'Bearer not.a.token' } }, { headers: { authorization: 'Basic dXNlcjpwdw==' } }]) {
        const response = await app.fetch('/api/v1/teams', init);
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED', requestId: response.headers.get('x-request-id') });
      }
      const token = app.token('user_query');
      expect((await app.fetch(`/api/v1/teams?token=${token}`)).status).toBe(401);
      expect((await app.fetch(`/api/v1/teams?access_token=${token}`)).status).toBe(401);
    });

    it('answers 404 for an unknown team id', async () => {
      const response = await app.fetch('/api/v1/teams/nba-nope', { as: 'user_404' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', message: 'No team with id nba-nope' });
    });

    it('answers 400 with issues for invalid input', async () => {
      const response = await app.fetch('/api/v1/teams?league=CRICKET&limit=500', { as: 'user_400' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; issues: { path: (string | number)[]; message: string }[] };
      expect(body.code).toBe('BAD_REQUEST');
      expect(body.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['league', 'limit']);
    });

    it('answers 400 for a cursor it did not issue', async () => {
      const response = await app.fetch('/api/v1/teams?cursor=bm9wZQ', { as: 'user_cursor' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('reads boolean query parameters as booleans: followed=false is not followed=true', async () => {
      await app.fetch('/api/v1/me/follows/nba-bos', { method: 'PUT', as: 'user_bool' });
      const followed = (await (await app.fetch('/api/v1/teams?followed=true', { as: 'user_bool' })).json()) as { items: { id: string }[] };
      expect(followed.items.map((team) => team.id)).toEqual(['nba-bos']);
      const notFollowed = (await (await app.fetch('/api/v1/teams?followed=false&league=NBA&limit=100', { as: 'user_bool' })).json()) as {
        items: { id: string }[];
      };
      expect(notFollowed.items).toHaveLength(29);
      expect(notFollowed.items.map((team) => team.id)).not.toContain('nba-bos');
      const bad = await app.fetch('/api/v1/teams?followed=maybe', { as: 'user_bool' });
      expect(bad.status).toBe(400);
    });

    it('keeps tRPC validation strict after REST calls coerced the same schemas', async () => {
      await app.fetch('/api/v1/teams?limit=3', { as: 'user_coerce' });
      const client = app.trpc('user_coerce');
      await expect(client.teams.list.query({ limit: 3 })).resolves.toMatchObject({ items: expect.any(Array) as unknown });
      await expect(client.teams.list.query({ league: 'NOPE' as 'NBA' })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    });

    it('decodes percent-encoded path parameters', async () => {
      const response = await app.fetch('/api/v1/teams/nba%2Dbos', { as: 'user_pct' });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 'nba-bos' });
      const spaced = await app.fetch('/api/v1/teams/nba%20bos', { as: 'user_pct' });
      expect(spaced.status).toBe(400);
      const broken = await app.fetch('/api/v1/teams/%E0%A4%A', { as: 'user_pct' });
      expect(broken.status).toBe(400);
    });

    it('searches teams by name over both transports', async () => {
      const rest = (await (await app.fetch('/api/v1/teams?q=Arsenal', { as: 'user_q' })).json()) as { items: { id: string }[] };
      expect(rest.items.map((team) => team.id)).toEqual(['epl-ars']);
      const trpc = await app.trpc('user_q').teams.list.query({ q: 'lakers' });
      expect(trpc.items.map((team) => team.id)).toEqual(['nba-lal']);
    });
  });
}
