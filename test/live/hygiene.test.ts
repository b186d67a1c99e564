import { teamChannel } from '@pressbox/jobs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { connectTestRedis, redisAvailable } from '../support/redis.ts';
import { field, liveClient, metricValue, openRawSocket, receive, socketUrl, startProxy, subscriptionMessage, until } from './support.ts';

async function numsub(redis: Redis, channel: string): Promise<number> {
  const reply = (await redis.pubsub('NUMSUB', channel)) as [string, number];
  return reply[1];
}

const isStarted = (message: unknown) => field(message, 'result', 'type') === 'started';

describe.skipIf(!redisAvailable())('subscription resources are released (Redis bus)', () => {
  let app: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    app = await startTestApp({ database: 'pglite', redis: true, env: { RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0' } });
    redis = connectTestRedis('live-hygiene');
  });
  afterAll(async () => {
    await redis.quit();
    await app.close();
  });

  const bus = () => app.running.services.events;
  const channelOf = (teamId: string) => teamChannel(app.redisPrefix, teamId);
  const websocketConnections = async () => metricValue(await (await fetch(`${app.url}/metrics`)).text(), 'pressbox_websocket_connections');
  const released = async (teamIds: readonly string[]) => {
    if (bus().listenerCount() !== 0 || bus().stats().channels !== 0) return false;
    for (const teamId of teamIds) if ((await numsub(redis, channelOf(teamId))) !== 0) return false;
    return (await websocketConnections()) === 0;
  };

  it('releases the team’s Redis channel when the client unsubscribes', async () => {
    const client = liveClient({ url: app.url, token: () => app.token('fan_hygiene') });
    try {
      const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-sas' }, handlers));
      await until(
        async () => news.started === 1 && (await numsub(redis, channelOf('nba-sas'))) === 1,
        10_000,
        'the channel to be subscribed',
      );
      expect(bus().listenerCount({ teamId: 'nba-sas' })).toBe(1);
      news.stop();
      await until(async () => (await numsub(redis, channelOf('nba-sas'))) === 0, 5_000, 'the channel to be released');
      expect(bus().listenerCount()).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('releases the channel when the network drops under a subscribed client', async () => {
    const proxy = await startProxy(Number(new URL(app.url).port));
    const raw = await openRawSocket(socketUrl(proxy.url));
    try {
      raw.send({ method: 'connectionParams', data: { token: app.token('fan_dropped') } });
      raw.send(subscriptionMessage(1, 'teams.onNews', { teamId: 'nba-uta' }));
      await raw.waitFor(isStarted, 5_000, 'started');
      await until(async () => (await numsub(redis, channelOf('nba-uta'))) === 1, 5_000, 'the channel to be subscribed');
      proxy.cut();
      await until(() => released(['nba-uta']), 5_000, 'the channel, listener and connection to be released');
    } finally {
      raw.socket.terminate();
      await proxy.close();
    }
  });

  it('refuses a subscription to an unknown team with NOT_FOUND and holds nothing for it', async () => {
    const raw = await openRawSocket(socketUrl(app.url));
    try {
      raw.send({ method: 'connectionParams', data: { token: app.token('fan_lost') } });
      raw.send(subscriptionMessage(1, 'teams.onNews', { teamId: 'nba-zzz' }));
      const reply = await raw.waitFor((message) => field(message, 'id') === 1 && field(message, 'error') !== undefined, 5_000, 'the error');
      expect(field(reply, 'error', 'data', 'code')).toBe('NOT_FOUND');
      expect(field(reply, 'error', 'message')).toBe('No team with id nba-zzz');
      expect(raw.messages.some(isStarted)).toBe(false);
      expect(bus().listenerCount()).toBe(0);
    } finally {
      raw.socket.close();
      await raw.closed;
    }
  });

  it(
    'is back to no listeners, channels or connections after 200 connect, subscribe and disconnect cycles',
    { timeout: 90_000 },
    async () => {
      const teams = ['nba-por', 'nba-sac', 'nba-okc', 'nba-min'];
      const procedures = ['teams.onNews', 'teams.onSummary', 'teams.onDashboard'] as const;
      /** One cycle; departs cleanly, by closing, or by dropping the connection, in turn. */
      const cycle = async (index: number) => {
        const teamId = teams[index % teams.length] ?? 'nba-por';
        if (index % 4 === 0) {
          const client = liveClient({ url: app.url, token: () => app.token(`fan_cycle_${String(index % 7)}`) });
          const received = receive((handlers) => client.trpc.teams.onDashboard.subscribe({ teamId }, handlers));
          await until(() => received.started === 1, 10_000, 'started');
          received.stop();
          await client.close();
          return;
        }
        const raw = await openRawSocket(socketUrl(app.url));
        raw.send({ method: 'connectionParams', data: { token: app.token(`fan_cycle_${String(index % 7)}`) } });
        const path = index % 5 === 0 ? 'me.onFeed' : (procedures[index % procedures.length] ?? 'teams.onNews');
        raw.send(subscriptionMessage(1, path, path === 'me.onFeed' ? {} : { teamId }));
        await raw.waitFor(isStarted, 10_000, 'started');
        if (index % 4 === 1) {
          raw.send({ id: 1, jsonrpc: '2.0', method: 'subscription.stop' });
          raw.socket.close();
        } else if (index % 4 === 2) {
          raw.socket.close();
        } else {
          raw.socket.terminate();
        }
        await raw.closed;
      };
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(Array.from({ length: 10 }, (_, offset) => cycle(batch * 10 + offset)));
      }
      await until(() => released(teams), 10_000, 'every listener, channel and connection to be released');
      expect(bus().listenerCount()).toBe(0);
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/^pressbox_events\{stat="listeners"\} 0$/m);
      expect(metrics).toMatch(/^pressbox_events\{stat="channels"\} 0$/m);
      expect(metricValue(metrics, 'pressbox_websocket_connections')).toBe(0);
    },
  );
});
