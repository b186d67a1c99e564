import { describe, expect, it } from 'vitest';
import { recentLocalDates } from './dashboard.ts';

describe('recentLocalDates', () => {
  it('lists the last days ending today in the time zone, oldest first', () => {
    expect(recentLocalDates(new Date('2026-11-26T05:00:00Z'), 'America/Los_Angeles', 3)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
    ]);
    expect(recentLocalDates(new Date('2026-11-26T05:00:00Z'), 'UTC', 3)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
  });

  it('keeps the 23-hour day of a spring-forward change, half an hour after the next midnight', () => {
    // 2026-03-09 00:30 in Los Angeles: 24-hour steps back would land on 03-07 23:30 and skip 03-08.
    expect(recentLocalDates(new Date('2026-03-09T07:30:00Z'), 'America/Los_Angeles', 3)).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-09',
    ]);
  });

  it('lists the 25-hour day of a fall-back change once', () => {
    expect(recentLocalDates(new Date('2026-11-02T07:30:00Z'), 'America/Los_Angeles', 3)).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
    ]);
  });

  it('crosses month and year ends on the calendar', () => {
    const dates = recentLocalDates(new Date('2027-01-02T12:00:00Z'), 'Asia/Tokyo', 14);
    expect(dates).toHaveLength(14);
    expect(dates[0]).toBe('2026-12-20');
    expect(dates.at(-1)).toBe('2027-01-02');
  });
});
