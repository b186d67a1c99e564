/**
 * The time, as every part of Pressbox that depends on it reads it: passed in, so tests set the
 * time instead of waiting for it.
 *
 * @example
 * const clock: Clock = { now: () => Date.parse('2026-01-01T00:00:00Z') };
 */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };
