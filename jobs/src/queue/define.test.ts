import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkedDelayMs, checkedEveryMs, defineJob } from './define.ts';

const valid = {
  name: 'feed-fetch',
  payload: z.object({ sourceId: z.string() }),
  result: z.object({ created: z.number() }),
  attempts: 3,
  backoff: { type: 'exponential', delayMs: 1_000 },
  concurrency: 4,
} as const;

describe('defineJob', () => {
  it('returns a frozen definition with the given settings', () => {
    const job = defineJob(valid);

    expect(job).toMatchObject({ name: 'feed-fetch', attempts: 3, concurrency: 4, backoff: { type: 'exponential', delayMs: 1_000 } });
    expect(Object.isFrozen(job)).toBe(true);
    expect(Object.isFrozen(job.backoff)).toBe(true);
  });

  it.each([
    ['a name with a colon, which BullMQ rejects', { name: 'feed:fetch' }, /name/],
    ['a name with a dot, which job ids use as separator', { name: 'feed.fetch' }, /name/],
    ['an upper-case name', { name: 'FeedFetch' }, /name/],
    ['zero attempts', { attempts: 0 }, /attempts/],
    ['a fractional concurrency', { concurrency: 1.5 }, /concurrency/],
    ['a negative backoff', { backoff: { type: 'exponential', delayMs: -1 } }, /backoff\.delayMs/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
  ] as const)('rejects %s', (_case, change, message) => {
    expect(() => defineJob({ ...valid, ...change })).toThrow(message);
  });
});

describe('delay and interval checks', () => {
  it('treats a missing delay as none and keeps a valid one', () => {
    expect(checkedDelayMs(undefined)).toBe(0);
    expect(checkedDelayMs(250)).toBe(250);
  });

  it('rejects negative, fractional and non-finite delays', () => {
    for (const delayMs of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => checkedDelayMs(delayMs)).toThrow('delayMs');
  });

  it('rejects an interval below one millisecond', () => {
    expect(() => checkedEveryMs(0)).toThrow('everyMs');
    expect(checkedEveryMs(60_000)).toBe(60_000);
  });
});
