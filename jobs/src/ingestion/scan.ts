import { dueSources, type PrismaClient } from '@pressbox/db';
import type { JobQueue } from '../queue/interface.ts';
import { feedFetchJob, feedFetchJobKey } from './jobs.ts';

const BATCH = 500;

/**
 * Enqueues a fetch for every source that is due and not paused. Job ids name the source and its
 * due time, so a scan that overlaps the previous one (or runs in two processes) adds nothing twice.
 */
export async function enqueueDueSources(prisma: PrismaClient, queue: JobQueue, now: Date = new Date()): Promise<number> {
  const due = await dueSources(prisma, now, BATCH);
  let enqueued = 0;
  for (const source of due) {
    const { deduplicated } = await queue.enqueue(
      feedFetchJob,
      { sourceId: source.id },
      { jobId: feedFetchJobKey(source.id, source.nextFetchAt) },
    );
    if (!deduplicated) enqueued += 1;
  }
  return enqueued;
}
