import { summarizedLengths, type PrismaClient } from '@pressbox/db';
import type { StoredEvent } from '../events/index.ts';
import type { JobQueue } from '../queue/interface.ts';
import { summaryJob } from '../team-summaries/job.ts';

export interface RegenerateDeps {
  prisma: PrismaClient;
  queue: Pick<JobQueue, 'enqueue'>;
  summaryDebounceMs: number;
  now?: () => number;
}

/**
 * What the event relay does with every page of committed events before it moves its cursor:
 * schedules a debounced regeneration of the summaries the teams of its `news.created` events
 * already have. News within one debounce window share one job (its id names the window), which
 * runs at the window's end; a page relayed again after a crash schedules the same job ids, which
 * the queue keeps once. Because scheduling follows from the committed rows, a process killed
 * between its commit and the enqueue loses no regeneration: the next relay pass, in any process,
 * schedules it. Every process of a deployment passes this to its event bus (`onRelayed`).
 *
 * @example
 * const bus = createMemoryEventBus({ prisma, onRelayed: regenerateAfterNews({ prisma, queue, summaryDebounceMs: 10_000 }) });
 */
export function regenerateAfterNews(deps: RegenerateDeps): (events: readonly StoredEvent[]) => Promise<void> {
  return async function scheduleRegeneration(events) {
    const teamIds = [...new Set(events.flatMap((event) => (event.type === 'news.created' && event.teamId ? [event.teamId] : [])))];
    if (teamIds.length === 0) return;
    const existing = await summarizedLengths(deps.prisma, teamIds);
    const now = deps.now?.() ?? Date.now();
    const window = Math.max(1, deps.summaryDebounceMs);
    const bucket = Math.floor(now / window);
    const delayMs = (bucket + 1) * window - now;
    for (const { teamId, length } of existing) {
      await deps.queue.enqueue(summaryJob, { teamId, length }, { jobId: `${teamId}.${length}.after-news.${String(bucket)}`, delayMs });
    }
  };
}
