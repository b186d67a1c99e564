import { findNewsItems, summarizedLengths, type PrismaClient } from '@pressbox/db';
import { toNewsItem, type EventBus } from '../events/index.ts';
import type { JobQueue } from '../queue/interface.ts';
import { summaryJob } from '../team-summaries/job.ts';

export interface AnnounceDeps {
  prisma: PrismaClient;
  events: EventBus;
  queue: JobQueue;
  summaryDebounceMs: number;
  now?: () => number;
}

/**
 * After new news reached some teams: one `news.created` event per article and team, a
 * `dashboard.updated` per team, and a debounced regeneration of the summaries those teams
 * already have (news within one debounce window share one job, which runs at its end).
 */
export async function announceNews(deps: AnnounceDeps, newsByTeam: Record<string, readonly string[]>): Promise<{ events: number }> {
  const teamIds = Object.keys(newsByTeam).filter((teamId) => (newsByTeam[teamId]?.length ?? 0) > 0);
  if (teamIds.length === 0) return { events: 0 };
  const items = new Map(
    (await findNewsItems(deps.prisma, [...new Set(teamIds.flatMap((teamId) => newsByTeam[teamId] ?? []))])).map((row) => [row.id, row]),
  );
  let published = 0;
  for (const teamId of teamIds) {
    const rows = (newsByTeam[teamId] ?? [])
      .flatMap((id) => items.get(id) ?? [])
      .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
    for (const row of rows) {
      if (!row.teams.some((team) => team.id === teamId)) continue;
      await deps.events.publish({ type: 'news.created', teamId, data: toNewsItem(row) });
      published += 1;
    }
    await deps.events.publish({ type: 'dashboard.updated', teamId, data: { teamId, reason: 'news' } });
    published += 1;
  }
  await scheduleSummaryRegeneration(deps, teamIds);
  return { events: published };
}

async function scheduleSummaryRegeneration(deps: AnnounceDeps, teamIds: string[]): Promise<void> {
  const existing = await summarizedLengths(deps.prisma, teamIds);
  const now = deps.now?.() ?? Date.now();
  const window = Math.max(1, deps.summaryDebounceMs);
  const bucket = Math.floor(now / window);
  const delayMs = (bucket + 1) * window - now;
  for (const { teamId, length } of existing) {
    await deps.queue.enqueue(summaryJob, { teamId, length }, { jobId: `${teamId}.${length}.after-news.${String(bucket)}`, delayMs });
  }
}
