/**
 * Feed dates in the wild: RFC 822 with named zones (`EST`, `PDT`), RFC 3339, ISO 8601 without a
 * zone, two-digit years, full month names and "June 10, 2003 4:00 PM". Parsed by hand so the
 * result never depends on the machine's time zone the way `Date.parse` does for zone-less input.
 */

const months: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

/** Offsets in minutes for the zone names feeds actually use (RFC 822 ones plus common others). */
const zones: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  bst: 60,
  ist: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  west: 60,
  eet: 120,
  eest: 180,
  msk: 180,
  sast: 120,
  cat: 120,
  eat: 180,
  wat: 60,
  pkt: 300,
  npt: 345,
  ict: 420,
  wib: 420,
  hkt: 480,
  sgt: 480,
  awst: 480,
  pht: 480,
  cnt: 480,
  jst: 540,
  kst: 540,
  acst: 570,
  acdt: 630,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
}

/**
 * Parses a feed date to a UTC `Date`, or undefined when it is not a date we can trust.
 *
 * @example
 * parseFeedDate('Tue, 10 Jun 2003 04:00:00 EST')?.toISOString(); // '2003-06-10T09:00:00.000Z'
 * parseFeedDate('2003-06-10T04:00:00+02:00')?.toISOString(); // '2003-06-10T02:00:00.000Z'
 */
export function parseFeedDate(raw: string | null | undefined): Date | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '' || text.length > 80) return undefined;
  const parts = parseIso(text) ?? parseWords(text);
  return parts ? toDate(parts) : undefined;
}

/**
 * The date an item is shown under: its own date if sane, the fetch time if missing or
 * unparseable, and the fetch time again if it claims to be more than a day in the future (clocks
 * and time zones go wrong; a story "from tomorrow" would stick to the top of every list).
 */
export function effectivePublishedAt(raw: string | null | undefined, fetchedAt: Date): Date {
  const parsed = parseFeedDate(raw);
  if (!parsed) return fetchedAt;
  return parsed.getTime() > fetchedAt.getTime() + 86_400_000 ? fetchedAt : parsed;
}

/** `2003-06-10`, `2003-06-10T04:00:00.5+02:00`, `2003/06/10 04:00 GMT` and kin. */
function parseIso(text: string): Parts | undefined {
  const date = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})/.exec(text);
  if (!date) return undefined;
  let rest = text.slice(date[0].length).trim();
  if (rest.startsWith('T') || rest.startsWith('t')) rest = rest.slice(1).trim();
  let clock: Clock = { hour: 0, minute: 0, second: 0, millisecond: 0 };
  if (/^\d/.test(rest)) {
    const end = rest.search(/[^\d:.,]/);
    const parsed = parseClock(end < 0 ? rest : rest.slice(0, end));
    if (!parsed) return undefined;
    clock = parsed;
    rest = (end < 0 ? '' : rest.slice(end)).trim();
  }
  const offsetMinutes = rest === '' ? 0 : zoneOffset(rest);
  if (offsetMinutes === undefined) return undefined;
  return { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]), ...clock, offsetMinutes };
}

interface Clock {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** `4:00`, `04:00:00`, `04:00:00.123456`. */
function parseClock(token: string): Clock | undefined {
  const [time = '', fraction] = token.split(/[.,]/);
  const fields = time.split(':');
  if (fields.length < 2 || fields.length > 3 || !fields.every((field, index) => (index === 0 ? /^\d{1,2}$/ : /^\d{2}$/).test(field)))
    return undefined;
  if (fraction !== undefined && !/^\d{1,9}$/.test(fraction)) return undefined;
  return {
    hour: Number(fields[0]),
    minute: Number(fields[1]),
    second: Number(fields[2] ?? 0),
    millisecond: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
  };
}

/** RFC 822 and its relatives: tokens in (almost) any order, named by what they look like. */
function parseWords(text: string): Parts | undefined {
  const tokens = text
    .replace(/,/g, ' ')
    .replace(/(\d)(am|pm)\b/gi, '$1 $2')
    .split(' ')
    .filter((token) => token !== '');
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let time: Clock | undefined;
  let offsetMinutes: number | undefined;
  let meridiem: 'am' | 'pm' | undefined;
  for (const token of tokens) {
    const lower = token.toLowerCase().replace(/\.$/, '');
    const clock = token.includes(':') && time === undefined ? parseClock(token) : undefined;
    if (clock) {
      time = clock;
    } else if (lower === 'am' || lower === 'pm') {
      meridiem = lower;
    } else if (months[lower] !== undefined && month === undefined) {
      month = months[lower];
    } else if (/^\d{1,2}(?:st|nd|rd|th)?$/i.test(token) && day === undefined) {
      day = Number.parseInt(token, 10);
    } else if (/^\d{4}$/.test(token) && year === undefined) {
      year = Number(token);
    } else if (/^\d{2}$/.test(token) && year === undefined && day !== undefined) {
      const short = Number(token);
      year = short < 70 ? 2000 + short : 1900 + short;
    } else if (zoneOffset(token) !== undefined && offsetMinutes === undefined) {
      offsetMinutes = zoneOffset(token);
    } else if (/^[a-z]{3,9}$/i.test(token) && isWeekday(lower)) {
      continue;
    } else if (/^\([a-z ]+\)$/i.test(token)) {
      continue;
    } else {
      return undefined;
    }
  }
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const clock = time ?? { hour: 0, minute: 0, second: 0, millisecond: 0 };
  let hour = clock.hour;
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  return { year, month, day, ...clock, hour, offsetMinutes: offsetMinutes ?? 0 };
}

function isWeekday(word: string): boolean {
  return ['mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun'].some((prefix) => word.startsWith(prefix));
}

/** A named zone, `Z`, `+0200`, `-05:00`, `+05`, `GMT+2`, `UTC-03:30`; undefined when unknown. */
function zoneOffset(zone: string): number | undefined {
  const lower = zone.toLowerCase();
  const named = zones[lower];
  if (named !== undefined) return named;
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

function toDate(parts: Parts): Date | undefined {
  const { year, month, day, hour, minute, millisecond, offsetMinutes } = parts;
  const second = Math.min(parts.second, 59);
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour > 24 || minute > 59 || parts.second > 60 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  return new Date(utc - offsetMinutes * 60_000);
}
