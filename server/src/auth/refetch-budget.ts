/** How many key-set fetches may start, as a token bucket over clock time. */
export interface RefetchBudget {
  /** 0 when a fetch may start now, else how long until one may. */
  waitMs(now: number): number;
  /** Records a fetch starting now. */
  spend(now: number): void;
}

/**
 * `burst` fetches at once, refilled at one per `intervalMs`; over any span of T ms at most
 * `burst + T / intervalMs` fetches start. Credit is kept in milliseconds, so the arithmetic is exact.
 *
 * @example
 * const budget = createRefetchBudget(3, 1_000, Date.now());
 * if (budget.waitMs(Date.now()) === 0) budget.spend(Date.now());
 */
export function createRefetchBudget(burst: number, intervalMs: number, now: number): RefetchBudget {
  const capacity = Math.max(1, burst) * intervalMs;
  let credit = capacity;
  let updatedAt = now;
  function refill(at: number): void {
    credit = Math.min(capacity, credit + Math.max(0, at - updatedAt));
    updatedAt = Math.max(updatedAt, at);
  }
  return {
    waitMs(at) {
      refill(at);
      return Math.max(0, intervalMs - credit);
    },
    spend(at) {
      refill(at);
      credit -= intervalMs;
    },
  };
}
