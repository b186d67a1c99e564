import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { dashboardEvent, ids, newsEvent, openBusFixture, summaryEvent, type BusFixture, type StoredEvent } from './fixtures.ts';

describe.each(databaseKinds)('event replay on %s', (databaseKind) => {
  const available = databaseAvailable(databaseKind);
  let fixture: BusFixture;
  /** Events of nba-bos, nba-lal and nba-bkn, in the order they were published. */
  const published: StoredEvent[] = [];
  beforeAll(async () => {
    if (!available) return;
    fixture = await openBusFixture('memory', databaseKind);
    for (let index = 0; index < 10; index++) {
      published.push(await fixture.bus.publish(newsEvent('nba-bos')));
      published.push(await fixture.bus.publish(index % 2 === 0 ? dashboardEvent('nba-lal') : summaryEvent('nba-lal')));
      published.push(await fixture.bus.publish(dashboardEvent('nba-bkn')));
    }
  });
  afterAll(async () => {
    if (available) await fixture.close();
  });

  const of = (...teamIds: string[]) => published.filter((event) => teamIds.includes(event.teamId ?? ''));

  it.skipIf(!available)('returns the stored events of the given teams after an id, in id order', async () => {
    const after = published[4]!.id;
    const replayed = await fixture.bus.replay({ teamIds: ['nba-lal', 'nba-bos'], afterId: after, limit: 1000 });
    expect(replayed).toEqual(of('nba-bos', 'nba-lal').filter((event) => Number(event.id) > Number(after)));
    expect(ids(replayed)).toEqual([...ids(replayed)].sort((a, b) => a - b));
  });

  it.skipIf(!available)('returns at most `limit` events, and paging on the last id walks each event once', async () => {
    const first = await fixture.bus.replay({ teamIds: ['nba-bos', 'nba-bkn'], limit: 3 });
    expect(first).toHaveLength(3);
    const walked: StoredEvent[] = [...first];
    let page = first;
    while (page.length === 3) {
      page = await fixture.bus.replay({ teamIds: ['nba-bos', 'nba-bkn'], afterId: page.at(-1)!.id, limit: 3 });
      walked.push(...page);
    }
    expect(walked).toEqual(of('nba-bos', 'nba-bkn'));
  });

  it.skipIf(!available)('returns only the requested kinds of event', async () => {
    const replayed = await fixture.bus.replay({ teamIds: ['nba-lal', 'nba-bos'], types: ['summary.updated'], limit: 100 });
    expect(replayed.map((event) => event.type)).toEqual(Array(5).fill('summary.updated'));
    expect(replayed).toEqual(of('nba-lal').filter((event) => event.type === 'summary.updated'));
  });

  it.skipIf(!available)('returns nothing for an empty team list or after the newest id', async () => {
    expect(await fixture.bus.replay({ teamIds: [], limit: 10 })).toEqual([]);
    expect(await fixture.bus.replay({ teamIds: ['nba-bos'], afterId: published.at(-1)!.id, limit: 10 })).toEqual([]);
  });

  it.skipIf(!available)('knows the newest stored id of any team', async () => {
    const latest = await fixture.bus.latestId();
    expect(BigInt(latest ?? '0')).toBeGreaterThanOrEqual(BigInt(published.at(-1)!.id));
  });

  it.skipIf(!available)('rejects a limit outside 1–1000 and an afterId that is not an event id', async () => {
    await expect(fixture.bus.replay({ teamIds: ['nba-bos'], limit: 0 })).rejects.toThrow(RangeError);
    await expect(fixture.bus.replay({ teamIds: ['nba-bos'], limit: 1001 })).rejects.toThrow(RangeError);
    await expect(fixture.bus.replay({ teamIds: ['nba-bos'], afterId: '1 OR 1=1', limit: 10 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it.skipIf(!available)('skips and counts stored rows that no longer match the event schemas', async () => {
    const before = await fixture.bus.latestId();
    await fixture.database.db.prisma.event.create({
      data: { type: 'news.created', teamId: 'nhl-sea', data: { title: 'no longer a news item' } },
    });
    await fixture.database.db.prisma.event.create({ data: { type: 'game.started', teamId: 'nhl-sea', data: {} } });
    const valid = await fixture.bus.publish(dashboardEvent('nhl-sea'));
    const invalidBefore = fixture.bus.stats().invalidRows;
    const replayed = await fixture.bus.replay({ teamIds: ['nhl-sea'], afterId: before, limit: 10 });
    expect(replayed).toEqual([valid]);
    expect(fixture.bus.stats().invalidRows).toBe(invalidBefore + 2);
  });
});
