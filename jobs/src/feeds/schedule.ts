import { parseFeedDate } from './dates.ts';
import type { CacheHeaders } from './fetch.ts';

const MINUTE = 60_000;

/** Bounds of the polling interval: never hammer a publisher, never wait more than a day. */
export const MIN_INTERVAL_MS = 5 * MINUTE;
export const MAX_INTERVAL_MS = 24 * 60 * MINUTE;
/** The interval when the feed and its server say nothing about freshness. */
export const DEFAULT_INTERVAL_MS = 30 * MINUTE;
/** Failures back off from 5 minutes, doubling, up to this ceiling, and keep polling at it forever. */
export const FIRST_RETRY_MS = 5 * MINUTE;
export const MAX_RETRY_MS = 6 * 60 * MINUTE;

export interface NextFetchInput {
  now: Date;
  /** Failures in a row, counting the fetch that just ended (0 after a success). */
  consecutiveErrors: number;
  headers?: CacheHeaders | undefined;
  /** RSS `<ttl>`, in minutes. */
  ttlMinutes?: number | undefined;
}

/**
 * When to fetch a source next. After a success the publisher decides within [5 min, 24 h]: the
 * longest of Retry-After, Cache-Control max-age (else Expires) and RSS `<ttl>`, or 30 minutes when
 * none is given. After failures: 5 min doubling per failure up to 6 h, or Retry-After if longer
 * (capped at 24 h). Pure, so the worker and the tests agree on every number.
 *
 * @example
 * nextFetchAt({ now, consecutiveErrors: 0, ttlMinutes: 60 }); // now + 60 min
 * nextFetchAt({ now, consecutiveErrors: 3 }); // now + 20 min
 */
export function nextFetchAt(input: NextFetchInput): Date {
  return new Date(input.now.getTime() + nextFetchDelayMs(input));
}

/** The delay `nextFetchAt` adds to `now`, in milliseconds. */
export function nextFetchDelayMs({ now, consecutiveErrors, headers, ttlMinutes }: NextFetchInput): number {
  const retryAfter = retryAfterMs(headers?.retryAfter, now);
  if (consecutiveErrors > 0) return clamp(Math.max(retryDelayMs(consecutiveErrors), retryAfter ?? 0));
  const hints = [
    retryAfter,
    freshnessMs(headers, now),
    ttlMinutes !== undefined && ttlMinutes > 0 ? ttlMinutes * MINUTE : undefined,
  ].filter((hint): hint is number => hint !== undefined);
  return clamp(hints.length === 0 ? DEFAULT_INTERVAL_MS : Math.max(...hints));
}

/**
 * Backoff after `consecutiveErrors` failures in a row: 5, 10, 20, 40 ... minutes, never more than
 * 6 hours, and never "give up": the source stays scheduled.
 */
export function retryDelayMs(consecutiveErrors: number): number {
  if (consecutiveErrors <= 0) return 0;
  const doublings = Math.min(consecutiveErrors - 1, 20);
  return Math.min(FIRST_RETRY_MS * 2 ** doublings, MAX_RETRY_MS);
}

/**
 * Retry-After as milliseconds from `now`: delta-seconds or an HTTP date. Undefined when absent or
 * unreadable; a date in the past means "now" (0).
 */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const date = parseFeedDate(text);
  return date ? Math.max(0, date.getTime() - now.getTime()) : undefined;
}

/** How long the response stays fresh: Cache-Control max-age wins over Expires, as in HTTP caching. */
function freshnessMs(headers: CacheHeaders | undefined, now: Date): number | undefined {
  if (!headers) return undefined;
  const directives = (headers.cacheControl ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.trim());
  for (const directive of directives) {
    const match = /^max-age\s*=\s*"?(\d{1,10})"?$/.exec(directive);
    if (match) return Number(match[1]) * 1000;
  }
  if (directives.includes('no-cache') || directives.includes('no-store')) return 0;
  if (headers.expires !== undefined) {
    const expires = parseFeedDate(headers.expires);
    if (!expires) return 0; // RFC 9111: an invalid Expires means "already expired"
    const reference = parseFeedDate(headers.date)?.getTime() ?? now.getTime();
    return Math.max(0, expires.getTime() - reference);
  }
  return undefined;
}

function clamp(delay: number): number {
  return Math.min(Math.max(delay, MIN_INTERVAL_MS), MAX_INTERVAL_MS);
}
