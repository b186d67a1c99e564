import { randomBytes } from 'node:crypto';
import type { DatabaseKind } from '@pressbox/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { connectTestRedis, deleteKeys, redisAvailable } from '../support/redis.ts';

const ADMIN = 'admin_cache';

interface Dashboard {
  record: { wins: number; losses: number; gamesPlayed: number };
  standing: { league: { rank: number; of: number } };
  computedAt: string;
}

const setups: { name: string; database: DatabaseKind; redis: boolean; available: () => boolean }[] = [
  { name: 'the in-memory cache (PGlite)', database: 'pglite', redis: false, available: () => databaseAvailable('pglite') },
  {
    name: 'the Redis cache (Postgres)',
    database: 'postgres',
    redis: true,
    available: () => databaseAvailable('postgres') && redisAvailable(),
  },
];

/** A FINAL game row with a fresh external id, played `daysAgo` days before now. */
function played(league: string, home: string, away: string, homeScore: number, awayScore: number, daysAgo = 2) {
  return {
    league,
    season: '2026-27',
    startsAt: new Date(Math.floor((Date.now() - daysAgo * 86_400_000) / 60_000) * 60_000).toISOString(),
    homeTeamId: home,
    awayTeamId: away,
    status: 'FINAL',
    homeScore,
    awayScore,
    externalId: `cache-${randomBytes(4).toString('hex')}`,
  };
}

for (const setup of setups) {
  describe.skipIf(!setup.available())(`dashboard caching with ${setup.name}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ database: setup.database, redis: setup.redis, env: { PRESSBOX_ADMIN_USER_IDS: ADMIN } });
    });
    afterAll(async () => {
      await app.close();
      if (!setup.redis) return;
      const redis = connectTestRedis('dashboard-cache-cleanup');
      await deleteKeys(redis, `${app.redisPrefix}:`).finally(() => {
        redis.disconnect();
      });
    });

    const dashboard = async (teamId: string, as = 'fan_cache', target: TestApp = app): Promise<Dashboard> => {
      const response = await target.fetch(`/api/v1/teams/${teamId}/dashboard`, { as });
      expect(response.status).toBe(200);
      return (await response.json()) as Dashboard;
    };
    const importGames = async (rows: ReturnType<typeof played>[]) => {
      const report = await app.trpc(ADMIN).games.import.mutate({ rows });
      expect(report.rejected).toEqual([]);
    };

    it('serves a warm second call from the cache, to any user in the same time zone', async () => {
      const first = await dashboard('nba-okc', 'fan_cache_a');
      const second = await dashboard('nba-okc', 'fan_cache_a');
      const other = await dashboard('nba-okc', 'fan_cache_b');
      expect(second).toEqual(first);
      expect(other.computedAt).toBe(first.computedAt);
    });

    it('recomputes after a games import for the team, with the new result counted', async () => {
      await importGames([played('NBA', 'nba-bos', 'nba-nyk', 101, 99, 3)]);
      const before = await dashboard('nba-bos');
      expect((await dashboard('nba-bos')).computedAt).toBe(before.computedAt);
      await importGames([played('NBA', 'nba-phi', 'nba-bos', 88, 104)]);
      const after = await dashboard('nba-bos');
      expect(after.computedAt).not.toBe(before.computedAt);
      expect(after.record).toMatchObject({ wins: before.record.wins + 1, gamesPlayed: before.record.gamesPlayed + 1 });
      expect((await dashboard('nba-bos')).computedAt).toBe(after.computedAt);
    });

    it('recomputes after a dashboard.updated event published for the team, and only for that team', async () => {
      const mine = await dashboard('nba-mia');
      const theirs = await dashboard('nba-orl');
      await app.running.services.events.publish({
        type: 'dashboard.updated',
        teamId: 'nba-mia',
        data: { teamId: 'nba-mia', reason: 'test' },
      });
      expect((await dashboard('nba-mia')).computedAt).not.toBe(mine.computedAt);
      expect((await dashboard('nba-orl')).computedAt).toBe(theirs.computedAt);
    });

    it('moves a team’s rank on the next call when two other teams of its league play', async () => {
      await importGames([played('NHL', 'nhl-bos', 'nhl-mtl', 3, 1)]);
      const before = await dashboard('nhl-bos');
      expect(before.standing.league).toEqual({ rank: 1, of: 32, name: 'NHL' });
      await importGames([played('NHL', 'nhl-tor', 'nhl-ott', 6, 0)]);
      const after = await dashboard('nhl-bos');
      expect(after.computedAt).not.toBe(before.computedAt);
      expect(after.standing.league).toEqual({ rank: 2, of: 32, name: 'NHL' });
    });

    if (setup.redis) {
      it('keeps the dashboard in Redis under the deployment prefix', async () => {
        const redis = connectTestRedis('dashboard-cache');
        try {
          await dashboard('nba-uta');
          const found: string[] = [];
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', `${app.redisPrefix}:cache:dashboard:nba-uta:*`, 'COUNT', 1000);
            cursor = next;
            found.push(...keys);
          } while (cursor !== '0');
          expect(found.length).toBeGreaterThan(0);
        } finally {
          redis.disconnect();
        }
      });

      it('shares the cache between API processes: warm in the second, recomputed there after an event in the first', async () => {
        const second = await startTestApp({
          database: 'postgres',
          redis: true,
          role: 'api',
          env: {
            DATABASE_URL: app.running.services.config.databaseUrl ?? '',
            PRESSBOX_REDIS_PREFIX: app.redisPrefix,
          },
        });
        try {
          const computed = await dashboard('nba-gsw', 'fan_shared', app);
          expect((await dashboard('nba-gsw', 'fan_shared', second)).computedAt).toBe(computed.computedAt);
          await importGames([played('NBA', 'nba-gsw', 'nba-sac', 120, 100)]);
          const recomputed = await dashboard('nba-gsw', 'fan_shared', second);
          expect(recomputed.computedAt).not.toBe(computed.computedAt);
          expect(recomputed.record.wins).toBe(computed.record.wins + 1);
          expect((await dashboard('nba-gsw', 'fan_shared', app)).computedAt).toBe(recomputed.computedAt);
        } finally {
          await second.close();
        }
      });
    }
  });
}
