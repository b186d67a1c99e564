import { openDatabase, type Database } from '@pressbox/db';
import { createRedisEventBus, teamChannel, type EventBus } from '@pressbox/jobs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { killGroup } from '../support/process.ts';
import { connectTestRedis, redisAvailable } from '../support/redis.ts';
import { startCluster, type ApiProcess, type Cluster } from './cluster.ts';
import { field, liveClient, newsItem, openRawSocket, receive, socketUrl, subscriptionMessage, until } from './support.ts';

async function numsub(redis: Redis, channel: string): Promise<number> {
  const reply = (await redis.pubsub('NUMSUB', channel)) as [string, number];
  return reply[1];
}

const isStarted = (message: unknown) => field(message, 'result', 'type') === 'started';
const isReconnect = (message: unknown) => field(message, 'method') === 'reconnect' && field(message, 'id') === null;

describe.skipIf(!(databaseAvailable('postgres') && redisAvailable()))('SIGTERM on an API process with subscribed clients', () => {
  let cluster: Cluster;
  let redis: Redis;
  let database: Database;
  let publisher: EventBus;

  beforeAll(async () => {
    cluster = await startCluster({ apis: 3, worker: false });
    redis = connectTestRedis('live-shutdown');
    // The test publishes as a worker process would: same database, same Redis prefix.
    database = await openDatabase({ databaseUrl: cluster.databaseUrl, migrate: false, poolMax: 2 });
    publisher = createRedisEventBus({
      prisma: database.prisma,
      url: redisUrl,
      prefix: cluster.prefix,
      name: `${cluster.prefix}-publisher`,
    });
  }, 240_000);
  afterAll(async () => {
    await publisher.close();
    await database.close();
    await redis.quit();
    await cluster.close();
  }, 60_000);

  const api = (index: number): ApiProcess => {
    const found = cluster.apis[index];
    if (!found) throw new Error(`no API process ${String(index)}`);
    return found;
  };
  const publish = (teamId: string, key: string) => publisher.publish({ type: 'news.created', teamId, data: newsItem(key, [teamId]) });

  it('sends the reconnect notification before closing the socket (1012) and exits cleanly', async () => {
    const stopping = api(0);
    const raw = await openRawSocket(socketUrl(stopping.url));
    raw.send({ method: 'connectionParams', data: { token: cluster.token('fan_sigterm_raw') } });
    raw.send(subscriptionMessage(1, 'teams.onNews', { teamId: 'nba-hou' }));
    await raw.waitFor(isStarted, 10_000, 'started');

    killGroup(stopping.spawned, 'SIGTERM');
    const closed = await raw.closed;
    const reconnectAt = raw.messages.findIndex(isReconnect);
    expect(reconnectAt).toBeGreaterThanOrEqual(0);
    // Nothing after the notification but the subscription's end.
    expect(raw.messages.slice(reconnectAt + 1).every((message) => field(message, 'result', 'type') === 'stopped')).toBe(true);
    expect(closed).toEqual({ code: 1012, reason: 'server restarting' });
    expect(await stopping.spawned.exited).toBe(0);
  });

  it('lets a tRPC client carry its subscription over to another process without losing or repeating events', async () => {
    const stopping = api(1);
    const staying = api(2);
    let target = stopping;
    const client = liveClient({ url: () => target.url, token: () => cluster.token('fan_sigterm') });
    try {
      const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-gsw' }, handlers));
      const channel = teamChannel(cluster.prefix, 'nba-gsw');
      await until(async () => news.started === 1 && (await numsub(redis, channel)) === 1, 10_000, 'the subscription to be live');

      const published: string[] = [];
      const run = { publishing: true };
      const loop = (async () => {
        for (let index = 0; run.publishing; index++) {
          published.push((await publish('nba-gsw', `gsw-${String(index)}`)).id);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      await until(() => news.events.length >= 5, 10_000, 'events before the restart');
      // A load balancer would now send new connections to the process that stays.
      target = staying;
      killGroup(stopping.spawned, 'SIGTERM');
      expect(await stopping.spawned.exited).toBe(0);
      const afterRestart = published.length;
      await until(() => published.length >= afterRestart + 10, 10_000, 'events after the restart');
      run.publishing = false;
      await loop;

      await until(() => news.events.length >= published.length, 10_000, 'every event');
      expect(news.ids()).toEqual(published);
      expect(client.attempts()).toBe(2);
      expect(news.errors).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
