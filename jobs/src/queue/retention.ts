/**
 * How long finished jobs stay readable (and keep deduplicating their id), per job name. Both
 * implementations use the same numbers so `getJob` answers alike; `GET /jobs/{id}` needs a
 * finished job to stay around long enough for clients to poll it.
 */
export const jobRetention = {
  completed: { ageMs: 24 * 60 * 60 * 1000, count: 1_000 },
  failed: { ageMs: 7 * 24 * 60 * 60 * 1000, count: 5_000 },
} as const;

/** Backoff before the retry that follows the `failures`-th failed run (BullMQ's formula). */
export function retryDelayMs(baseDelayMs: number, failures: number): number {
  return Math.round(2 ** (failures - 1) * baseDelayMs);
}
