import { followedTeamIds, newsAnnouncedUpTo, type PrismaClient } from '@pressbox/db';
import { resumableStream, sharedTeamStream, type EventBus, type EventType, type StoredEvent } from '@pressbox/jobs';
import type { TeamDirectory } from './team-directory.ts';

export interface LiveDeps {
  prisma: PrismaClient;
  events: EventBus;
  teams: Pick<TeamDirectory, 'require'>;
}

/** Articles already sent on a feed stream; bounded so a long-lived connection stays small. */
const REMEMBERED = 2_000;

/**
 * Where a stream starts: after the client's last event, or else after the newest event stored
 * now. It is read before the procedure returns, that is before the client gets `started`, so an
 * event committed after `started` always reaches the client (the stream itself would only look
 * once it is first pulled, after `started` went out).
 */
async function startingPoint(bus: EventBus, lastEventId: string | null | undefined): Promise<string> {
  return lastEventId ?? (await bus.latestId()) ?? '0';
}

/**
 * Events of some kinds of one team, resumable from `lastEventId`. An unknown team is a NOT_FOUND
 * thrown here, before any stream is opened.
 */
export async function teamEvents(
  deps: Pick<LiveDeps, 'events' | 'teams'>,
  query: { teamId: string; lastEventId?: string | null | undefined; types: readonly EventType[]; signal?: AbortSignal | undefined },
): Promise<AsyncIterable<StoredEvent>> {
  deps.teams.require(query.teamId);
  const lastEventId = await startingPoint(deps.events, query.lastEventId);
  return sharedTeamStream({ bus: deps.events, teamId: query.teamId, lastEventId, types: query.types, signal: query.signal });
}

/**
 * `news.created` across the teams a user follows (as of subscribing), each article once even when
 * it is about several of them, also across a resume.
 */
export async function feedEvents(
  deps: Pick<LiveDeps, 'events' | 'prisma'>,
  query: { userId: string; lastEventId?: string | null | undefined; signal?: AbortSignal | undefined },
): Promise<AsyncIterable<StoredEvent>> {
  const teamIds = await followedTeamIds(deps.prisma, query.userId);
  const seen = new Set<string>(query.lastEventId ? await articlesSentBefore(deps.prisma, teamIds, query.lastEventId) : []);
  const lastEventId = await startingPoint(deps.events, query.lastEventId);
  const stream = resumableStream({ bus: deps.events, teamIds, lastEventId, types: ['news.created'], signal: query.signal });
  return firstPerArticle(stream, seen);
}

/**
 * Articles of the last `news.created` events of these teams up to `lastEventId`, oldest first:
 * what a stream that had run without a break would remember. An article about two followed teams
 * is announced once per team, and a resume can fall between the two announcements.
 */
async function articlesSentBefore(prisma: PrismaClient, teamIds: readonly string[], lastEventId: string): Promise<string[]> {
  if (teamIds.length < 2) return [];
  return (await newsAnnouncedUpTo(prisma, teamIds, BigInt(lastEventId), REMEMBERED)).reverse();
}

/** Each article once: the first of its events (one per team it is about) passes. */
async function* firstPerArticle(events: AsyncIterable<StoredEvent>, seen: Set<string>): AsyncGenerator<StoredEvent, void, undefined> {
  for await (const event of events) {
    if (event.type !== 'news.created' || seen.has(event.data.id)) continue;
    seen.add(event.data.id);
    if (seen.size > REMEMBERED) seen.delete(seen.values().next().value ?? '');
    yield event;
  }
}
