import { AppError, findSummary, latestSummary, summaryOfInput, type PrismaClient, type Summary, type SummaryLength } from '@pressbox/db';
import {
  jobIdFor,
  loadTeamSummaryInput,
  summaryJob,
  summaryJobKey,
  unusableAnswerMessage,
  type JobInfo,
  type JobQueue,
  type SummarizerHealth,
  type SummarizerService,
} from '@pressbox/jobs';
import type { RateLimiter } from '../infra/rate-limit/interface.ts';
import { errorMessages } from '../schemas/error.ts';
import { toSummaryDto, type SummaryDto } from '../schemas/summary.ts';
import type { SummaryMemo } from './summary-memo.ts';
import type { TeamDirectory } from './team-directory.ts';

export interface SummariesDeps {
  prisma: PrismaClient;
  teams: TeamDirectory;
  queue: JobQueue;
  summaries: Pick<SummarizerService, 'health'>;
  summaryMemo: SummaryMemo;
}

export type SummaryAnswer = SummaryDto | { status: 'pending'; jobId: string };

/** How long a request for a missing summary waits for it before answering 202. */
export const SUMMARY_WAIT_MS = 2_500;

/**
 * After a summary job failed for good because the provider gave no usable answer, requests for
 * the same input do not start another one for this long: they get the failure (503 with
 * Retry-After), or the last good summary as stale, instead of paying for the same bad answer
 * again. A job that failed because the provider was unreachable (or our breaker open) starts no
 * cool-off: the next request after the breaker lets attempts through again runs it again.
 */
export const FAILED_SUMMARY_COOLOFF_MS = 5 * 60_000;

/**
 * How long a failed summary job keeps requests from running it again: the rest of the cool-off
 * after an unusable answer, the breaker's cool-down while it is open, else 0 (run it again now).
 */
export function failedJobHoldMs(job: Pick<JobInfo, 'error' | 'finishedAt'>, health: SummarizerHealth, now: number): number {
  if (job.error?.startsWith(unusableAnswerMessage)) {
    return Math.max(0, (job.finishedAt?.getTime() ?? 0) + FAILED_SUMMARY_COOLOFF_MS - now);
  }
  return health.breaker === 'open' ? Math.max(1, health.retryAfterMs ?? 1_000) : 0;
}

/** The failure a caller gets instead of the id of a job that already failed: 503 with Retry-After. */
function summaryFailure(job: Pick<JobInfo, 'error'>, holdMs: number): AppError {
  return new AppError('SERVICE_UNAVAILABLE', `The summary could not be made: ${job.error ?? 'the job failed'}`, {
    retryAfterSeconds: Math.max(1, Math.ceil(holdMs / 1000)),
  });
}

/**
 * The summary of a team's news at a length, answered as fast as possible:
 * - the summary of the current input version, when stored (a warm read: two indexed queries, run
 *   at once);
 * - else the newest stored one, flagged `stale`, while a regeneration runs in the background;
 * - else the one job for this (team, length, input version) is enqueued or joined, and awaited
 *   for a moment: 200 when it finishes in time, 202 with its id otherwise.
 */
export async function getTeamSummary(
  deps: SummariesDeps,
  teamId: string,
  length: SummaryLength,
  requestedBy: string,
  waitMs = SUMMARY_WAIT_MS,
): Promise<SummaryAnswer> {
  deps.teams.require(teamId);
  const generation = await deps.summaryMemo.generation(teamId);
  const remembered = deps.summaryMemo.get(teamId, length);
  if (remembered) return remembered;
  // Concurrent requests of one process for the same summary share one look (and one wait).
  const key = `${teamId}:${length}`;
  const pending = answering.get(deps.queue) ?? new Map<string, Promise<SummaryAnswer>>();
  answering.set(deps.queue, pending);
  let answer = pending.get(key);
  if (!answer) {
    answer = lookUpSummary(deps, teamId, length, requestedBy, waitMs, generation).finally(() => pending.delete(key));
    pending.set(key, answer);
  }
  return answer;
}

/** Answers being looked up, per job queue, that is per Pressbox instance (tests run several in one process). */
const answering = new WeakMap<JobQueue, Map<string, Promise<SummaryAnswer>>>();

async function lookUpSummary(
  deps: SummariesDeps,
  teamId: string,
  length: SummaryLength,
  requestedBy: string,
  waitMs: number,
  generation: number,
): Promise<SummaryAnswer> {
  const team = deps.teams.require(teamId);
  const { prisma, queue, summaryMemo } = deps;
  // Both reads at once: the newest stored summary is nearly always the current one.
  const [input, latest] = await Promise.all([loadTeamSummaryInput(prisma, team, length), latestSummary(prisma, teamId, length)]);
  if (input.kind === 'empty') return emptySummary(deps, teamId, length);
  if (latest?.inputVersion === input.inputVersion) {
    const fresh = toSummaryDto(latest, false);
    summaryMemo.set(teamId, length, fresh, generation);
    return fresh;
  }

  if (latest) {
    // An older input regenerated last, or a job that stored the current one since `latest` was read.
    const current = await summaryOfInput(prisma, teamId, length, input.inputVersion);
    if (current) return toSummaryDto(current, false);
  }

  const jobId = summaryJobKey(teamId, length, input.inputVersion);
  const previous = await queue.getJob(jobIdFor(summaryJob.name, jobId));
  const holdMs = previous?.state === 'failed' ? failedJobHoldMs(previous, deps.summaries.health(), Date.now()) : 0;
  if (previous && holdMs > 0) {
    if (latest) return toSummaryDto(latest, true);
    throw summaryFailure(previous, holdMs);
  }
  // Enqueueing the id of a failed job runs it again.
  const { id } = await queue.enqueue(summaryJob, { teamId, length, force: false }, { jobId, requestedBy });
  if (latest) return toSummaryDto(latest, true);

  const job = await queue.waitForJob(id, { timeoutMs: waitMs });
  if (job?.state === 'failed') throw summaryFailure(job, Math.max(1_000, failedJobHoldMs(job, deps.summaries.health(), Date.now())));
  if (job?.state !== 'completed') return { status: 'pending', jobId: id };
  const outcome = summaryJob.result.safeParse(job.result);
  if (outcome.success && outcome.data.status === 'empty') return emptySummary(deps, teamId, length);
  // The job stores the summary of the input it read when it ran, which newer news may have
  // changed since this request read it: what it made is at least as fresh as what was asked for.
  const made = outcome.success && outcome.data.summaryId ? await readSummary(prisma, outcome.data.summaryId) : null;
  if (made) return toSummaryDto(made, false);
  // Its summary is gone (deleted since), and the finished job keeps its id for a day: ask again
  // under an id of its own, still one per finished job, so concurrent callers share the rerun.
  const rerun = await queue.enqueue(
    summaryJob,
    { teamId, length, force: false },
    { jobId: `${jobId}.after-${String(job.finishedAt?.getTime() ?? 0)}`, requestedBy },
  );
  return { status: 'pending', jobId: rerun.id };
}

/** Explicit refreshes each user may ask for per minute. */
export const REFRESHES_PER_MINUTE = 5;

/** Forces a regeneration of the current input version; one job per call, 5 per minute per user. */
export async function refreshTeamSummary(
  deps: Pick<SummariesDeps, 'teams' | 'queue'> & { rateLimiter: RateLimiter },
  teamId: string,
  length: SummaryLength,
  requestedBy: string,
): Promise<{ status: 'pending'; jobId: string }> {
  deps.teams.require(teamId);
  const decision = await deps.rateLimiter.consume(`summary-refresh:${requestedBy}`, REFRESHES_PER_MINUTE);
  if (!decision.allowed) {
    throw new AppError('TOO_MANY_REQUESTS', errorMessages.TOO_MANY_REQUESTS, { retryAfterSeconds: decision.retryAfterSeconds });
  }
  const { id } = await deps.queue.enqueue(summaryJob, { teamId, length, force: true }, { requestedBy });
  return { status: 'pending', jobId: id };
}

/** Reads of a summary row in flight, per database: every request waiting on a job needs the same row. */
const summaryReads = new WeakMap<PrismaClient, Map<string, Promise<Summary | null>>>();

/** One query for the many requests that a finished job answers at the same moment. */
function readSummary(prisma: PrismaClient, id: string): Promise<Summary | null> {
  const reads = summaryReads.get(prisma) ?? new Map<string, Promise<Summary | null>>();
  summaryReads.set(prisma, reads);
  const inFlight = reads.get(id);
  if (inFlight) return inFlight;
  const read = findSummary(prisma, id).finally(() => reads.delete(id));
  reads.set(id, read);
  return read;
}

function emptySummary(deps: Pick<SummariesDeps, 'summaries'>, teamId: string, length: SummaryLength): SummaryDto {
  const health = deps.summaries.health();
  return {
    teamId,
    length,
    status: 'empty',
    text: '',
    bullets: [],
    articleIds: [],
    provider: health.provider,
    model: health.model,
    generatedAt: null,
    stale: false,
  };
}
