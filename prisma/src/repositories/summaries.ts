import { z } from 'zod';
import { Prisma, type PrismaClient, type Summary, type SummaryLength } from '../generated/prisma/client.ts';
import { uuidv7 } from '../ids.ts';
import { insertEventRows, type EventInsert } from './events.ts';
import { firstOfStoryIn } from './stories.ts';

/** How many of a team's newest articles its summaries choose from. */
export const SUMMARY_CANDIDATES = 60;

/** One of a team's newest articles, as a summary's selection reads it. */
export interface SummaryCandidate {
  id: string;
  title: string;
  /** Plain text; '' when the article has none. */
  summary: string;
  publishedAt: Date;
  sourceName: string;
}

const candidateRow = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  publishedAt: z.date(),
  sourceName: z.string(),
});

/**
 * A team's newest stories (each as its earliest telling, so a summary cites it once), the
 * candidates of its summaries, in ONE query: every summary read
 * starts here, and the nested Prisma select this replaces cost several round trips and about
 * 4 ms of CPU per call.
 */
export async function loadSummaryCandidates(prisma: PrismaClient, teamId: string): Promise<SummaryCandidate[]> {
  const rows = z.array(candidateRow).parse(
    await prisma.$queryRaw(Prisma.sql`
      SELECT a."id"::text AS "id", a."title", a."summary", a."publishedAt", s."name" AS "sourceName"
      FROM "ArticleTeam" t
      JOIN "Article" a ON a."id" = t."articleId"
      JOIN "Source" s ON s."id" = a."sourceId"
      WHERE t."teamId" = ${teamId} AND ${firstOfStoryIn(Prisma.sql`et."teamId" = ${teamId}`)}
      ORDER BY t."publishedAt" DESC, t."articleId" DESC
      LIMIT ${SUMMARY_CANDIDATES}`),
  );
  return rows.map((row) => ({ ...row, summary: row.summary ?? '' }));
}

/** The newest stored summary of a team at a length, whatever its input. */
export function latestSummary(prisma: PrismaClient, teamId: string, length: SummaryLength): Promise<Summary | null> {
  return prisma.summary.findFirst({ where: { teamId, length }, orderBy: { generatedAt: 'desc' } });
}

/** The stored summary of exactly this input version, if any. */
export function summaryOfInput(prisma: PrismaClient, teamId: string, length: SummaryLength, inputVersion: string): Promise<Summary | null> {
  return prisma.summary.findUnique({ where: { teamId_length_inputVersion: { teamId, length, inputVersion } } });
}

export function findSummary(prisma: PrismaClient, id: string): Promise<Summary | null> {
  return prisma.summary.findUnique({ where: { id } });
}

/** What a summary job stores besides its key. */
export interface SummaryFields {
  articleIds: string[];
  provider: string;
  model: string;
  text: string;
  bullets: { text: string; citations: string[] }[];
  durationMs: number;
  attempts: number;
  promptTokens: number | null;
  completionTokens: number | null;
  generatedAt: Date;
}

/** The events that announce a stored summary, committed with it. */
export type SummaryAnnouncer = (saved: Summary) => readonly EventInsert[];

/**
 * Stores the summary of an input version. Without `replace` a summary already stored for the
 * same input wins (two jobs that raced made equivalent summaries); with it, the new one replaces
 * it. `announce` gives the events of a summary this call wrote, inserted in the same transaction
 * as its last statement; a summary that won the race was announced by the job that stored it.
 */
export function saveSummary(
  prisma: PrismaClient,
  key: { teamId: string; length: SummaryLength; inputVersion: string },
  fields: SummaryFields,
  replace: boolean,
  announce?: SummaryAnnouncer,
): Promise<Summary> {
  const id = uuidv7();
  const save = () =>
    prisma.$transaction(async (tx) => {
      const saved = await tx.summary.upsert({
        where: { teamId_length_inputVersion: key },
        create: { id, ...key, ...fields },
        update: replace ? fields : {},
      });
      if (announce && (replace || saved.id === id)) await insertEventRows(tx, announce(saved));
      return saved;
    });
  // The upsert reads before it writes: a job that stored the same input meanwhile makes the insert
  // fail on the unique key, and the second try finds its row (which that job announced).
  return save().catch((error: unknown) => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return save();
    throw error;
  });
}

/** The (team, length) pairs that have a summary, among these teams. */
export function summarizedLengths(prisma: PrismaClient, teamIds: readonly string[]): Promise<{ teamId: string; length: SummaryLength }[]> {
  return prisma.summary.findMany({
    where: { teamId: { in: [...teamIds] } },
    distinct: ['teamId', 'length'],
    // Without an order the two databases answer in different orders.
    orderBy: [{ teamId: 'asc' }, { length: 'asc' }],
    select: { teamId: true, length: true },
  });
}

/** Every (team, length) pair that has a summary. */
export function allSummarizedLengths(prisma: PrismaClient): Promise<{ teamId: string; length: SummaryLength }[]> {
  return prisma.summary.findMany({
    distinct: ['teamId', 'length'],
    orderBy: [{ teamId: 'asc' }, { length: 'asc' }],
    select: { teamId: true, length: true },
  });
}
