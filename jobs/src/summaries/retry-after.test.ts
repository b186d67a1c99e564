import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after.ts';

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads seconds', () => {
    expect(retryAfterMs({ 'Retry-After': '2' }, now)).toBe(2_000);
  });

  it('reads an HTTP date relative to now', () => {
    expect(retryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }, now)).toBe(5_000);
  });

  it('prefers the millisecond header', () => {
    expect(retryAfterMs({ 'retry-after': '2', 'retry-after-ms': '350' }, now)).toBe(350);
  });

  it('never returns a negative wait for a date in the past', () => {
    expect(retryAfterMs({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, now)).toBe(0);
  });

  it('is undefined when the header is absent or unreadable', () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
