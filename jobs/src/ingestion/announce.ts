import { findNewsItems, summarizedLengths, type EventInsert, type Prisma, type PrismaClient, type StoreAnnouncer } from '@pressbox/db';
import { newEventSchema, toNewsItem, type EventBus, type NewEvent } from '../events/index.ts';
import { newsByTeam } from '../feeds/refresh.ts';
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
 * The events of new news: one `news.created` per article and team (oldest first), then one
 * `dashboard.updated` per team. Read through `db`, which may be the transaction that stored them.
 */
export async function newsEvents(
  db: PrismaClient | Prisma.TransactionClient,
  byTeam: Record<string, readonly string[]>,
): Promise<NewEvent[]> {
  const teamIds = Object.keys(byTeam).filter((teamId) => (byTeam[teamId]?.length ?? 0) > 0);
  if (teamIds.length === 0) return [];
  const items = new Map(
    (await findNewsItems(db, [...new Set(teamIds.flatMap((teamId) => byTeam[teamId] ?? []))])).map((row) => [row.id, row]),
  );
  const events: NewEvent[] = [];
  for (const teamId of teamIds) {
    const rows = (byTeam[teamId] ?? [])
      .flatMap((id) => items.get(id) ?? [])
      .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
    for (const row of rows) {
      if (row.teams.some((team) => team.id === teamId)) events.push({ type: 'news.created', teamId, data: toNewsItem(row) });
    }
    events.push({ type: 'dashboard.updated', teamId, data: { teamId, reason: 'news' } });
  }
  return events;
}

/**
 * Builds the events of a feed store inside its transaction (see `storeFeedEntries`): what it
 * created or newly linked is announced if and only if it is committed.
 */
export const announceStoredNews: StoreAnnouncer = async (tx, result): Promise<EventInsert[]> =>
  (await newsEvents(tx, newsByTeam(result))).map((event) => {
    const valid = newEventSchema.parse(event);
    return { type: valid.type, teamId: valid.teamId, data: valid.data };
  });

/**
 * After new news reached some teams outside a feed store (seeds, imports): publishes its events
 * and schedules the summaries. Feed fetches write their events with the articles instead
 * (`announceStoredNews`) and call `afterNewsCommitted`.
 */
export async function announceNews(deps: AnnounceDeps, byTeam: Record<string, readonly string[]>): Promise<{ events: number }> {
  const events = await newsEvents(deps.prisma, byTeam);
  for (const event of events) await deps.events.publish(event);
  await scheduleSummaryRegeneration(deps, teamsWithNews(byTeam));
  return { events: events.length };
}

/**
 * After a store whose events committed with it: publishes them now rather than at the relay's
 * next round, and schedules a debounced regeneration of the summaries those teams already have
 * (news within one debounce window share one job, which runs at its end).
 */
export async function afterNewsCommitted(deps: AnnounceDeps, byTeam: Record<string, readonly string[]>): Promise<void> {
  await deps.events.publishCommitted();
  await scheduleSummaryRegeneration(deps, teamsWithNews(byTeam));
}

function teamsWithNews(byTeam: Record<string, readonly string[]>): string[] {
  return Object.keys(byTeam).filter((teamId) => (byTeam[teamId]?.length ?? 0) > 0);
}

async function scheduleSummaryRegeneration(deps: AnnounceDeps, teamIds: string[]): Promise<void> {
  if (teamIds.length === 0) return;
  const existing = await summarizedLengths(deps.prisma, teamIds);
  const now = deps.now?.() ?? Date.now();
  const window = Math.max(1, deps.summaryDebounceMs);
  const bucket = Math.floor(now / window);
  const delayMs = (bucket + 1) * window - now;
  for (const { teamId, length } of existing) {
    await deps.queue.enqueue(summaryJob, { teamId, length }, { jobId: `${teamId}.${length}.after-news.${String(bucket)}`, delayMs });
  }
}
