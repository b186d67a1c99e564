import { Prisma, type PrismaClient } from '@pressbox/db';
import { eventIdSchema, resumableStream, type StoredEvent } from '@pressbox/jobs';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { startingPoint, trackedEvents } from '../teams/subscriptions.ts';

/** Articles already sent on this stream; bounded so a long-lived connection stays small. */
const REMEMBERED = 2_000;

/**
 * Articles of the last `news.created` events of these teams up to `lastEventId`, oldest first:
 * what a stream that had run without a break would remember. An article about two followed teams
 * is announced once per team, and a resume can fall between the two announcements.
 */
async function articlesSentBefore(prisma: PrismaClient, teamIds: readonly string[], lastEventId: string): Promise<string[]> {
  if (teamIds.length < 2) return [];
  const rows = await prisma.$queryRaw<{ articleId: string | null }[]>(Prisma.sql`
    SELECT "data"->>'id' AS "articleId"
    FROM "Event"
    WHERE "type" = 'news.created' AND "teamId" IN (${Prisma.join(teamIds)}) AND "id" <= ${BigInt(lastEventId)}
    ORDER BY "id" DESC
    LIMIT ${REMEMBERED}`);
  return rows.flatMap((row) => (row.articleId === null ? [] : [row.articleId])).reverse();
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

/**
 * `news.created` across the teams the caller follows (as of subscribing), each article once even
 * when it is about several of them, also across a resume. Resumable with `lastEventId`.
 */
export const onFeedProcedure = protectedProcedure
  .input(z.object({ lastEventId: eventIdSchema.nullish() }).default({}))
  .subscription(async function feedEvents({ ctx, input, signal }) {
    const follows = await ctx.services.prisma.follow.findMany({ where: { userId: ctx.user.id }, select: { teamId: true } });
    const teamIds = follows.map((follow) => follow.teamId);
    const seen = new Set<string>(input.lastEventId ? await articlesSentBefore(ctx.services.prisma, teamIds, input.lastEventId) : []);
    const lastEventId = await startingPoint(ctx.services.events, input.lastEventId);
    const stream = resumableStream({ bus: ctx.services.events, teamIds, lastEventId, types: ['news.created'], signal });
    return trackedEvents(firstPerArticle(stream, seen));
  });
