import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { addArticles, addDays, addSource, fourteenDays, localDate, localMidnight } from './news.ts';

const LA = 'America/Los_Angeles';
const MINUTE = 60_000;

interface Dashboard {
  timezone: string;
  newsVolume: { date: string; count: number }[];
  topSources: { id: string; name: string; count: number }[];
  followerCount: number;
  summary: { length: string; status: string; generatedAt: string | null };
  computedAt: string;
}

/** Counts by date as a plain object, leaving out the zero days. */
function nonZero(volume: Dashboard['newsVolume']): Record<string, number> {
  return Object.fromEntries(volume.filter((day) => day.count > 0).map((day) => [day.date, day.count]));
}

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`dashboard news volume, sources, followers and summary on ${kind}`, () => {
    let app: TestApp;
    /** A Los Angeles date three days back, and the instants just before and after it begins there. */
    const day = addDays(localDate(new Date(), LA), -3);
    const midnight = localMidnight(day, LA);
    const earlier = addDays(day, -5);
    const noonEarlier = new Date(localMidnight(earlier, LA).getTime() + 12 * 60 * MINUTE);
    const sources: Record<string, string> = {};

    beforeAll(async () => {
      app = await startTestApp({ database: kind, env: { SUMMARY_DEBOUNCE_MS: '600000' } });
      for (const name of ['Alpha Wire', 'Mid News', 'Zeta Daily']) sources[name] = await addSource(app, name);
      const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * MINUTE);
      await addArticles(app, 'nba-den', sources['Zeta Daily'] ?? '', [at(midnight, -30), at(midnight, 30), at(noonEarlier, 0)]);
      await addArticles(app, 'nba-den', sources['Mid News'] ?? '', [at(noonEarlier, 1), at(noonEarlier, 2)]);
      await addArticles(app, 'nba-den', sources['Alpha Wire'] ?? '', [at(noonEarlier, 3), new Date(Date.now() - 20 * 86_400_000)]);
      const patched = await app.fetch('/api/v1/me/preferences', {
        method: 'PATCH',
        as: 'fan_la',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ timezone: LA, version: 1 }),
      });
      expect(patched.status).toBe(200);
    });
    afterAll(async () => {
      await app.close();
    });

    const dashboard = async (teamId: string, as: string, query = ''): Promise<Dashboard> => {
      const response = await app.fetch(`/api/v1/teams/${teamId}/dashboard${query}`, { as });
      expect(response.status).toBe(200);
      return (await response.json()) as Dashboard;
    };

    it('puts articles at 23:30 and 00:30 Los Angeles time on two local days for a Los Angeles user', async () => {
      const den = await dashboard('nba-den', 'fan_la');
      expect(den.timezone).toBe(LA);
      expect(nonZero(den.newsVolume)).toEqual({ [earlier]: 4, [addDays(day, -1)]: 1, [day]: 1 });
    });

    it('puts the same two articles on one UTC day for a user in UTC', async () => {
      const den = await dashboard('nba-den', 'fan_utc');
      expect(den.timezone).toBe('UTC');
      expect(localDate(midnight, 'UTC')).toBe(day);
      expect(nonZero(den.newsVolume)).toEqual({ [earlier]: 4, [day]: 2 });
    });

    it('lets the timezone query parameter override the preference', async () => {
      const den = await dashboard('nba-den', 'fan_utc', `?timezone=${encodeURIComponent(LA)}`);
      expect(den.timezone).toBe(LA);
      expect(nonZero(den.newsVolume)).toEqual({ [earlier]: 4, [addDays(day, -1)]: 1, [day]: 1 });
      const tokyo = await dashboard('nba-den', 'fan_la', '?timezone=Asia/Tokyo');
      expect(tokyo.timezone).toBe('Asia/Tokyo');
      expect(tokyo.newsVolume.map((entry) => entry.date)).toEqual(fourteenDays('Asia/Tokyo'));
    });

    it('answers 400 for a time zone that does not exist', async () => {
      const response = await app.fetch('/api/v1/teams/nba-den/dashboard?timezone=Mars/Olympus_Mons', { as: 'fan_utc' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { issues: { path: string[] }[] };
      expect(body.issues.map((issue) => issue.path.join('.'))).toEqual(['timezone']);
    });

    it('lists 14 zero-filled days ending today in the caller’s time zone, oldest first', async () => {
      for (const [user, timezone] of [
        ['fan_la', LA],
        ['fan_utc', 'UTC'],
      ] as const) {
        const den = await dashboard('nba-den', user);
        expect(den.newsVolume.map((entry) => entry.date)).toEqual(fourteenDays(timezone));
        expect(den.newsVolume.filter((entry) => entry.count === 0)).toHaveLength(14 - Object.keys(nonZero(den.newsVolume)).length);
      }
      const quiet = await dashboard('nba-sas', 'fan_la');
      expect(quiet.newsVolume).toEqual(fourteenDays(LA).map((date) => ({ date, count: 0 })));
      expect(quiet.topSources).toEqual([]);
    });

    it('orders top sources by their articles of the last 14 days, most first', async () => {
      expect((await dashboard('nba-den', 'fan_la')).topSources).toEqual([
        { id: sources['Zeta Daily'], name: 'Zeta Daily', count: 3 },
        { id: sources['Mid News'], name: 'Mid News', count: 2 },
        { id: sources['Alpha Wire'], name: 'Alpha Wire', count: 1 },
      ]);
    });

    it('counts top sources over the same 14 local days as the news volume', async () => {
      const first = localMidnight(fourteenDays(LA)[0] ?? '', LA);
      const edge = await addSource(app, 'Edge Gazette');
      await addArticles(app, 'nba-hou', edge, [new Date(first.getTime() - 60 * MINUTE), new Date(first.getTime() + 60 * MINUTE)]);
      const hou = await dashboard('nba-hou', 'fan_la');
      expect(nonZero(hou.newsVolume)).toEqual({ [fourteenDays(LA)[0] ?? '']: 1 });
      expect(hou.topSources).toEqual([{ id: edge, name: 'Edge Gazette', count: 1 }]);
    });

    it('counts followers as they follow and unfollow, even right after a dashboard was served', async () => {
      expect((await dashboard('nba-sac', 'fan_follow_a')).followerCount).toBe(0);
      for (const user of ['fan_follow_a', 'fan_follow_b']) {
        expect((await app.fetch('/api/v1/me/follows/nba-sac', { method: 'PUT', as: user })).status).toBe(200);
      }
      expect((await dashboard('nba-sac', 'fan_follow_a')).followerCount).toBe(2);
      await app.fetch('/api/v1/me/follows/nba-sac', { method: 'DELETE', as: 'fan_follow_b' });
      expect((await dashboard('nba-sac', 'fan_follow_b')).followerCount).toBe(1);
    });

    it('reports the summary missing, then fresh once one is made, then stale after newer news', async () => {
      const source = sources['Mid News'] ?? '';
      await addArticles(app, 'nba-mem', source, [new Date(Date.now() - 5 * 60 * MINUTE), new Date(Date.now() - 4 * 60 * MINUTE)]);
      expect((await dashboard('nba-mem', 'fan_la')).summary).toEqual({ length: 'MEDIUM', status: 'missing', generatedAt: null });

      const made = await app.fetch('/api/v1/teams/nba-mem/summary', { as: 'fan_la' });
      expect(made.status).toBe(200);
      const summary = (await made.json()) as { status: string; generatedAt: string };
      expect(summary.status).toBe('ready');
      expect((await dashboard('nba-mem', 'fan_la')).summary).toEqual({
        length: 'MEDIUM',
        status: 'fresh',
        generatedAt: summary.generatedAt,
      });
      expect((await dashboard('nba-mem', 'fan_la', '?timezone=UTC')).summary.status).toBe('fresh');

      await addArticles(app, 'nba-mem', source, [new Date(Date.now() - MINUTE)]);
      expect((await dashboard('nba-mem', 'fan_la')).summary).toEqual({
        length: 'MEDIUM',
        status: 'stale',
        generatedAt: summary.generatedAt,
      });
    });

    it('reads the summary status at the caller’s summary length', async () => {
      const patched = await app.fetch('/api/v1/me/preferences', {
        method: 'PATCH',
        as: 'fan_short',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ summaryLength: 'SHORT', version: 1 }),
      });
      expect(patched.status).toBe(200);
      expect((await dashboard('nba-mem', 'fan_short')).summary).toEqual({ length: 'SHORT', status: 'missing', generatedAt: null });
    });
  });
}
