import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  busSetups,
  dashboardEvent,
  newsEvent,
  openBusFixture,
  setupAvailable,
  storedEventSchema,
  until,
  type BusFixture,
  type StoredEvent,
} from './fixtures.ts';

describe.each(busSetups)('%s event bus over %s', (kind, databaseKind) => {
  const available = setupAvailable(kind, databaseKind);
  let fixture: BusFixture;
  beforeAll(async () => {
    if (available) fixture = await openBusFixture(kind, databaseKind);
  });
  afterAll(async () => {
    if (available) await fixture.close();
  });

  it.skipIf(!available)('delivers a published event to a subscriber, validated and with its stored id', async () => {
    const received: StoredEvent[] = [];
    const stop = await fixture.bus.subscribe({ teamId: 'nba-bos' }, (event) => received.push(event));
    const stored = await fixture.bus.publish(newsEvent('nba-bos', 'Celtics sign a guard'));
    await until(() => received.length === 1, 5_000, 'the event');
    await stop();

    expect(stored.id).toMatch(/^[1-9][0-9]*$/);
    expect(received[0]).toEqual(stored);
    expect(storedEventSchema.parse(received[0])).toEqual(stored);
    expect(received[0]?.type === 'news.created' && received[0].data.title).toBe('Celtics sign a guard');
    const row = await fixture.database.db.prisma.event.findUniqueOrThrow({ where: { id: BigInt(stored.id) } });
    expect(row).toMatchObject({ type: 'news.created', teamId: 'nba-bos' });
    expect(row.at.toISOString()).toBe(stored.at);
  });

  it.skipIf(!available)('delivers only the events of the subscribed team', async () => {
    const received: StoredEvent[] = [];
    const stop = await fixture.bus.subscribe({ teamId: 'nba-lal' }, (event) => received.push(event));
    await fixture.bus.publish(dashboardEvent('nba-bkn'));
    const mine = await fixture.bus.publish(dashboardEvent('nba-lal'));
    await until(() => received.length >= 1, 5_000, 'the event');
    await stop();
    expect(received.map((event) => event.id)).toEqual([mine.id]);
  });

  it.skipIf(!available)('stops delivering to a listener once it unsubscribed', async () => {
    const kept: StoredEvent[] = [];
    const dropped: StoredEvent[] = [];
    const stopKept = await fixture.bus.subscribe({ teamId: 'nfl-kc' }, (event) => kept.push(event));
    const stopDropped = await fixture.bus.subscribe({ teamId: 'nfl-kc' }, (event) => dropped.push(event));
    await stopDropped();
    await stopDropped();
    const stored = await fixture.bus.publish(dashboardEvent('nfl-kc'));
    await until(() => kept.length === 1, 5_000, 'the event');
    await stopKept();
    expect(kept.map((event) => event.id)).toEqual([stored.id]);
    expect(dropped).toEqual([]);
  });

  it.skipIf(!available)('keeps delivering to the other listeners when one throws', async () => {
    const received: StoredEvent[] = [];
    const stopThrowing = await fixture.bus.subscribe({ teamId: 'nhl-bos' }, () => {
      throw new Error('listener bug');
    });
    const stop = await fixture.bus.subscribe({ teamId: 'nhl-bos' }, (event) => received.push(event));
    const before = fixture.bus.stats().listenerErrors;
    await fixture.bus.publish(dashboardEvent('nhl-bos'));
    await until(() => received.length === 1, 5_000, 'the event');
    expect(fixture.bus.stats().listenerErrors).toBe(before + 1);
    await stopThrowing();
    await stop();
  });

  it.skipIf(!available)('leaves no listener behind after 200 subscribe and unsubscribe cycles', async () => {
    for (let cycle = 0; cycle < 200; cycle++) {
      const stop = await fixture.bus.subscribe({ teamId: cycle % 2 === 0 ? 'mlb-nyy' : 'mlb-bos' }, () => undefined);
      await stop();
    }
    const concurrent = await Promise.all(Array.from({ length: 50 }, () => fixture.bus.subscribe({ teamId: 'mlb-nyy' }, () => undefined)));
    expect(fixture.bus.listenerCount({ teamId: 'mlb-nyy' })).toBe(50);
    await Promise.all(concurrent.map((stop) => stop()));
    expect(fixture.bus.listenerCount()).toBe(0);
    expect(fixture.bus.stats()).toMatchObject({ channels: 0, listeners: 0 });
  });

  it.skipIf(!available)('refuses an event whose team and data disagree, and stores nothing', async () => {
    const count = await fixture.database.db.prisma.event.count();
    await expect(
      fixture.bus.publish({ type: 'dashboard.updated', teamId: 'nba-bos', data: { teamId: 'nba-lal', reason: 'x' } }),
    ).rejects.toThrow(/teamId/);
    expect(await fixture.database.db.prisma.event.count()).toBe(count);
  });

  it.skipIf(!available)('refuses a channel that is not a team id', async () => {
    await expect(fixture.bus.subscribe({ teamId: 'nba-bos:events:*' }, () => undefined)).rejects.toThrow();
    expect(fixture.bus.listenerCount()).toBe(0);
  });

  it.skipIf(!available)('assigns increasing ids to concurrent publishes and stores every one', async () => {
    const published = await Promise.all(
      Array.from({ length: 20 }, (_, index) => fixture.bus.publish(dashboardEvent('epl-ars', `c${String(index)}`))),
    );
    const replayed = await fixture.bus.replay({ teamIds: ['epl-ars'], limit: 100 });
    expect(new Set(published.map((event) => event.id)).size).toBe(20);
    expect(replayed.map((event) => event.id)).toEqual(published.map((event) => event.id).sort((a, b) => Number(a) - Number(b)));
  });
});
