import { describe, expect, it } from 'vitest';
import { effectivePublishedAt, parseFeedDate } from './dates.ts';

const iso = (raw: string) => parseFeedDate(raw)?.toISOString();

describe('parseFeedDate', () => {
  it.each([
    ['Tue, 10 Jun 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 +0000', '2003-06-10T04:00:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 -0430', '2003-06-10T08:30:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 EST', '2003-06-10T09:00:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 PDT', '2003-06-10T11:00:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 CEST', '2003-06-10T02:00:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 UT', '2003-06-10T04:00:00.000Z'],
    ['10 Jun 03 04:00 EDT', '2003-06-10T08:00:00.000Z'],
    ['Tuesday, 10 June 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['tue, 10 jun 2003 04:00:00 gmt', '2003-06-10T04:00:00.000Z'],
    ['Sept 3, 2024 4:05 PM EST', '2024-09-03T21:05:00.000Z'],
    ['June 10, 2003 12:30am', '2003-06-10T00:30:00.000Z'],
    ['10 Jun 2003', '2003-06-10T00:00:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 GMT+2', '2003-06-10T02:00:00.000Z'],
  ])('reads the RFC 822 style date %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it.each([
    ['2003-06-10T04:00:00Z', '2003-06-10T04:00:00.000Z'],
    ['2003-06-10T04:00:00.123456Z', '2003-06-10T04:00:00.123Z'],
    ['2003-06-10T04:00:00+02:00', '2003-06-10T02:00:00.000Z'],
    ['2003-06-10T04:00:00-0500', '2003-06-10T09:00:00.000Z'],
    ['2003-06-10T04:00+05', '2003-06-09T23:00:00.000Z'],
    ['2003-06-10 04:00:00', '2003-06-10T04:00:00.000Z'],
    ['2003-06-10t04:00:00z', '2003-06-10T04:00:00.000Z'],
    ['2003-06-10', '2003-06-10T00:00:00.000Z'],
    ['2003/06/10 04:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['  2003-06-10T04:00:00Z  ', '2003-06-10T04:00:00.000Z'],
  ])('reads the ISO 8601 style date %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    'not a date at all',
    '2003-13-01',
    '2003-02-30T00:00:00Z',
    '31 Feb 2003',
    'Tue, 10 Jun 2003 25:00:00 GMT',
    '10 Jun 2003 04:00 XYZ',
    '2003-06-10T04:00:00+99:00',
    '1/2/3',
  ])('refuses %j', (raw) => {
    expect(parseFeedDate(raw)).toBeUndefined();
  });

  it('does not depend on the time zone of the machine', () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(iso('2003-06-10 04:00:00')).toBe('2003-06-10T04:00:00.000Z');
    } finally {
      process.env.TZ = before;
    }
  });
});

describe('effectivePublishedAt', () => {
  const fetchedAt = new Date('2024-05-01T12:00:00Z');

  it('keeps a sane date', () => {
    expect(effectivePublishedAt('2024-04-30T08:00:00Z', fetchedAt).toISOString()).toBe('2024-04-30T08:00:00.000Z');
  });

  it('falls back to the fetch time when the date is missing or unreadable', () => {
    expect(effectivePublishedAt(undefined, fetchedAt)).toEqual(fetchedAt);
    expect(effectivePublishedAt('soon', fetchedAt)).toEqual(fetchedAt);
  });

  it('clamps a date more than a day in the future to the fetch time, but allows small clock skew', () => {
    expect(effectivePublishedAt('2024-05-03T12:00:00Z', fetchedAt)).toEqual(fetchedAt);
    expect(effectivePublishedAt('2024-05-01T20:00:00Z', fetchedAt).toISOString()).toBe('2024-05-01T20:00:00.000Z');
  });
});
