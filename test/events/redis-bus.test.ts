import { openDatabase, type DatabaseKind } from '@pressbox/db';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds, openTestDatabase } from '../support/databases.ts';
import { redisUrl } from '../support/environment.ts';
import { connectTestRedis, redisAvailable, uniquePrefix } from '../support/redis.ts';
import {
  createRedisEventBus,
  dashboardEvent,
  killSubscriber,
  openBusFixture,
  relayKeys,
  summaryEvent,
  teamChannel,
  until,
  type BusFixture,
  type EventBusProblem,
  type StoredEvent,
} from './fixtures.ts';

async function numsub(redis: Redis, channel: string): Promise<number> {
  const reply = (await redis.pubsub('NUMSUB', channel)) as [string, number];
  return reply[1];
}

describe.each(databaseKinds)('Redis event bus over %s', (databaseKind: DatabaseKind) => {
  const available = redisAvailable() && databaseAvailable(databaseKind);
  let fixture: BusFixture;
  let redis: Redis;
  beforeAll(async () => {
    if (!available) return;
    fixture = await openBusFixture('redis', databaseKind);
    redis = connectTestRedis('events-test');
  });
  afterAll(async () => {
    if (!available) return;
    await fixture.close();
    await redis.quit();
  });

  it.skipIf(!available)('delivers events published by another process on the same prefix', async () => {
    // A second process has its own database pool; on PGlite (one process only) it shares the client.
    const second = fixture.database.url ? await openDatabase({ databaseUrl: fixture.database.url, migrate: false, poolMax: 2 }) : undefined;
    const peer = fixture.openPeer(second ? { prisma: second.prisma } : {});
    try {
      const received: StoredEvent[] = [];
      const stop = await fixture.bus.subscribe({ teamId: 'nba-mia' }, (event) => received.push(event));
      const stored = await peer.publish(summaryEvent('nba-mia'));
      await until(() => received.length === 1, 5_000, 'the event from the peer');
      expect(received).toEqual([stored]);
      await stop();
    } finally {
      await peer.close();
      await second?.close();
    }
  });

  it.skipIf(!available)('does not hear events of a deployment with another prefix', async () => {
    const otherPrefix = uniquePrefix('pbtev');
    // Another deployment shares the Redis, never the database.
    const otherDatabase = await openTestDatabase(databaseKind);
    const other = createRedisEventBus({ prisma: otherDatabase.db.prisma, url: redisUrl, prefix: otherPrefix, name: otherPrefix });
    try {
      const received: StoredEvent[] = [];
      const stop = await fixture.bus.subscribe({ teamId: 'nba-den' }, (event) => received.push(event));
      await other.publish(dashboardEvent('nba-den', 'other deployment'));
      const mine = await fixture.bus.publish(dashboardEvent('nba-den', 'this deployment'));
      await until(() => received.length >= 1, 5_000, 'the event');
      expect(received.map((event) => event.id)).toEqual([mine.id]);
      await stop();
    } finally {
      await other.close();
      await otherDatabase.close();
    }
  });

  it.skipIf(!available)('subscribes a channel once per process and releases it when the last listener leaves', async () => {
    const channel = teamChannel(fixture.prefix, 'nba-phi');
    const first = await fixture.bus.subscribe({ teamId: 'nba-phi' }, () => undefined);
    const second = await fixture.bus.subscribe({ teamId: 'nba-phi' }, () => undefined);
    expect(await numsub(redis, channel)).toBe(1);
    await first();
    expect(await numsub(redis, channel)).toBe(1);
    await second();
    expect(await numsub(redis, channel)).toBe(0);
  });

  it.skipIf(!available)('leaves no Redis subscription and no listener after 200 subscribe and unsubscribe cycles', async () => {
    const channel = teamChannel(fixture.prefix, 'nba-chi');
    for (let cycle = 0; cycle < 200; cycle++) {
      const stop = await fixture.bus.subscribe({ teamId: 'nba-chi' }, () => undefined);
      if (cycle % 2 === 0) await stop();
      else void stop();
    }
    await until(async () => (await numsub(redis, channel)) === 0, 5_000, 'NUMSUB 0');
    expect(fixture.bus.listenerCount()).toBe(0);
    expect(fixture.bus.stats().channels).toBe(0);
  });

  it.skipIf(!available)('drops malformed messages, counts them, and keeps delivering valid ones', async () => {
    const problems: EventBusProblem[] = [];
    const bus = fixture.openPeer({ report: (problem) => problems.push(problem) });
    try {
      const received: StoredEvent[] = [];
      const stop = await bus.subscribe({ teamId: 'nba-gsw' }, (event) => received.push(event));
      const channel = teamChannel(fixture.prefix, 'nba-gsw');
      const wrongTeam = {
        id: '9',
        type: 'dashboard.updated',
        teamId: 'nba-lal',
        at: '2026-11-26T15:04:05.000Z',
        data: { teamId: 'nba-lal', reason: 'x' },
      };
      for (const message of ['{not json', 'null', JSON.stringify({ id: 1, type: 'news.created' }), JSON.stringify(wrongTeam), '']) {
        await redis.publish(channel, message);
      }
      const valid = await fixture.bus.publish(dashboardEvent('nba-gsw'));
      await until(() => received.length === 1, 5_000, 'the valid event');
      expect(received.map((event) => event.id)).toEqual([valid.id]);
      expect(bus.stats().dropped).toBe(5);
      expect(problems.map((problem) => problem.kind)).toEqual(Array(5).fill('dropped-message'));
      await stop();
    } finally {
      await bus.close();
    }
  });

  it.skipIf(!available)('subscribes safely while its connection is still being set up', async () => {
    const name = uniquePrefix('pbtev');
    const bus = createRedisEventBus({ prisma: fixture.database.db.prisma, url: redisUrl, prefix: fixture.prefix, name });
    try {
      let reconnects = 0;
      const received = new Set<string>();
      const teams = Array.from({ length: 30 }, (_, index) => `nfl-t${String(index)}`);
      const subscriptions: Promise<() => Promise<void>>[] = [];
      for (const teamId of teams) {
        subscriptions.push(
          bus.subscribe({ teamId }, (event) => received.add(event.teamId ?? ''), {
            onReconnect: () => {
              reconnects++;
            },
          }),
        );
        // Spread the calls over the connection's handshake instead of queueing them all before it.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const stops = await Promise.all(subscriptions);
      for (const teamId of teams) await fixture.bus.publish(dashboardEvent(teamId));
      await until(() => received.size === teams.length, 5_000, 'an event on every channel');
      expect(reconnects).toBe(0);
      await Promise.all(stops.map((stop) => stop()));
    } finally {
      await bus.close();
    }
  });

  it.skipIf(!available)('subscribes a new channel while its connection is being re-established', async () => {
    const channel = teamChannel(fixture.prefix, 'nba-hou');
    await killSubscriber(redis, fixture.prefix);
    const received: StoredEvent[] = [];
    const stop = await fixture.bus.subscribe({ teamId: 'nba-hou' }, (event) => received.push(event));
    const stored = await fixture.bus.publish(dashboardEvent('nba-hou'));
    await until(() => received.length === 1, 5_000, 'the event');
    expect(received).toEqual([stored]);
    await stop();
    expect(await numsub(redis, channel)).toBe(0);
  });

  it.skipIf(!available)('gives the relay lease back when it closes in the middle of a pass, so the others relay at once', async () => {
    // A process shutting down while its relay holds the lease: the others must not wait for it to expire.
    const peer = fixture.openPeer();
    await peer.publishCommitted();
    const pass = peer.publishCommitted();
    await peer.close();
    await pass;
    expect(await redis.exists(relayKeys(fixture.prefix).lease)).toBe(0);
    const received: StoredEvent[] = [];
    const stop = await fixture.bus.subscribe({ teamId: 'nba-orl' }, (event) => received.push(event));
    const started = Date.now();
    const stored = await fixture.bus.publish(dashboardEvent('nba-orl'));
    await until(() => received.length === 1, 5_000, 'the event');
    expect(received).toEqual([stored]);
    expect(Date.now() - started).toBeLessThan(1_000);
    await stop();
  });

  it.skipIf(!available)('subscribes again after its connection drops and tells listeners to catch up', async () => {
    const received: StoredEvent[] = [];
    let reconnects = 0;
    const stop = await fixture.bus.subscribe({ teamId: 'nba-mil' }, (event) => received.push(event), {
      onReconnect: () => {
        reconnects++;
      },
    });
    const channel = teamChannel(fixture.prefix, 'nba-mil');
    await killSubscriber(redis, fixture.prefix);
    const missed = await fixture.bus.publish(dashboardEvent('nba-mil', 'while disconnected'));
    await until(() => reconnects === 1, 10_000, 'onReconnect');
    expect(await numsub(redis, channel)).toBe(1);
    const after = await fixture.bus.publish(dashboardEvent('nba-mil', 'after reconnecting'));
    await until(() => received.length === 1, 5_000, 'the next event');
    expect(received.map((event) => event.id)).toEqual([after.id]);
    expect(received.map((event) => event.id)).not.toContain(missed.id);
    await stop();
    expect(await numsub(redis, channel)).toBe(0);
  });
});
