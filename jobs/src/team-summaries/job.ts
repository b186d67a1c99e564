import {
  findTeam,
  latestSummary,
  loadSummaryCandidates,
  saveSummary,
  summaryOfInput,
  SummaryLength,
  type PrismaClient,
} from '@pressbox/db';
import { z } from 'zod';
import { toEventInsert, type EventBus } from '../events/index.ts';
import { defineJob } from '../queue/define.ts';
import { NonRetryableError } from '../queue/errors.ts';
import type { JobContext } from '../queue/interface.ts';
import { InvalidSummaryError, NoArticlesError, ProviderRejectedError, type Summarizer } from '../summaries/index.ts';
import { teamSummaryInput } from './input.ts';

export const summaryJob = defineJob({
  name: 'summary',
  payload: z.object({
    teamId: z.string().min(1).max(64),
    length: z.enum(SummaryLength),
    /** Regenerate even when a summary of the current input exists (an explicit refresh). */
    force: z.boolean().default(false),
  }),
  result: z.object({ status: z.enum(['ready', 'empty']), summaryId: z.string().nullable(), inputVersion: z.string().nullable() }),
  attempts: 3,
  backoff: { type: 'exponential', delayMs: 2_000 },
  concurrency: 4,
  timeoutMs: 180_000,
});

export type SummaryJobResult = z.infer<typeof summaryJob.result>;

/** How the error of a summary job that failed on an unusable answer begins (not on an outage). */
export const unusableAnswerMessage = 'The summary provider gave no usable answer';

/**
 * The job id that makes concurrent requests for one missing summary share one job: one job per
 * (team, length, input version).
 */
export function summaryJobKey(teamId: string, length: SummaryLength, inputVersion: string): string {
  return `${teamId}.${length}.${inputVersion}`;
}

export interface SummaryWorkerDeps {
  prisma: PrismaClient;
  summarizer: Summarizer;
  events: EventBus;
}

/**
 * Generates the current summary of a team at a length, unless one for the same input version is
 * stored already (a rerun after a crash, or a debounced regeneration with nothing new), stores it
 * with provider, model, timings and token usage together with its `summary.updated` event (a
 * crash after the commit leaves both, and the rerun finds the summary stored and announces
 * nothing more), then has the relay publish it at once. An answer that cannot be
 * trusted fails the job without retries; a provider outage is retried with backoff.
 */
export async function generateTeamSummary(
  deps: SummaryWorkerDeps,
  payload: { teamId: string; length: SummaryLength; force?: boolean },
  context: Pick<JobContext, 'signal'>,
): Promise<SummaryJobResult> {
  const { prisma } = deps;
  // One round of reads before the provider call: a cold burst of requests queues its own reads
  // on the same connection pool, and every round the job waits there delays the summary.
  const [team, candidates, latest] = await Promise.all([
    findTeam(prisma, payload.teamId),
    loadSummaryCandidates(prisma, payload.teamId),
    latestSummary(prisma, payload.teamId, payload.length),
  ]);
  if (!team) throw new NonRetryableError(`No team with id ${payload.teamId}`);
  const loaded = teamSummaryInput(team, payload.length, candidates);
  if (loaded.kind === 'empty') return { status: 'empty', summaryId: null, inputVersion: null };
  const key = { teamId: team.id, length: payload.length, inputVersion: loaded.inputVersion };
  // Without any summary of this length there is none of this input either (a job that stores it
  // meanwhile meets the upsert below); with an older newest one, an out-of-order one may exist.
  const existing =
    latest === null || latest.inputVersion === loaded.inputVersion
      ? latest
      : await summaryOfInput(prisma, key.teamId, key.length, key.inputVersion);
  if (existing && !payload.force) return { status: 'ready', summaryId: existing.id, inputVersion: loaded.inputVersion };

  let result;
  try {
    result = await deps.summarizer.summarize(loaded.input, context.signal);
  } catch (error) {
    if (error instanceof NoArticlesError) return { status: 'empty', summaryId: null, inputVersion: null };
    if (error instanceof InvalidSummaryError || error instanceof ProviderRejectedError) {
      throw new NonRetryableError(`${unusableAnswerMessage}: ${error.message}`);
    }
    throw error;
  }
  const data = {
    articleIds: loaded.articleIds,
    provider: result.provider,
    model: result.model,
    text: result.text,
    bullets: result.bullets.map((bullet) => ({ text: bullet.text, citations: [...bullet.citations] })),
    durationMs: Math.round(result.durationMs),
    attempts: result.attempts,
    promptTokens: result.usage?.promptTokens ?? null,
    completionTokens: result.usage?.completionTokens ?? null,
    generatedAt: new Date(),
  };
  const saved = await saveSummary(prisma, key, data, payload.force === true, (row) => [
    toEventInsert({
      type: 'summary.updated',
      teamId: team.id,
      data: { teamId: team.id, length: payload.length, summaryId: row.id, generatedAt: row.generatedAt.toISOString() },
    }),
  ]);
  await deps.events.publishCommitted();
  return { status: 'ready', summaryId: saved.id, inputVersion: loaded.inputVersion };
}
