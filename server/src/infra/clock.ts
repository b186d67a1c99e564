import { summarizerSystemClock, type SummarizerClock } from '@pressbox/jobs';

/**
 * Time as the server sees it (token expiry, key refetch pacing, WebSocket session timers): the
 * job layer's clock shape, so one test clock can drive both. Tests pass a clock they move by hand.
 */
export type Clock = SummarizerClock;

/** Wall-clock time and real timers. */
export const systemClock: Clock = summarizerSystemClock;
