import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';

interface Preferences {
  summaryLength: string;
  digest: string;
  timezone: string;
  locale: string;
  followedTeamIds: string[];
  version: number;
}

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`the signed-in user: /me, preferences and follows on ${kind}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ database: kind });
    });
    afterAll(async () => {
      await app.close();
    });

    const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;
    const send = (method: string, path: string, as: string, body?: unknown) =>
      app.fetch(path, {
        method,
        as,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    it('creates the user on the first request and describes the caller', async () => {
      const me = await json<{ id: string; role: string }>(app.fetch('/api/v1/me', { as: 'user_first' }));
      expect(me).toMatchObject({ id: 'user_first', role: 'MEMBER' });
      expect(await app.running.services.prisma.user.count({ where: { id: 'user_first' } })).toBe(1);
    });

    it('creates exactly one user for 20 concurrent first requests', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 20 }, async () => (await app.fetch('/api/v1/me', { as: 'user_burst' })).status),
      );
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(await app.running.services.prisma.user.count({ where: { id: 'user_burst' } })).toBe(1);
    });

    it('gives a new user default preferences at version 1', async () => {
      expect(await json(app.fetch('/api/v1/me/preferences', { as: 'user_defaults' }))).toMatchObject({
        summaryLength: 'MEDIUM',
        digest: 'OFF',
        timezone: 'UTC',
        locale: 'en-US',
        followedTeamIds: [],
        version: 1,
      });
    });

    it('replaces preferences with PUT and bumps the version', async () => {
      const body = {
        summaryLength: 'SHORT',
        digest: 'DAILY',
        timezone: 'America/Chicago',
        locale: 'es-MX',
        followedTeamIds: ['nba-chi', 'nfl-chi'],
        version: 1,
      };
      const response = await send('PUT', '/api/v1/me/preferences', 'user_put', body);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ...body, version: 2 });
    });

    it('changes only the given fields with PATCH', async () => {
      await send('PUT', '/api/v1/me/preferences', 'user_patch', {
        summaryLength: 'LONG',
        digest: 'WEEKLY',
        timezone: 'Asia/Tokyo',
        locale: 'ja-JP',
        followedTeamIds: ['nhl-tor'],
        version: 1,
      });
      const patched = await json<Preferences>(send('PATCH', '/api/v1/me/preferences', 'user_patch', { digest: 'OFF', version: 2 }));
      expect(patched).toMatchObject({
        summaryLength: 'LONG',
        digest: 'OFF',
        timezone: 'Asia/Tokyo',
        locale: 'ja-JP',
        followedTeamIds: ['nhl-tor'],
        version: 3,
      });
    });

    it('answers a stale version with 409 and writes nothing', async () => {
      await send('PATCH', '/api/v1/me/preferences', 'user_stale', { timezone: 'Europe/Rome', version: 1 });
      const stale = await send('PATCH', '/api/v1/me/preferences', 'user_stale', { timezone: 'Europe/Oslo', version: 1 });
      expect(stale.status).toBe(409);
      expect(await stale.json()).toMatchObject({ code: 'CONFLICT' });
      expect(await json(app.fetch('/api/v1/me/preferences', { as: 'user_stale' }))).toMatchObject({ timezone: 'Europe/Rome', version: 2 });
    });

    it('lets exactly one of two concurrent PATCHes with the same version win', async () => {
      await app.fetch('/api/v1/me/preferences', { as: 'user_race' });
      const [a, b] = await Promise.all([
        send('PATCH', '/api/v1/me/preferences', 'user_race', { locale: 'fr-FR', version: 1 }),
        send('PATCH', '/api/v1/me/preferences', 'user_race', { locale: 'de-DE', version: 1 }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? 'fr-FR' : 'de-DE';
      expect(await json(app.fetch('/api/v1/me/preferences', { as: 'user_race' }))).toMatchObject({ locale: winner, version: 2 });
    });

    it.each([
      ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      ['a UTC offset instead of a zone', { timezone: '+05:00' }, 'timezone'],
      ['a malformed locale', { locale: 'not a locale!' }, 'locale'],
      ['an unknown summary length', { summaryLength: 'EPIC' }, 'summaryLength'],
      ['a missing version', { digest: 'OFF', version: undefined }, 'version'],
      ['a version larger than any stored one', { digest: 'OFF', version: 397_971_351_704_129 }, 'version'],
    ])('refuses %s with 400 naming the field', async (_name, change, field) => {
      const response = await send('PATCH', '/api/v1/me/preferences', 'user_invalid', { version: 1, ...change });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { issues: { path: string[] }[] };
      expect(body.issues.map((issue) => issue.path.join('.'))).toContain(field);
    });

    it('refuses to follow unknown teams through PUT, writing nothing', async () => {
      const response = await send('PUT', '/api/v1/me/preferences', 'user_unknown_team', {
        summaryLength: 'SHORT',
        digest: 'OFF',
        timezone: 'UTC',
        locale: 'en-US',
        followedTeamIds: ['nba-bos', 'nba-nope'],
        version: 1,
      });
      expect(response.status).toBe(404);
      expect(await json(app.fetch('/api/v1/me/preferences', { as: 'user_unknown_team' }))).toMatchObject({
        version: 1,
        followedTeamIds: [],
        summaryLength: 'MEDIUM',
      });
    });

    it('follows and unfollows idempotently', async () => {
      const first = await json(app.fetch('/api/v1/me/follows/epl-liv', { method: 'PUT', as: 'user_follow' }));
      const again = await json(app.fetch('/api/v1/me/follows/epl-liv', { method: 'PUT', as: 'user_follow' }));
      expect(first).toEqual({ teamId: 'epl-liv', following: true, changed: true });
      expect(again).toEqual({ teamId: 'epl-liv', following: true, changed: false });
      expect(await json(app.fetch('/api/v1/me/preferences', { as: 'user_follow' }))).toMatchObject({
        followedTeamIds: ['epl-liv'],
        version: 2,
      });
      expect(await json(app.fetch('/api/v1/me/follows/epl-liv', { method: 'DELETE', as: 'user_follow' }))).toEqual({
        teamId: 'epl-liv',
        following: false,
        changed: true,
      });
      expect(await json(app.fetch('/api/v1/me/follows/epl-liv', { method: 'DELETE', as: 'user_follow' }))).toEqual({
        teamId: 'epl-liv',
        following: false,
        changed: false,
      });
    });

    it('answers 404 when following an unknown team', async () => {
      const response = await app.fetch('/api/v1/me/follows/nba-zzz', { method: 'PUT', as: 'user_follow_404' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('caps follows at 100 teams', async () => {
      const ids = (await app.running.services.prisma.team.findMany({ select: { id: true }, take: 101, orderBy: { id: 'asc' } })).map(
        (team) => team.id,
      );
      const hundred = ids.slice(0, 100);
      const put = await send('PUT', '/api/v1/me/preferences', 'user_cap', {
        summaryLength: 'SHORT',
        digest: 'OFF',
        timezone: 'UTC',
        locale: 'en-US',
        followedTeamIds: hundred,
        version: 1,
      });
      expect(put.status).toBe(200);
      const extra = await app.fetch(`/api/v1/me/follows/${ids[100] ?? ''}`, { method: 'PUT', as: 'user_cap' });
      expect(extra.status).toBe(400);
      expect(await app.running.services.prisma.follow.count({ where: { userId: 'user_cap' } })).toBe(100);
    });

    it('keeps every user to their own preferences and follows', async () => {
      await app.fetch('/api/v1/me/follows/nba-mia', { method: 'PUT', as: 'user_alice' });
      await send('PATCH', '/api/v1/me/preferences', 'user_alice', { timezone: 'America/New_York', version: 2 });
      const bob = await json<Preferences>(app.fetch('/api/v1/me/preferences', { as: 'user_bob' }));
      expect(bob).toMatchObject({ followedTeamIds: [], timezone: 'UTC' });
      await app.fetch('/api/v1/me/follows/nba-mia', { method: 'DELETE', as: 'user_bob' });
      await send('PATCH', '/api/v1/me/preferences', 'user_bob', { timezone: 'Europe/Lisbon', version: bob.version });
      expect(await json(app.fetch('/api/v1/me/preferences', { as: 'user_alice' }))).toMatchObject({
        followedTeamIds: ['nba-mia'],
        timezone: 'America/New_York',
      });
      expect(await json(app.fetch('/api/v1/me', { as: 'user_bob' }))).toMatchObject({ id: 'user_bob' });
    });

    it('serves the same preferences over tRPC', async () => {
      const rest = await json(app.fetch('/api/v1/me/preferences', { as: 'user_both' }));
      expect(await app.trpc('user_both').me.preferences.get.query({})).toEqual(rest);
    });
  });
}
