import { teamChannel } from '@pressbox/jobs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { databaseAvailable } from '../support/databases.ts';
import { connectTestRedis, redisAvailable } from '../support/redis.ts';
import { startCluster, type ApiProcess, type Cluster } from './cluster.ts';
import { adminApi, liveClient, receive, rssFeed, until, type LiveClient } from './support.ts';

async function numsub(redis: Redis, channel: string): Promise<number> {
  const reply = (await redis.pubsub('NUMSUB', channel)) as [string, number];
  return reply[1];
}

describe.skipIf(!(databaseAvailable('postgres') && redisAvailable()))(
  'live updates across processes: two API processes and a worker on Postgres and Redis',
  () => {
    let cluster: Cluster;
    let feeds: FeedServer;
    let redis: Redis;
    let apiA: ApiProcess;
    let apiB: ApiProcess;
    let client: LiveClient;

    beforeAll(async () => {
      feeds = await startFeedServer();
      redis = connectTestRedis('live-numsub');
      cluster = await startCluster({
        apis: 2,
        worker: true,
        env: { PRESSBOX_ADMIN_USER_IDS: 'admin_cluster', FEED_ALLOW_PRIVATE_NETWORKS: 'true' },
      });
      [apiA, apiB] = cluster.apis as [ApiProcess, ApiProcess];
      client = liveClient({ url: apiA.url, token: () => cluster.token('fan_cluster') });
    }, 240_000);
    afterAll(async () => {
      await client.close();
      await cluster.close();
      await redis.quit();
      await feeds.close();
    }, 60_000);

    const onB = () => adminApi((path, init) => cluster.fetch(apiB, path, { ...init, as: 'admin_cluster' }));
    /** Live once process A has SUBSCRIBEd the team's channel (after `started`). */
    const liveOnA = async (teamId: string, started: () => number) => {
      const channel = teamChannel(cluster.prefix, teamId);
      await until(async () => started() === 1 && (await numsub(redis, channel)) === 1, 10_000, `${channel} to be subscribed`);
    };

    it('delivers to a client on API A the dashboard.updated caused by a games import on API B', async () => {
      const dashboard = receive((handlers) => client.trpc.teams.onDashboard.subscribe({ teamId: 'nba-bos' }, handlers));
      try {
        await liveOnA('nba-bos', () => dashboard.started);
        const report = await onB().importGames([
          {
            league: 'NBA',
            season: '2025-26',
            startsAt: '2026-01-10T00:30:00Z',
            homeTeamId: 'nba-bos',
            awayTeamId: 'nba-nyk',
            status: 'FINAL',
            homeScore: 110,
            awayScore: 101,
            externalId: 'live-cluster-1',
          },
        ]);
        expect(report).toMatchObject({ inserted: 1, rejected: [] });
        await until(() => dashboard.events.length === 1, 10_000, 'dashboard.updated on A');
        expect(dashboard.events[0]?.data).toMatchObject({
          type: 'dashboard.updated',
          teamId: 'nba-bos',
          data: { teamId: 'nba-bos', reason: 'games' },
        });
      } finally {
        dashboard.stop();
      }
    });

    it('delivers to a client on API A the news.created of a feed fetch that ran in the worker process', async () => {
      const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-phx' }, handlers));
      try {
        await liveOnA('nba-phx', () => news.started);
        feeds.route('/cluster/phx.xml', {
          kind: 'document',
          contentType: 'application/rss+xml',
          body: rssFeed('Phoenix desk', [
            { guid: 'cluster-phx-1', title: 'Suns sign a guard', publishedAt: new Date('2026-11-20T10:00:00Z') },
          ]),
        });
        const admin = onB();
        const { jobId } = await admin.addSource(feeds.url('/cluster/phx.xml'), ['nba-phx']);
        await until(() => news.events.length === 1, 20_000, 'news.created on A');
        expect(news.events[0]?.data).toMatchObject({ type: 'news.created', teamId: 'nba-phx', data: { title: 'Suns sign a guard' } });
        expect(await admin.jobDone(jobId)).toMatchObject({ status: 'stored', created: 1 });
        // Only the worker runs jobs: the fetch cannot have happened in either API process.
        expect(feeds.count('/cluster/phx.xml')).toBe(1);
      } finally {
        news.stop();
      }
    });

    it('delivers to a client on API A the summary.updated of a refresh requested on API B and generated in the worker', async () => {
      const summaries = receive((handlers) => client.trpc.teams.onSummary.subscribe({ teamId: 'nba-phx' }, handlers));
      try {
        await liveOnA('nba-phx', () => summaries.started);
        const response = await cluster.fetch(apiB, '/api/v1/teams/nba-phx/summary/refresh', {
          method: 'POST',
          as: 'fan_cluster',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ length: 'SHORT' }),
        });
        expect(response.status).toBe(202);
        await until(() => summaries.events.length === 1, 20_000, 'summary.updated on A');
        expect(summaries.events[0]?.data).toMatchObject({
          type: 'summary.updated',
          teamId: 'nba-phx',
          data: { teamId: 'nba-phx', length: 'SHORT' },
        });
      } finally {
        summaries.stop();
      }
    });
  },
);
