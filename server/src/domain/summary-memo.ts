import type { SummaryLength } from '@pressbox/db';
import type { EventBus } from '@pressbox/jobs';
import type { SummaryDto } from '../schemas/summary.ts';

/**
 * Fresh summaries answered from memory. A team's entries are dropped by any `news.created` or
 * `summary.updated` event of that team (the only things that change which summary is current),
 * whichever process published it, and by a short TTL in case a message was lost. A generation
 * counter per team keeps a read that raced with an event from being remembered.
 */
export interface SummaryMemo {
  /** Starts watching the team's events (once) and returns its generation, to pass to `set`. */
  generation(teamId: string): Promise<number>;
  get(teamId: string, length: SummaryLength): SummaryDto | undefined;
  /** Remembers a fresh summary, unless an event for the team arrived since `generation`. */
  set(teamId: string, length: SummaryLength, summary: SummaryDto, generation: number): void;
}

export function createSummaryMemo(events: EventBus, ttlMs = 30_000, now: () => number = Date.now): SummaryMemo {
  const entries = new Map<string, { summary: SummaryDto; expiresAt: number }>();
  const generations = new Map<string, number>();
  const watching = new Map<string, Promise<unknown>>();

  function forget(teamId: string): void {
    generations.set(teamId, (generations.get(teamId) ?? 0) + 1);
    for (const length of ['SHORT', 'MEDIUM', 'LONG']) entries.delete(`${teamId}:${length}`);
  }

  return {
    async generation(teamId) {
      let watch = watching.get(teamId);
      if (!watch) {
        watch = events
          .subscribe(
            { teamId },
            (event) => {
              if (event.type === 'news.created' || event.type === 'summary.updated') forget(teamId);
            },
            {
              onReconnect: () => {
                forget(teamId);
              },
            },
          )
          .catch((error: unknown) => {
            watching.delete(teamId);
            throw error;
          });
        watching.set(teamId, watch);
      }
      await watch;
      return generations.get(teamId) ?? 0;
    },
    get(teamId, length) {
      const entry = entries.get(`${teamId}:${length}`);
      if (!entry) return undefined;
      if (entry.expiresAt > now()) return entry.summary;
      entries.delete(`${teamId}:${length}`);
      return undefined;
    },
    set(teamId, length, summary, generation) {
      if ((generations.get(teamId) ?? 0) !== generation || summary.stale || summary.status !== 'ready') return;
      entries.set(`${teamId}:${length}`, { summary, expiresAt: now() + ttlMs });
    },
  };
}
