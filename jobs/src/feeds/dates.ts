import { fillerWords, fixedZones, genericZones, monthNames, weekdayNames, wordKey } from './date-words.ts';

/**
 * Feed dates in the wild: RFC 822 and RFC 850 with named zones (`EST`, `PT`, `Etc/GMT+5`,
 * `America/New_York`), W3C-DTF at any precision (`2003`, `2003-12`), ISO 8601 in its extended,
 * basic, ordinal and week forms, two-digit years, and written dates in the common European
 * languages ("mer., 13 déc. 2003", "1. Mai 2004"). Parsed by hand so the result never depends on
 * the machine's time zone the way `Date.parse` does for zone-less input.
 */

/** A fixed offset east of UTC, in minutes, or an IANA zone whose offset depends on the date. */
type Zone = { offsetMinutes: number } | { timeZone: string };

interface Clock {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

interface Parts extends Clock {
  year: number;
  month: number;
  day: number;
  zone: Zone;
}

const midnight: Clock = { hour: 0, minute: 0, second: 0, millisecond: 0 };
const utc: Zone = { offsetMinutes: 0 };

/**
 * Parses a feed date to a UTC `Date`, or undefined when it is not a date we can trust.
 *
 * @example
 * parseFeedDate('Tue, 10 Jun 2003 04:00:00 EST')?.toISOString(); // '2003-06-10T09:00:00.000Z'
 * parseFeedDate('2003-06-10T04:00:00+02:00')?.toISOString(); // '2003-06-10T02:00:00.000Z'
 * parseFeedDate('20031213T1828Z')?.toISOString(); // '2003-12-13T18:28:00.000Z'
 */
export function parseFeedDate(raw: string | null | undefined): Date | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '' || text.length > 80) return undefined;
  const parts = /^\d{4}/.test(text) ? (parseIso(text) ?? parseWords(text)) : (parseRfc1123(text) ?? parseWords(text));
  return parts ? toDate(parts) : undefined;
}

const rfc1123 =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC|\+0000)$/;
const rfc1123Months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The form most feeds write (`Tue, 02 Apr 2024 10:00:00 GMT`, what `toUTCString` gives), read in
 * one match: the same parts `parseWords` finds in it, without tokenizing.
 */
function parseRfc1123(text: string): Parts | undefined {
  const match = rfc1123.exec(text);
  if (!match) return undefined;
  const [, day, month = '', year, hour, minute, second] = match;
  return {
    year: Number(year),
    month: rfc1123Months.indexOf(month) + 1,
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: 0,
    zone: utc,
  };
}

/**
 * The date an item is shown under: its own date if sane, the fetch time if missing or
 * unparseable, and the fetch time again if it claims to be more than a day in the future (clocks
 * and time zones go wrong; a story "from tomorrow" would stick to the top of every list).
 */
export function effectivePublishedAt(raw: string | null | undefined, fetchedAt: Date): Date {
  return effectiveDate(parseFeedDate(raw), fetchedAt);
}

/** `effectivePublishedAt` for a date already parsed. */
export function effectiveDate(parsed: Date | undefined, fetchedAt: Date): Date {
  if (!parsed) return fetchedAt;
  return parsed.getTime() > fetchedAt.getTime() + 86_400_000 ? fetchedAt : parsed;
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
  /** The characters the date took. */
  length: number;
  /** W3C-DTF reduced precision (`2003`, `2003-12`): nothing may follow. */
  reduced: boolean;
}

/** `2003-12-13`, `2003/12/13`, `20031213`, `2003-347`, `2003347`, `2003-W50-6`, `2003-12`, `2003`. */
function readCalendarDate(text: string): CalendarDate | undefined {
  const calendar =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/.exec(text) ??
    /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?!\d)/.exec(text) ??
    /^(\d{4})(\d{2})(\d{2})(?![\d-])/.exec(text);
  if (calendar)
    return { year: Number(calendar[1]), month: Number(calendar[2]), day: Number(calendar[3]), length: calendar[0].length, reduced: false };
  const week = /^(\d{4})-?W(\d{2})-?([1-7])?(?!\d)/.exec(text);
  if (week) return fromWeek(Number(week[1]), Number(week[2]), Number(week[3] ?? 1), week[0].length);
  const ordinal = /^(\d{4})-?(\d{3})(?![\d-])/.exec(text);
  if (ordinal) return fromOrdinal(Number(ordinal[1]), Number(ordinal[2]), ordinal[0].length);
  const reduced = /^(\d{4})$/.exec(text) ?? /^(\d{4})-(\d{2})$/.exec(text);
  if (reduced) return { year: Number(reduced[1]), month: Number(reduced[2] ?? 1), day: 1, length: reduced[0].length, reduced: true };
  return undefined;
}

function fromOrdinal(year: number, dayOfYear: number, length: number): CalendarDate | undefined {
  const date = new Date(Date.UTC(year, 0, dayOfYear));
  if (dayOfYear < 1 || date.getUTCFullYear() !== year) return undefined;
  return { year, month: date.getUTCMonth() + 1, day: date.getUTCDate(), length, reduced: false };
}

/** ISO week dates: week 1 is the one with the year's first Thursday. */
function fromWeek(year: number, week: number, weekday: number, length: number): CalendarDate | undefined {
  if (week < 1 || week > 53) return undefined;
  const january4 = new Date(Date.UTC(year, 0, 4));
  const mondayOfWeek1 = Date.UTC(year, 0, 4) - ((january4.getUTCDay() + 6) % 7) * 86_400_000;
  const date = new Date(mondayOfWeek1 + ((week - 1) * 7 + weekday - 1) * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), length, reduced: false };
}

/** ISO 8601 and W3C-DTF: a date, then optionally `T` or a space, a time and a zone. */
function parseIso(text: string): Parts | undefined {
  const date = readCalendarDate(text);
  if (!date) return undefined;
  const { year, month, day } = date;
  let rest = text.slice(date.length);
  if (date.reduced) return rest === '' ? { year, month, day, ...midnight, zone: utc } : undefined;
  const timed = /^(?:[Tt] ?| )(\d)/.exec(rest);
  if (!timed) {
    // A bare date takes no numeric offset: `2013-01-27-01` is not 01:00 UTC.
    const zone = rest.trim() === '' ? utc : /^ [A-Za-z]/.test(rest) ? namedZone(rest.trim()) : undefined;
    return zone ? { year, month, day, ...midnight, zone } : undefined;
  }
  rest = rest.slice(timed[0].length - 1);
  const end = rest.search(/[^\d:.,]/);
  const clock = readClock(end < 0 ? rest : rest.slice(0, end));
  if (!clock) return undefined;
  const zoneText = (end < 0 ? '' : rest.slice(end)).trim();
  const zone = zoneText === '' ? utc : zoneOf(zoneText);
  return zone ? { year, month, day, ...clock, zone } : undefined;
}

/** `4:00`, `04:00:00`, `04:00:00.123456`, and the basic forms `0400`, `040000`, `040000.5`. */
function readClock(token: string): Clock | undefined {
  const [time = '', fraction] = token.split(/[.,]/);
  if (fraction !== undefined && !/^\d{1,9}$/.test(fraction)) return undefined;
  let fields: string[];
  if (time.includes(':')) {
    fields = time.split(':');
    if (fields.length > 3 || !fields.every((field, index) => (index === 0 ? /^\d{1,2}$/ : /^\d{2}$/).test(field))) return undefined;
  } else if (/^\d{4}$|^\d{6}$/.test(time)) {
    fields = time.match(/\d{2}/g) ?? [];
  } else {
    return undefined;
  }
  if (fields.length < 2) return undefined;
  return {
    hour: Number(fields[0]),
    minute: Number(fields[1]),
    second: Number(fields[2] ?? 0),
    millisecond: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
  };
}

interface WordState {
  year?: number;
  month?: number;
  day?: number;
  time?: Clock;
  zone?: Zone;
  meridiem?: 'am' | 'pm';
}

/** Splits written dates into tokens: commas, RFC 850's `01-Jan-04` and `4pm` come apart. */
function tokensOf(text: string): string[] {
  return text
    .replace(/,/g, ' ')
    .replace(/\b(\d{1,2})-([^\d\s-]{3,})-(\d{2,4})\b/gu, '$1 $2 $3')
    .replace(/(\d)(am|pm)\b/gi, '$1 $2')
    .split(' ')
    .filter((token) => token !== '');
}

/** RFC 822 and its relatives: tokens in (almost) any order, named by what they look like. */
function parseWords(text: string): Parts | undefined {
  const tokens = tokensOf(text);
  const keys = tokens.map(wordKey);
  // "mar." is Tuesday in French and Spanish and March everywhere: with another month present, it is the day.
  const months = keys.filter((key) => monthNames.has(key));
  const weekdayToo = months.length > 1 ? new Set(months.filter((key) => weekdayNames.has(key))) : new Set<string>();
  const state: WordState = {};
  for (const [index, token] of tokens.entries()) {
    if (!readWord(state, token, keys[index] ?? '', weekdayToo)) return undefined;
  }
  const { year, month, day } = state;
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const clock = state.time ?? midnight;
  let hour = clock.hour;
  if (state.meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (state.meridiem === 'pm' ? 12 : 0);
  }
  return { year, month, day, ...clock, hour, zone: state.zone ?? utc };
}

/** Reads one token into the state; false when it cannot be part of a date. */
function readWord(state: WordState, token: string, key: string, weekdayToo: ReadonlySet<string>): boolean {
  const clock = token.includes(':') && state.time === undefined ? readClock(token) : undefined;
  if (clock) state.time = clock;
  else if (key === 'am' || key === 'pm') state.meridiem = key;
  else if (monthNames.has(key) && state.month === undefined && !weekdayToo.has(key)) state.month = monthNames.get(key);
  else if (/^\d{1,2}(?:st|nd|rd|th|\.)?$/i.test(token) && state.day === undefined) state.day = Number.parseInt(token, 10);
  else if (/^\d{4}$/.test(token) && state.year === undefined) state.year = Number(token);
  else if (/^\d{2}$/.test(token) && state.year === undefined && state.day !== undefined) state.year = twoDigitYear(Number(token));
  else if (key === 'at' && state.time === undefined) return true;
  else return readZoneOrSkip(state, token, key);
  return true;
}

/** A zone (the first one only), or a word that dates carry without meaning: weekdays and fillers. */
function readZoneOrSkip(state: WordState, token: string, key: string): boolean {
  const zone = state.zone === undefined ? zoneOf(token) : undefined;
  if (zone) {
    state.zone = zone;
    return true;
  }
  return weekdayNames.has(key) || fillerWords.has(key) || /^\([\p{L} ]+\)$/u.test(token);
}

function twoDigitYear(short: number): number {
  return short < 70 ? 2000 + short : 1900 + short;
}

/** A named zone, `Z`, `+0200`, `-05:00`, `+05`, `GMT+2`, `UTC-03:30`; undefined when unknown. */
function zoneOf(zone: string): Zone | undefined {
  const numeric = numericOffset(zone);
  return numeric === undefined ? namedZone(zone) : { offsetMinutes: numeric };
}

function numericOffset(zone: string): number | undefined {
  const lower = zone.toLowerCase();
  const signed = lower.startsWith('gmt') || lower.startsWith('utc') ? lower.slice(3) : lower;
  const sign = signed.charAt(0);
  if (sign !== '+' && sign !== '-') return undefined;
  const digits = signed.slice(1);
  let hours: number;
  let minutes = 0;
  if (/^\d{1,2}$/.test(digits)) hours = Number(digits);
  else if (/^\d{4}$/.test(digits)) [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
  else if (/^\d{1,2}:\d{2}$/.test(digits)) [hours, minutes] = digits.split(':').map(Number) as [number, number];
  else return undefined;
  if (hours > 14 || minutes > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function namedZone(zone: string): Zone | undefined {
  const lower = zone.toLowerCase();
  const fixed = fixedZones[lower];
  if (fixed !== undefined) return { offsetMinutes: fixed };
  const generic = genericZones[lower];
  if (generic !== undefined) return { timeZone: generic };
  if (/^[a-z]+\/[a-z0-9_+/-]+$/i.test(zone) && formatterFor(zone)) return { timeZone: zone };
  return undefined;
}

/** One formatter per IANA zone; only zones the runtime knows are kept (there are a few hundred). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  const known = formatters.get(timeZone);
  if (known) return known;
  try {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
    return formatter;
  } catch {
    return undefined;
  }
}

/** Minutes the zone is ahead of UTC at the instant `utcMs`. */
function offsetAt(formatter: Intl.DateTimeFormat, utcMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(utcMs)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
  const local = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return Math.round((local - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** The offset in force in a zone at a wall-clock time (checked once more across a DST change). */
function offsetOfLocal(timeZone: string, localMs: number): number | undefined {
  const formatter = formatterFor(timeZone);
  if (!formatter) return undefined;
  const first = offsetAt(formatter, localMs);
  const second = offsetAt(formatter, localMs - first * 60_000);
  return second;
}

function toDate(parts: Parts): Date | undefined {
  const { year, month, day, hour, minute, millisecond } = parts;
  const second = Math.min(parts.second, 59);
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour > 24 || minute > 59 || parts.second > 60 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  const offset = 'offsetMinutes' in parts.zone ? parts.zone.offsetMinutes : offsetOfLocal(parts.zone.timeZone, local);
  return offset === undefined ? undefined : new Date(local - offset * 60_000);
}
