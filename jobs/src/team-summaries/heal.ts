import { allSummarizedLengths, findTeam, latestSummary, loadSummaryCandidates, type PrismaClient } from '@pressbox/db';
import type { JobQueue } from '../queue/interface.ts';
import { teamSummaryInput } from './input.ts';
import { summaryJob } from './job.ts';

export interface HealDeps {
  prisma: PrismaClient;
  queue: Pick<JobQueue, 'enqueue'>;
}

/**
 * After a provider outage (the breaker closed again): enqueues a regeneration of every stored
 * summary whose team has news it does not cover yet, which are the regenerations that failed
 * while the provider was away. `outage` names the outage in the job ids, so jobs that failed
 * during it do not stand in the way and a second call for the same outage adds nothing.
 * Resolves with the number of jobs enqueued.
 *
 * @example
 * onStateChange: (state) => { if (state === 'closed') void regenerateStaleSummaries({ prisma, queue }, String(++outages)); }
 */
export async function regenerateStaleSummaries(deps: HealDeps, outage: string): Promise<number> {
  const pairs = await allSummarizedLengths(deps.prisma);
  let enqueued = 0;
  for (const { teamId, length } of pairs) {
    const [team, candidates, latest] = await Promise.all([
      findTeam(deps.prisma, teamId),
      loadSummaryCandidates(deps.prisma, teamId),
      latestSummary(deps.prisma, teamId, length),
    ]);
    if (!team) continue;
    const current = teamSummaryInput(team, length, candidates);
    if (current.kind === 'empty' || current.inputVersion === latest?.inputVersion) continue;
    await deps.queue.enqueue(summaryJob, { teamId, length }, { jobId: `${teamId}.${length}.healed.${outage}.${current.inputVersion}` });
    enqueued++;
  }
  return enqueued;
}
