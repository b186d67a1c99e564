import {
  findNewsItems,
  storeWithEvents,
  type EventInsert,
  type Prisma,
  type PrismaClient,
  type SqlRunner,
  type StoreAnnouncer,
} from '@pressbox/db';
import { toEventInsert, toNewsItem, type EventBus, type NewEvent } from '../events/index.ts';
import { newsByTeam } from '../feeds/refresh.ts';

export interface AnnounceDeps {
  prisma: PrismaClient;
  events: EventBus;
}

/**
 * The events of new news: one `news.created` per article and team (oldest first), then one
 * `dashboard.updated` per team. Read through `db`, which may be the transaction that stored them.
 */
export async function newsEvents(
  db: PrismaClient | Prisma.TransactionClient | SqlRunner,
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
  (await newsEvents(tx, newsByTeam(result))).map(toEventInsert);

/**
 * Stores news outside a feed store (seeds, imports) with its events: `store` writes the articles
 * inside the transaction and says which teams got which; their events are inserted as its last
 * statement, so they commit (or roll back) with the articles, and are then published at once.
 * Feed fetches write their events with the articles instead (`announceStoredNews`) and call
 * `afterNewsCommitted`. Summaries are regenerated from the committed events (`regenerateAfterNews`).
 */
export async function announceNews(
  deps: AnnounceDeps,
  store: (tx: Prisma.TransactionClient) => Promise<Record<string, readonly string[]>>,
): Promise<{ events: number }> {
  const { events } = await storeWithEvents(deps.prisma, store, async (tx, byTeam) => (await newsEvents(tx, byTeam)).map(toEventInsert));
  await deps.events.publishCommitted();
  return { events: events.length };
}

/**
 * After a store whose events committed with it: publishes them now rather than at the relay's
 * next round. The relay's pass also schedules the regeneration of those teams' summaries
 * (`regenerateAfterNews`), so a process killed right after its commit loses neither.
 */
export async function afterNewsCommitted(deps: Pick<AnnounceDeps, 'events'>): Promise<void> {
  await deps.events.publishCommitted();
}
