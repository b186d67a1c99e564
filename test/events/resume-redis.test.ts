import { openDatabase, type Database, type DatabaseKind } from '@pressbox/db';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { connectTestRedis, redisAvailable } from '../support/redis.ts';
import {
  dashboardEvent,
  killSubscriber,
  ids,
  nextWithin,
  openBusFixture,
  resumableStream,
  take,
  teamChannel,
  until,
  type BusFixture,
  type ResumableStreamOptions,
  type StoredEvent,
} from './fixtures.ts';

describe.each(databaseKinds)('resumable stream across Redis processes over %s', (databaseKind: DatabaseKind) => {
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

  /** A stream of the fixture's bus that is stopped when the test ends, even when it fails. */
  function openStream(options: Omit<ResumableStreamOptions, 'bus'>) {
    const controller = new AbortController();
    const stream = resumableStream({ ...options, bus: fixture.bus, signal: controller.signal });
    onTestFinished(async () => {
      controller.abort();
      await stream.return();
    });
    return stream;
  }

  /** Stores an event without broadcasting it: a process that committed but has not published yet. */
  async function storeSilently(teamId: string, reason: string): Promise<StoredEvent> {
    const row = await fixture.database.db.prisma.event.create({ data: { type: 'dashboard.updated', teamId, data: { teamId, reason } } });
    return { id: row.id.toString(), type: 'dashboard.updated', teamId, at: row.at.toISOString(), data: { teamId, reason } };
  }

  it.skipIf(!available)('yields events that arrive out of order once each, in id order', async () => {
    const team = 'nba-sas';
    const stream = openStream({ teamIds: [team] });
    const pending = nextWithin(stream);
    await until(() => fixture.bus.listenerCount({ teamId: team }) === 1, 5_000, 'the subscription');
    const earlier = await storeSilently(team, 'slow publisher');
    const later = await storeSilently(team, 'fast publisher');
    const channel = teamChannel(fixture.prefix, team);
    await redis.publish(channel, JSON.stringify(later));
    await redis.publish(channel, JSON.stringify(earlier));
    await redis.publish(channel, JSON.stringify(later));

    expect((await pending).value).toEqual(earlier);
    expect(await take(stream, 1)).toEqual([later]);
    const next = await fixture.bus.publish(dashboardEvent(team, 'after the duplicates'));
    expect(await take(stream, 1)).toEqual([next]);
    await stream.return();
  });

  it.skipIf(!available)('catches up from the database on an event lost while its Redis connection was down', async () => {
    const team = 'nba-okc';
    const stream = openStream({ teamIds: [team] });
    const pending = nextWithin(stream, 10_000);
    await until(() => fixture.bus.listenerCount({ teamId: team }) === 1, 5_000, 'the subscription');
    await killSubscriber(redis, fixture.prefix);
    const lost = await fixture.bus.publish(dashboardEvent(team, 'published while disconnected'));
    expect((await pending).value).toEqual(lost);
    const next = await fixture.bus.publish(dashboardEvent(team, 'after reconnecting'));
    expect(await take(stream, 1)).toEqual([next]);
    await stream.return();
  });

  it.skipIf(!available)('streams every event of two publishing processes exactly once and in id order', async () => {
    const team = 'nba-den';
    // Postgres: the second process has its own pool, so commits really race. PGlite is one process.
    let second: Database | undefined;
    if (fixture.database.url) second = await openDatabase({ databaseUrl: fixture.database.url, migrate: false, poolMax: 4 });
    const peer = fixture.openPeer(second ? { prisma: second.prisma } : {});
    try {
      const start = (await fixture.bus.latestId()) ?? '0';
      const stream = openStream({ teamIds: [team, 'nba-uta'], lastEventId: start, pageSize: 7 });
      const pending = nextWithin(stream, 10_000);
      await until(() => fixture.bus.listenerCount({ teamId: team }) === 1, 5_000, 'the subscription');
      const publishers = [fixture.bus, peer, fixture.bus, peer].map(async (bus, worker) => {
        const published: StoredEvent[] = [];
        for (let index = 0; index < 15; index++) {
          published.push(await bus.publish(dashboardEvent(index % 3 === 0 ? 'nba-uta' : team, `w${String(worker)}-${String(index)}`)));
        }
        return published;
      });
      const first = await pending;
      const rest = await take(stream, 59, 10_000);
      const published = (await Promise.all(publishers)).flat();
      const yielded = first.done ? rest : [first.value, ...rest];

      expect(yielded).toHaveLength(60);
      expect(ids(yielded)).toEqual(ids(published).sort((a, b) => a - b));
      const late = await peer.publish(dashboardEvent(team, 'last'));
      expect(await take(stream, 1)).toEqual([late]);
      await stream.return();
    } finally {
      await peer.close();
      await second?.close();
    }
  });
});
