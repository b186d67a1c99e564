import { describe, expect, it } from 'vitest';
import type { EventBus, ReplayQuery } from './interface.ts';
import type { StoredEvent } from './schema.ts';
import { sharedReplay, tick } from './shared-reads.ts';

/** A bus whose replays stay pending until the test answers them, to place reads in time. */
function scriptedBus() {
  const calls: { query: ReplayQuery; answer: (events: StoredEvent[]) => void }[] = [];
  const unused = () => Promise.reject(new Error('not used here'));
  const bus: EventBus = {
    publish: unused,
    publishCommitted: unused,
    subscribe: unused,
    latestId: unused,
    close: unused,
    listenerCount: () => 0,
    stats: () => ({
      channels: 0,
      listeners: 0,
      published: 0,
      delivered: 0,
      dropped: 0,
      listenerErrors: 0,
      broadcastFailures: 0,
      invalidRows: 0,
    }),
    replay: (query) =>
      new Promise((resolve) => {
        calls.push({ query, answer: resolve });
      }),
  };
  return { bus, calls };
}

const event: StoredEvent = {
  id: '5',
  type: 'dashboard.updated',
  teamId: 'nba-bos',
  at: '2026-11-26T15:04:05.000Z',
  data: { teamId: 'nba-bos', reason: 'x' },
};
const query: ReplayQuery = { teamIds: ['nba-bos', 'nba-lal'], afterId: '4', limit: 10 };

describe('shared replays', () => {
  it('lets a read that began after the moment a caller needs serve that caller too', async () => {
    const { bus, calls } = scriptedBus();
    const receivedAt = tick();
    const first = sharedReplay(bus, query, receivedAt);
    const second = sharedReplay(bus, { ...query, teamIds: ['nba-lal', 'nba-bos'] }, receivedAt);
    expect(calls).toHaveLength(1);
    calls[0]?.answer([event]);
    expect(await first).toEqual([event]);
    expect(await second).toBe(await first);
  });

  it('starts a new read for a caller that needs a moment after the read under way began', async () => {
    const { bus, calls } = scriptedBus();
    const stale = sharedReplay(bus, query, tick());
    const receivedLater = tick();
    const fresh = sharedReplay(bus, query, receivedLater);
    expect(calls).toHaveLength(2);
    calls[0]?.answer([]);
    calls[1]?.answer([event]);
    expect(await stale).toEqual([]);
    expect(await fresh).toEqual([event]);
  });

  it('does not share reads that differ in teams, position, kinds or size', () => {
    const { bus, calls } = scriptedBus();
    const at = tick();
    void sharedReplay(bus, query, at);
    void sharedReplay(bus, { ...query, teamIds: ['nba-bos'] }, at);
    void sharedReplay(bus, { ...query, afterId: '3' }, at);
    void sharedReplay(bus, { ...query, types: ['news.created'] }, at);
    void sharedReplay(bus, { ...query, limit: 11 }, at);
    expect(calls).toHaveLength(5);
  });

  it('forgets a finished read, so a later caller reads again', async () => {
    const { bus, calls } = scriptedBus();
    const first = sharedReplay(bus, query, tick());
    calls[0]?.answer([event]);
    await first;
    void sharedReplay(bus, query, 0);
    expect(calls).toHaveLength(2);
  });
});
