import { describe, expect, it } from 'vitest';
import { nextFetchAt, nextFetchDelayMs, retryAfterMs, retryDelayMs } from './schedule.ts';

const now = new Date('2024-05-01T12:00:00Z');
const minutes = (value: number) => value * 60_000;
const hours = (value: number) => value * 3_600_000;

describe('next fetch after a success', () => {
  it('waits 30 minutes when nothing says otherwise', () => {
    expect(nextFetchAt({ now, consecutiveErrors: 0 }).toISOString()).toBe('2024-05-01T12:30:00.000Z');
  });

  it('honours the RSS ttl in minutes', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, ttlMinutes: 90 })).toBe(minutes(90));
  });

  it('honours Cache-Control max-age', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers: { cacheControl: 'public, max-age=3600' } })).toBe(hours(1));
  });

  it('prefers max-age over Expires, as HTTP caches do', () => {
    const headers = { cacheControl: 'max-age=600', expires: 'Wed, 01 May 2024 18:00:00 GMT' };
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers })).toBe(minutes(10));
  });

  it('honours Expires relative to the server Date header', () => {
    const headers = { expires: 'Wed, 01 May 2024 10:00:00 GMT', date: 'Wed, 01 May 2024 08:00:00 GMT' };
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers })).toBe(hours(2));
  });

  it('honours Expires relative to now without a Date header', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers: { expires: 'Wed, 01 May 2024 13:00:00 GMT' } })).toBe(hours(1));
  });

  it('honours Retry-After even on a success', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers: { retryAfter: '7200' } })).toBe(hours(2));
  });

  it('takes the longest of the hints', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, ttlMinutes: 120, headers: { cacheControl: 'max-age=600' } })).toBe(hours(2));
  });

  it('never polls more often than every 5 minutes', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers: { cacheControl: 'max-age=10' } })).toBe(minutes(5));
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers: { cacheControl: 'no-cache' } })).toBe(minutes(5));
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, ttlMinutes: 1 })).toBe(minutes(5));
  });

  it('never waits more than 24 hours', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers: { cacheControl: 'max-age=31536000' } })).toBe(hours(24));
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, ttlMinutes: 10_000 })).toBe(hours(24));
  });

  it('treats an unreadable Expires as already expired', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 0, headers: { expires: '0' } })).toBe(minutes(5));
  });
});

describe('next fetch after failures', () => {
  it('backs off from 5 minutes, doubling per failure', () => {
    expect([1, 2, 3, 4, 5].map((errors) => nextFetchDelayMs({ now, consecutiveErrors: errors }))).toEqual([5, 10, 20, 40, 80].map(minutes));
  });

  it('stops doubling at 6 hours and keeps polling at that rate forever', () => {
    expect(retryDelayMs(8)).toBe(hours(6));
    expect(retryDelayMs(1_000)).toBe(hours(6));
    expect(nextFetchDelayMs({ now, consecutiveErrors: 1_000_000 })).toBe(hours(6));
  });

  it('ignores freshness hints and ttl while failing', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 1, ttlMinutes: 600, headers: { cacheControl: 'max-age=36000' } })).toBe(minutes(5));
  });

  it('waits for Retry-After when it asks for longer than the backoff', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 1, headers: { retryAfter: '3600' } })).toBe(hours(1));
  });

  it('keeps the backoff when Retry-After is shorter', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 4, headers: { retryAfter: '60' } })).toBe(minutes(40));
  });

  it('caps Retry-After at 24 hours', () => {
    expect(nextFetchDelayMs({ now, consecutiveErrors: 1, headers: { retryAfter: '9999999' } })).toBe(hours(24));
  });
});

describe('retryAfterMs', () => {
  it('reads delta seconds', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
  });

  it('reads an HTTP date', () => {
    expect(retryAfterMs('Wed, 01 May 2024 12:10:00 GMT', now)).toBe(minutes(10));
  });

  it('treats a date in the past as now', () => {
    expect(retryAfterMs('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores nonsense', () => {
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
