export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds to wait before the next request may pass (0 when allowed). */
  retryAfterSeconds: number;
  remaining: number;
}

/**
 * Sliding-window limiter: the count of the current minute plus the previous minute's count
 * weighted by how much of it still overlaps the window.
 */
export interface RateLimiter {
  consume(key: string, limitPerMinute: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

export const WINDOW_MS = 60_000;

/** Shared arithmetic of both implementations. */
export function decide(current: number, previous: number, limit: number, now: number): RateLimitDecision {
  const elapsed = (now % WINDOW_MS) / WINDOW_MS;
  const estimate = previous * (1 - elapsed) + current;
  if (estimate <= limit) return { allowed: true, retryAfterSeconds: 0, remaining: Math.max(0, Math.floor(limit - estimate)) };
  const untilNextWindow = WINDOW_MS - (now % WINDOW_MS);
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(untilNextWindow / 1000)), remaining: 0 };
}
