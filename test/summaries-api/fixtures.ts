import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '@pressbox/db';
import { z } from 'zod';

export interface NewArticle {
  title: string;
  summary: string;
  publishedAt?: Date;
}

/**
 * Stores articles of one team the way ingestion does (Source, Article, ArticleSource,
 * ArticleTeam with the article's publication time), without publishing events. Each call
 * publishes newer than the previous ones unless `publishedAt` is given. Returns the ids in order.
 */
export async function addArticles(prisma: PrismaClient, teamId: string, articles: readonly NewArticle[]): Promise<string[]> {
  const source = await prisma.source.create({
    data: { url: `https://wire.example/${randomUUID()}.xml`, name: 'Test Wire', teams: { create: { teamId } } },
  });
  const base = Date.now();
  const ids: string[] = [];
  for (const [index, article] of articles.entries()) {
    const publishedAt = article.publishedAt ?? new Date(base - (articles.length - index) * 1_000);
    const itemKey = randomUUID();
    const created = await prisma.article.create({
      data: {
        sourceId: source.id,
        title: article.title,
        summary: article.summary,
        url: `https://wire.example/story/${itemKey}`,
        fingerprint: randomBytes(16).toString('hex'),
        publishedAt,
        items: { create: { sourceId: source.id, itemKey, contentHash: randomBytes(8).toString('hex') } },
        teams: { create: { teamId, matchedBy: 'SOURCE', publishedAt } },
      },
    });
    ids.push(created.id);
  }
  return ids;
}

/** `count` distinct, realistic-looking stories for a team (distinct enough that selection keeps them all). */
export function stories(count: number, label = randomBytes(3).toString('hex')): NewArticle[] {
  const topics = [
    ['trade', 'The front office agreed a trade for a veteran guard before the deadline, sending two picks the other way.'],
    ['injury', 'The starting center will miss three weeks with a sprained ankle suffered in practice on Tuesday.'],
    ['win', 'A fourth-quarter comeback sealed a narrow road win, with the captain scoring thirty-one points.'],
    ['coach', 'The head coach signed a contract extension through 2029 after a record-setting regular season.'],
    ['rookie', 'The rookie forward earned a first All-Star selection, the youngest player on the roster to do so.'],
    ['arena', 'City officials approved financing for arena renovations that will add seats and a new practice court.'],
    ['loss', 'A home loss ended the winning streak at nine games after turnovers piled up in the second half.'],
    ['draft', 'Scouts from the team attended the combine to evaluate prospects ahead of the summer draft.'],
  ] as const;
  return Array.from({ length: count }, (_, index) => {
    const [topic, text] = topics[index % topics.length] ?? topics[0];
    return {
      title: `Story ${label}-${String(index)}: ${topic} update number ${String(index)}`,
      summary: `${text} Report ${label}-${String(index)}.`,
    };
  });
}

export const summaryBodySchema = z.object({
  teamId: z.string(),
  length: z.enum(['SHORT', 'MEDIUM', 'LONG']),
  status: z.enum(['ready', 'empty']),
  text: z.string(),
  bullets: z.array(z.object({ text: z.string(), citations: z.array(z.string()) })),
  articleIds: z.array(z.string()),
  provider: z.string(),
  model: z.string(),
  generatedAt: z.string().nullable(),
  stale: z.boolean(),
});
export const pendingBodySchema = z.object({ status: z.literal('pending'), jobId: z.string() });
export const summaryAnswerSchema = z.union([summaryBodySchema, pendingBodySchema]);
export type SummaryBody = z.infer<typeof summaryBodySchema>;
export type SummaryAnswerBody = z.infer<typeof summaryAnswerSchema>;

export const jobBodySchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['waiting', 'active', 'completed', 'failed', 'delayed']),
  result: z.unknown().optional(),
  error: z.string().optional(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});
export type JobBody = z.infer<typeof jobBodySchema>;
