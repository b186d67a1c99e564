import { MatchedBy, SummaryLength, type NewsRow } from '@pressbox/db';
import { z } from 'zod';

/**
 * The shapes of live events. The same JSON is stored in the Event table, carried over Redis and
 * sent to subscribers, so every hop validates against these schemas and nothing else.
 */

/** The kinds of event Pressbox publishes; subscribers may filter on them. */
export const eventTypes = ['news.created', 'summary.updated', 'dashboard.updated'] as const;
export const eventTypeSchema = z.enum(eventTypes);
export type EventType = z.infer<typeof eventTypeSchema>;

const BIGINT_MAX = 9_223_372_036_854_775_807n;

/**
 * An event id: the decimal of the Event row's BigInt, so it orders numerically (compare with
 * `BigInt(id)`, never as strings). `0` is accepted as "from the beginning" for `lastEventId`.
 */
export const eventIdSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/, 'expected the decimal id of an event')
  .refine((value) => !/^[0-9]+$/.test(value) || BigInt(value) <= BIGINT_MAX, 'event id out of range');

/** Team ids are slugs such as `nba-bos`. */
export const eventTeamIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a team slug such as nba-bos');

const isoDateTime = z.iso.datetime({ offset: true });

/** Another source's telling of a news item's story. */
export const storyTellingSchema = z
  .object({
    id: z.string().min(1).meta({ description: 'The article id of this telling' }),
    sourceId: z.string().min(1),
    sourceName: z.string(),
    url: z.string().nullable(),
    title: z.string(),
  })
  .meta({ id: 'StoryTelling' });

/**
 * A news item as every consumer sees it (subscription data of `news.created`, feed and news
 * pages). The API reuses this schema so the event and the REST body cannot drift apart.
 */
export const newsItemSchema = z
  .object({
    id: z.string().min(1),
    title: z.string(),
    url: z.string().nullable(),
    author: z.string().nullable(),
    summary: z.string().nullable(),
    contentHtml: z.string().nullable(),
    publishedAt: isoDateTime,
    updatedAt: isoDateTime,
    source: z.object({ id: z.string().min(1), name: z.string() }),
    teams: z.array(z.object({ id: eventTeamIdSchema, matchedBy: z.enum(MatchedBy) })),
    alsoFrom: z
      .array(storyTellingSchema)
      // Events stored or sent before stories were grouped have no alsoFrom.
      .default([])
      .meta({ description: 'The same story as other sources told it, oldest first; the item is its earliest telling in the list' }),
  })
  .meta({ id: 'NewsItem' });
export type NewsItem = z.infer<typeof newsItemSchema>;

/** A news row from the database as a NewsItem: the one mapping events and news pages share. */
export function toNewsItem(row: NewsRow): NewsItem {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    author: row.author,
    summary: row.summary,
    contentHtml: row.contentHtml,
    publishedAt: row.publishedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    source: row.source,
    teams: row.teams,
    alsoFrom: row.alsoFrom,
  };
}

export const summaryUpdatedDataSchema = z.object({
  teamId: eventTeamIdSchema,
  length: z.enum(SummaryLength),
  summaryId: z.string().min(1),
  generatedAt: isoDateTime,
});
export type SummaryUpdatedData = z.infer<typeof summaryUpdatedDataSchema>;

export const dashboardUpdatedDataSchema = z.object({
  teamId: eventTeamIdSchema,
  reason: z.string().min(1).max(200),
});
export type DashboardUpdatedData = z.infer<typeof dashboardUpdatedDataSchema>;

const stored = {
  id: eventIdSchema,
  teamId: eventTeamIdSchema.optional(),
  at: isoDateTime,
};

export const newsCreatedEventSchema = z.object({ ...stored, type: z.literal('news.created'), data: newsItemSchema });
export const summaryUpdatedEventSchema = z.object({ ...stored, type: z.literal('summary.updated'), data: summaryUpdatedDataSchema });
export const dashboardUpdatedEventSchema = z.object({ ...stored, type: z.literal('dashboard.updated'), data: dashboardUpdatedDataSchema });

/**
 * An event as stored and delivered: `{ id, type, teamId?, at, data }`. This is the subscription
 * payload and exactly what a Redis message carries.
 *
 * @example
 * const event = storedEventSchema.parse(JSON.parse(message));
 * if (event.type === 'news.created') console.log(event.data.title);
 */
export const storedEventSchema = z.discriminatedUnion('type', [
  newsCreatedEventSchema,
  summaryUpdatedEventSchema,
  dashboardUpdatedEventSchema,
]);
export type StoredEvent = z.infer<typeof storedEventSchema>;

/**
 * What a producer hands to `EventBus.publish`: the id and time are assigned when the row is
 * stored. Every event type today belongs to one team, and subscribers listen per team, so a new
 * event must name its team (the wire format keeps `teamId` optional for league-wide kinds to come).
 * A news item tagged with several teams is published once per team.
 */
export const newEventSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('news.created'), teamId: eventTeamIdSchema, data: newsItemSchema }),
    z.object({ type: z.literal('summary.updated'), teamId: eventTeamIdSchema, data: summaryUpdatedDataSchema }),
    z.object({ type: z.literal('dashboard.updated'), teamId: eventTeamIdSchema, data: dashboardUpdatedDataSchema }),
  ])
  .superRefine((event, context) => {
    const consistent =
      event.type === 'news.created' ? event.data.teams.some((team) => team.id === event.teamId) : event.data.teamId === event.teamId;
    if (!consistent) {
      context.addIssue({
        code: 'custom',
        path: ['teamId'],
        message: event.type === 'news.created' ? 'the news item is not tagged with this team' : 'teamId differs from data.teamId',
      });
    }
  });
export type NewEvent = z.infer<typeof newEventSchema>;

/**
 * Parses one Redis message (or any untrusted JSON text) into an event; undefined when it is not
 * JSON or not a valid event, so a bad message can be dropped without throwing.
 */
export function parseEventMessage(message: string): StoredEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  const result = storedEventSchema.safeParse(json);
  return result.success ? result.data : undefined;
}

/** Orders two event ids numerically (ids are decimal strings of a BigInt). */
export function compareEventIds(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
