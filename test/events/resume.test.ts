import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  busSetups,
  dashboardEvent,
  idOf,
  ids,
  newsEvent,
  nextWithin,
  openBusFixture,
  resumableStream,
  setupAvailable,
  SlowConsumerError,
  summaryEvent,
  take,
  until,
  type BusFixture,
  type EventBus,
  type ResumableStreamOptions,
  type StoredEvent,
} from './fixtures.ts';

describe.each(busSetups)('resumable stream on the %s bus over %s', (kind, databaseKind) => {
  const available = setupAvailable(kind, databaseKind);
  let fixture: BusFixture;
  beforeAll(async () => {
    if (available) fixture = await openBusFixture(kind, databaseKind);
  });
  afterAll(async () => {
    if (available) await fixture.close();
  });

  /** A stream of the fixture's bus that is stopped when the test ends, even when it fails. */
  function openStream(options: Omit<ResumableStreamOptions, 'bus'>) {
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const stream = resumableStream({ ...options, bus: fixture.bus, signal });
    onTestFinished(async () => {
      controller.abort();
      await stream.return();
    });
    return stream;
  }

  /** Everything stored for these teams after an id, straight from the log. */
  async function storedAfter(teamIds: string[], afterId: string): Promise<StoredEvent[]> {
    return [...(await fixture.bus.replay({ teamIds, afterId, limit: 1000 }))];
  }

  it.skipIf(!available)(
    'replays the events after lastEventId, then live ones, with no gap and no duplicate while events keep coming',
    async () => {
      const team = 'nba-bos';
      const backlog: StoredEvent[] = [];
      for (let index = 0; index < 25; index++) {
        backlog.push(await fixture.bus.publish(index % 3 === 0 ? newsEvent(team) : dashboardEvent(team)));
        if (index % 4 === 0) await fixture.bus.publish(dashboardEvent('nba-lal'));
      }
      const lastEventId = backlog[4]!.id;
      const stream = openStream({ teamIds: [team], lastEventId, pageSize: 4 });
      const first = await take(stream, 1);
      expect(first[0]?.id).toBe(backlog[5]!.id);

      const publishing = (async () => {
        for (let index = 0; index < 15; index++) {
          await fixture.bus.publish(index % 2 === 0 ? summaryEvent(team) : dashboardEvent(team));
          if (index % 5 === 0) await fixture.bus.publish(dashboardEvent('nba-lal'));
        }
      })();
      const rest = await take(stream, 20 + 15 - 1, 10_000);
      await publishing;
      const yielded = [...first, ...rest];

      const expected = await storedAfter([team], lastEventId);
      expect(expected).toHaveLength(35);
      expect(ids(yielded)).toEqual(ids(expected));
      expect(yielded).toEqual(expected);

      const next = await fixture.bus.publish(dashboardEvent(team));
      expect((await nextWithin(stream)).value).toEqual(next);
      await stream.return();
      expect(fixture.bus.listenerCount({ teamId: team })).toBe(0);
    },
  );

  it.skipIf(!available)('yields only events published after it started when no lastEventId is given', async () => {
    await fixture.bus.publish(dashboardEvent('nba-mia', 'before'));
    const stream = openStream({ teamIds: ['nba-mia'] });
    const pending = nextWithin(stream);
    await until(() => fixture.bus.listenerCount({ teamId: 'nba-mia' }) === 1, 5_000, 'the subscription');
    const after = await fixture.bus.publish(dashboardEvent('nba-mia', 'after'));
    expect((await pending).value).toEqual(after);
    await stream.return();
  });

  it.skipIf(!available)('merges the events of several teams in id order', async () => {
    const start = (await fixture.bus.latestId()) ?? '0';
    for (let index = 0; index < 6; index++) {
      await fixture.bus.publish(dashboardEvent('nfl-kc'));
      await fixture.bus.publish(dashboardEvent('nfl-phi'));
      await fixture.bus.publish(dashboardEvent('nfl-dal'));
    }
    const stream = openStream({ teamIds: ['nfl-kc', 'nfl-phi', 'nfl-kc'], lastEventId: start, pageSize: 5 });
    const replayed = await take(stream, 12);
    const live = await Promise.all([
      take(stream, 2),
      fixture.bus.publish(dashboardEvent('nfl-phi')).then(() => fixture.bus.publish(dashboardEvent('nfl-kc'))),
    ]);
    const yielded = [...replayed, ...live[0]];
    expect(yielded.map((event) => event.teamId).filter((teamId) => teamId === 'nfl-dal')).toEqual([]);
    expect(ids(yielded)).toEqual([...ids(yielded)].sort((a, b) => a - b));
    expect(ids(yielded)).toEqual(ids(await storedAfter(['nfl-kc', 'nfl-phi'], start)));
    await stream.return();
  });

  it.skipIf(!available)('yields only the requested kinds of event', async () => {
    const start = (await fixture.bus.latestId()) ?? '0';
    await fixture.bus.publish(dashboardEvent('epl-ars'));
    const replayedNews = await fixture.bus.publish(newsEvent('epl-ars'));
    await fixture.bus.publish(summaryEvent('epl-ars'));
    const stream = openStream({ teamIds: ['epl-ars'], lastEventId: start, types: ['news.created'] });
    expect(await take(stream, 1)).toEqual([replayedNews]);
    const pending = nextWithin(stream);
    await fixture.bus.publish(summaryEvent('epl-ars'));
    await fixture.bus.publish(dashboardEvent('epl-ars'));
    const liveNews = await fixture.bus.publish(newsEvent('epl-ars'));
    expect((await pending).value).toEqual(liveNews);
    await stream.return();
  });

  it.skipIf(!available)('yields an event that was stored but never broadcast before the next live one', async () => {
    const stream = openStream({ teamIds: ['epl-che'] });
    const pending = nextWithin(stream);
    await until(() => fixture.bus.listenerCount({ teamId: 'epl-che' }) === 1, 5_000, 'the subscription');
    const silent = await fixture.database.db.prisma.event.create({
      data: { type: 'dashboard.updated', teamId: 'epl-che', data: { teamId: 'epl-che', reason: 'never broadcast' } },
    });
    const live = await fixture.bus.publish(dashboardEvent('epl-che'));
    const [second] = await take(stream, 1);
    expect(idOf(await pending)).toBe(silent.id.toString());
    expect(second).toEqual(live);
    await stream.return();
  });

  it.skipIf(!available)('treats a lastEventId from the future as the newest event', async () => {
    const stream = openStream({ teamIds: ['epl-liv'], lastEventId: '9000000000000000000' });
    const pending = nextWithin(stream);
    await until(() => fixture.bus.listenerCount({ teamId: 'epl-liv' }) === 1, 5_000, 'the subscription');
    const live = await fixture.bus.publish(dashboardEvent('epl-liv'));
    expect((await pending).value).toEqual(live);
    await stream.return();
  });

  it.skipIf(!available)('rejects a lastEventId that is not an event id, holding nothing', async () => {
    const stream = openStream({ teamIds: ['epl-mci'], lastEventId: '12; DROP TABLE "Event"' });
    await expect(stream.next()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(fixture.bus.listenerCount({ teamId: 'epl-mci' })).toBe(0);
  });

  it.skipIf(!available)('answers one live event that wakes many streams of a team with one shared read', async () => {
    let reads = 0;
    const counting: EventBus = {
      ...fixture.bus,
      replay: (query) => {
        reads++;
        return fixture.bus.replay(query);
      },
    };
    const streams = Array.from({ length: 20 }, () => {
      const stream = resumableStream({ bus: counting, teamIds: ['nba-por'] });
      onTestFinished(async () => {
        await stream.return();
      });
      return stream;
    });
    const warmUp = streams.map((stream) => nextWithin(stream));
    await until(() => fixture.bus.listenerCount({ teamId: 'nba-por' }) === 20, 5_000, 'the subscriptions');
    const first = await fixture.bus.publish(dashboardEvent('nba-por', 'warm-up'));
    expect((await Promise.all(warmUp)).map(idOf)).toEqual(Array(20).fill(first.id));

    const pending = streams.map((stream) => nextWithin(stream));
    const before = reads;
    await fixture.bus.publish(dashboardEvent('nba-sac', 'another team takes an id'));
    const second = await fixture.bus.publish(dashboardEvent('nba-por', 'after a hole in the ids'));
    expect((await Promise.all(pending)).map(idOf)).toEqual(Array(20).fill(second.id));
    expect(reads - before).toBe(1);
  });

  it.skipIf(!available)('cuts off a slow consumer with SlowConsumerError and releases its subscriptions at once', async () => {
    const start = (await fixture.bus.latestId()) ?? '0';
    await fixture.bus.publish(dashboardEvent('mlb-nyy'));
    const stream = openStream({ teamIds: ['mlb-nyy', 'mlb-bos'], lastEventId: start, bufferLimit: 5 });
    await take(stream, 1);
    const listeners = () => fixture.bus.listenerCount({ teamId: 'mlb-nyy' }) + fixture.bus.listenerCount({ teamId: 'mlb-bos' });
    expect(listeners()).toBe(2);
    for (let index = 0; index < 10; index++) await fixture.bus.publish(dashboardEvent(index % 2 === 0 ? 'mlb-nyy' : 'mlb-bos'));
    await until(() => listeners() === 0, 5_000, 'the subscriptions to be released');
    const error: unknown = await stream.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlowConsumerError);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', bufferLimit: 5 });
    expect((await stream.next()).done).toBe(true);
  });

  it.skipIf(!available)('keeps a consumer that keeps up, however many events pass', async () => {
    const start = (await fixture.bus.latestId()) ?? '0';
    const stream = openStream({ teamIds: ['mlb-lad'], lastEventId: start, bufferLimit: 3 });
    const yielded: StoredEvent[] = [];
    for (let index = 0; index < 12; index++) {
      const pending = nextWithin(stream);
      await fixture.bus.publish(dashboardEvent('mlb-lad'));
      const result = await pending;
      if (!result.done) yielded.push(result.value);
    }
    expect(yielded).toHaveLength(12);
    await stream.return();
  });

  it.skipIf(!available)('releases its subscriptions when the consumer stops with return or throw', async () => {
    const returning = openStream({ teamIds: ['nhl-tor', 'nhl-mtl'], lastEventId: '0' });
    const throwing = openStream({ teamIds: ['nhl-tor'], lastEventId: '0' });
    await fixture.bus.publish(dashboardEvent('nhl-tor'));
    await take(returning, 1);
    await take(throwing, 1);
    expect(fixture.bus.listenerCount({ teamId: 'nhl-tor' })).toBe(2);
    await returning.return();
    await expect(throwing.throw(new Error('consumer gave up'))).rejects.toThrow('consumer gave up');
    expect(fixture.bus.listenerCount({ teamId: 'nhl-tor' }) + fixture.bus.listenerCount({ teamId: 'nhl-mtl' })).toBe(0);
  });

  it.skipIf(!available)('ends without an error when its signal aborts while it waits', async () => {
    const controller = new AbortController();
    const stream = openStream({ teamIds: ['nhl-nyr'], signal: controller.signal });
    const pending = nextWithin(stream);
    await until(() => fixture.bus.listenerCount({ teamId: 'nhl-nyr' }) === 1, 5_000, 'the subscription');
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(fixture.bus.listenerCount({ teamId: 'nhl-nyr' })).toBe(0);
  });
});
