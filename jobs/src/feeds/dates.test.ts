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

  it.each([
    ['2013-01-27-01', 'a trailing number after a date is not an offset'],
    ['2004-13', 'month 13'],
    ['20041301', 'basic form with month 13'],
    ['2003-366', 'day 366 of a common year'],
    ['200401', 'six digits are ambiguous'],
    ['Thu, 01 Jan 2004 19:48:21 Mars/Olympus', 'an unknown zone name'],
    ['2004-01-01T19:48:21Z garbage', 'trailing junk'],
  ])('refuses %j (%s)', (raw) => {
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

describe('the common date formats of feeds in the wild', () => {
  it.each([
    ['Thu, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 +0000', '2004-01-01T19:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 -0500', '2004-01-02T00:48:21.000Z'],
    ['Thu, 1 Jan 2004 19:48 GMT', '2004-01-01T19:48:00.000Z'],
    ['Thu, 01 Jan 04 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 EST', '2004-01-02T00:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 Z', '2004-01-01T19:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21', '2004-01-01T19:48:21.000Z'],
    ['Thursday, 01-Jan-04 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Thu Jan  1 19:48:21 2004', '2004-01-01T19:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 ET', '2004-01-02T00:48:21.000Z'],
    ['Thu, 01 Jul 2004 19:48:21 CT', '2004-07-02T00:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 MT', '2004-01-02T02:48:21.000Z'],
    ['Thu, 01 Jul 2004 19:48:21 PT', '2004-07-02T02:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 AT', '2004-01-01T23:48:21.000Z'],
    ['Thu, 01 Jul 2004 19:48:21 EDT', '2004-07-01T23:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 Etc/GMT', '2004-01-01T19:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 Etc/GMT+5', '2004-01-02T00:48:21.000Z'],
    ['Thu, 01 Jul 2004 19:48:21 America/New_York', '2004-07-01T23:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 GMT-05:00', '2004-01-02T00:48:21.000Z'],
    ['2004-01-01T19:48:21Z', '2004-01-01T19:48:21.000Z'],
    ['2004-01-01T19:48:21+00:00', '2004-01-01T19:48:21.000Z'],
    ['2004-01-01T19:48:21.123-05:00', '2004-01-02T00:48:21.123Z'],
    ['2004-01-01T19:48Z', '2004-01-01T19:48:00.000Z'],
    ['2004-01-01', '2004-01-01T00:00:00.000Z'],
    ['2004-02', '2004-02-01T00:00:00.000Z'],
    ['2004', '2004-01-01T00:00:00.000Z'],
    ['20040101T194821Z', '2004-01-01T19:48:21.000Z'],
    ['20040101T1948Z', '2004-01-01T19:48:00.000Z'],
    ['20040101', '2004-01-01T00:00:00.000Z'],
    ['20040101T194821+0100', '2004-01-01T18:48:21.000Z'],
    ['2004-001', '2004-01-01T00:00:00.000Z'],
    ['2004-060T12:00:00Z', '2004-02-29T12:00:00.000Z'],
    ['2004060', '2004-02-29T00:00:00.000Z'],
    ['2004-W01-4', '2004-01-01T00:00:00.000Z'],
    ['2004-01-01 19:48:21', '2004-01-01T19:48:21.000Z'],
    ['2004-01-01T19:48:21', '2004-01-01T19:48:21.000Z'],
    ['2006/09/15 08:19:53 EDT', '2006-09-15T12:19:53.000Z'],
    ['2004-01-01T19:48:21 -0500', '2004-01-02T00:48:21.000Z'],
    ['Do, 01 Jan 2004 19:48:21 +0100', '2004-01-01T18:48:21.000Z'],
    ['jeu., 01 janv. 2004 19:48:21 +0100', '2004-01-01T18:48:21.000Z'],
    ['jue, 01 ene 2004 19:48:21 +0100', '2004-01-01T18:48:21.000Z'],
    ['gio, 01 gen 2004 19:48:21 +0100', '2004-01-01T18:48:21.000Z'],
    ['qui, 01 jan 2004 19:48:21 -0300', '2004-01-01T22:48:21.000Z'],
    ['mar., 02 mars 2004 10:00:00 +0100', '2004-03-02T09:00:00.000Z'],
    ['1. Mai 2004 19:48:21 +0200', '2004-05-01T17:48:21.000Z'],
  ])('reads %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });
});

describe('RFC 1123 dates', () => {
  const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const days = ['01', '09', '10', '28', '29', '30', '31', '00', '32', '99'];
  const clocks = ['00:00:00', '09:05:07', '23:59:59', '23:59:60', '24:00:00', '24:00:01', '12:60:00', '99:99:99'];
  const years = ['1899', '1900', '1970', '2000', '2024', '2200', '2201'];
  const zones = ['GMT', 'UTC', '+0000'];

  it('read as written are read as the general parser reads them without the comma', () => {
    let compared = 0;
    for (const weekday of weekdays)
      for (const month of months)
        for (const [index, day] of days.entries()) {
          const clock = clocks[(index + month.length + weekday.charCodeAt(0)) % clocks.length] ?? '00:00:00';
          const year = years[(index + weekday.charCodeAt(1)) % years.length] ?? '2024';
          const zone = zones[index % zones.length] ?? 'GMT';
          const date = `${day} ${month} ${year} ${clock} ${zone}`;
          expect(parseFeedDate(`${weekday}, ${date}`)?.getTime(), date).toBe(parseFeedDate(`${weekday} ${date}`)?.getTime());
          compared += 1;
        }
    expect(compared).toBe(weekdays.length * months.length * days.length);
  });

  it('agree with the platform on what toUTCString writes', () => {
    for (let time = Date.UTC(1969, 11, 31, 23, 59, 59); time < Date.UTC(2100, 0, 1); time += 86_400_000 * 37 + 3_601_001) {
      const written = new Date(time).toUTCString();
      expect(parseFeedDate(written)?.getTime(), written).toBe(Math.floor(time / 1000) * 1000);
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
