import { sharedStreamStats, teamChannel, type StoredEvent } from '@pressbox/jobs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { connectTestRedis, redisAvailable } from '../support/redis.ts';
import {
  field,
  liveClient,
  metricValue,
  newsItem,
  openRawSocket,
  receive,
  socketUrl,
  startProxy,
  subscriptionMessage,
  until,
} from './support.ts';

const isStarted = (message: unknown) => field(message, 'result', 'type') === 'started';

/** Bytes a client may leave unread before the server cuts it off (server/src/ws.ts). */
const limitBytes = 4 * 1024 * 1024;

describe('a subscriber that stops reading', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ database: 'pglite' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('is disconnected once it leaves too much unread, and its stream is released, while other subscribers carry on', async () => {
    const proxy = await startProxy(Number(new URL(app.url).port));
    const slow = await openRawSocket(socketUrl(proxy.url));
    const healthy = await openRawSocket(socketUrl(app.url));
    try {
      for (const [socket, user] of [
        [slow, 'fan_slow'],
        [healthy, 'fan_healthy'],
      ] as const) {
        socket.send({ method: 'connectionParams', data: { token: app.token(user) } });
        socket.send(subscriptionMessage(1, 'teams.onNews', { teamId: 'nba-ind' }));
        await socket.waitFor(isStarted, 5_000, 'started');
      }
      await until(() => sharedStreamStats(app.running.services.events, 'nba-ind').subscribers === 2, 5_000, 'both streams to listen');
      proxy.stopReading();

      // 256 KiB stories; at most 64 MiB in all, far more than any buffer on the way.
      const contentHtml = `<p>${'x'.repeat(256 * 1024)}</p>`;
      let publishedBytes = 0;
      // The paused reader never sees the close; the server shows it by releasing the stream.
      const cut = () => sharedStreamStats(app.running.services.events, 'nba-ind').subscribers < 2;
      let published = 0;
      while (!cut() && published < 256) {
        await app.running.services.events.publish({
          type: 'news.created',
          teamId: 'nba-ind',
          data: newsItem(`ind-${String(published)}`, ['nba-ind'], { contentHtml }),
        });
        published += 1;
        publishedBytes += contentHtml.length;
        // Publishers are other processes in production: let this one serve its sockets meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await until(cut, 5_000, 'the server to cut the slow client off');
      // What the server can have held for it: its 4 MiB, the kernel's socket buffers on the
      // way, and what arrived before the next check.
      expect(publishedBytes).toBeLessThan(limitBytes * 6);
      await until(
        () => sharedStreamStats(app.running.services.events, 'nba-ind').subscribers === 1,
        5_000,
        'the slow stream to be released',
      );

      // The reader that keeps up got everything, and is still served.
      await until(
        () => healthy.messages.filter((message) => field(message, 'result', 'type') === 'data').length === published,
        10_000,
        'every story for the healthy reader',
      );
      expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
      const exposition = await (await fetch(`${app.url}/metrics`)).text();
      expect(metricValue(exposition, 'pressbox_websocket_connections')).toBe(1);
    } finally {
      healthy.socket.close();
      slow.socket.terminate();
      await proxy.close();
    }
  });
});

describe.skipIf(!(databaseAvailable('postgres') && redisAvailable()))('a subscription that falls too far behind the live events', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ database: 'postgres', redis: true });
  });
  afterAll(async () => {
    await app.close();
  });

  it('resumes from the event log on its own, without cutting its subscribers off or ending them with an error', async () => {
    const bus = app.running.services.events;
    const client = liveClient({ url: app.url, token: () => app.token('fan_behind') });
    const redis = connectTestRedis('live-behind');
    const blocker = new pg.Client({ connectionString: app.running.services.config.databaseUrl });
    await blocker.connect();
    try {
      const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-nop' }, handlers));
      await until(() => news.started === 1 && bus.listenerCount({ teamId: 'nba-nop' }) === 1, 10_000, 'the subscription to be live');

      // The stream has to read the event log to fill the holes between these ids; while that
      // read waits on a lock, more live events arrive than a stream may hold (1000).
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "Event" IN ACCESS EXCLUSIVE MODE');
      const pipeline = redis.pipeline();
      for (let index = 0; index < 2_000; index++) {
        const id = String(1_000_000 + index * 2);
        const event: StoredEvent = {
          id,
          type: 'news.created',
          teamId: 'nba-nop',
          at: new Date().toISOString(),
          data: newsItem(`nop-burst-${id}`, ['nba-nop']),
        };
        pipeline.publish(teamChannel(app.redisPrefix, 'nba-nop'), JSON.stringify(event));
      }
      await pipeline.exec();
      await until(() => bus.listenerCount({ teamId: 'nba-nop' }) === 0, 10_000, 'the stream to give up');
      await blocker.query('ROLLBACK');

      // The team's shared stream resumes from the log on its own; its subscriber stays connected.
      await until(() => bus.listenerCount({ teamId: 'nba-nop' }) === 1, 10_000, 'the stream to resume');
      expect(client.attempts()).toBe(1);
      expect(client.closeCodes()).toEqual([]);
      const next = await bus.publish({ type: 'news.created', teamId: 'nba-nop', data: newsItem('nop-after', ['nba-nop']) });
      await until(() => news.ids().includes(next.id), 10_000, 'the next event');
      expect(news.errors).toEqual([]);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
      await redis.quit();
      await client.close();
    }
  });
});
