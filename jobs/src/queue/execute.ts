import { errorLogFields } from '@pressbox/db';
import type { z } from 'zod';
import { describeIssues, InvalidJobPayloadError, JobTimeoutError, NonRetryableError, safeErrorMessage, schemaIssues } from './errors.ts';
import type { JobContext, JobDefinition, JobProcessor, JobProgress, JobQueueLogger } from './interface.ts';
import { retryThroughOutages } from './outage-wait.ts';

/** What an implementation gives the executor about the attempt it is running. */
export interface AttemptContext {
  jobId: string;
  attempt: number;
  /** Set when the backend itself cancels the job (BullMQ worker cancellation). */
  signal?: AbortSignal;
  updateProgress(progress: JobProgress): Promise<void>;
  log(message: string): Promise<void>;
}

/** Runs one attempt of a job from its stored payload; resolves with the JSON-safe result. */
export type JobExecutor = (storedPayload: unknown, attempt: AttemptContext) => Promise<unknown>;

/**
 * Checks a payload before it is enqueued and returns the copy to store: the caller's input as it
 * comes back from JSON, so both implementations hand workers exactly what BullMQ would.
 *
 * @throws InvalidJobPayloadError when the payload, or its JSON copy, does not match the schema.
 */
export function preparePayload(definition: JobDefinition, payload: unknown): unknown {
  const checked = definition.payload.safeParse(payload);
  if (!checked.success) throw new InvalidJobPayloadError(definition.name, schemaIssues(checked.error));
  let stored: unknown;
  try {
    stored = toJsonValue(payload);
  } catch (error) {
    throw new InvalidJobPayloadError(
      definition.name,
      [{ path: '', message: error instanceof Error ? error.message : 'not serializable' }],
      'cannot be stored as JSON',
    );
  }
  const reread = definition.payload.safeParse(stored);
  if (!reread.success) throw new InvalidJobPayloadError(definition.name, schemaIssues(reread.error), 'does not survive JSON serialization');
  return stored;
}

/**
 * Wraps a processor with the checks every attempt gets, in both implementations: the stored
 * payload is validated again (a mismatch is not retried), `timeoutMs` aborts `ctx.signal` and
 * fails the attempt, and the result must match the result schema (a mismatch is not retried).
 * A processor that fails because the database is unreachable runs again within the attempt once it
 * is back (`retryThroughOutages`).
 * Every attempt is logged: its start, and its outcome with the duration — completed, failed with
 * a retry to come, or failed for good — with the error's cause, which callers never see.
 */
export function createJobExecutor<P extends z.ZodType, R extends z.ZodType>(
  definition: JobDefinition<P, R>,
  processor: JobProcessor<P, R>,
  logger: JobQueueLogger,
): JobExecutor {
  const runAttempt = attemptRunner(definition, processor);
  return async function executeJob(storedPayload, attempt) {
    const fields = { jobId: attempt.jobId, job: definition.name, attempt: attempt.attempt, attempts: definition.attempts };
    const started = performance.now();
    logger.info(fields, 'job started');
    try {
      const result = await runAttempt(storedPayload, attempt);
      logger.info({ ...fields, durationMs: Math.round(performance.now() - started) }, 'job completed');
      return result;
    } catch (error) {
      const retries = !(error instanceof NonRetryableError) && attempt.attempt < definition.attempts;
      const details = {
        ...fields,
        durationMs: Math.round(performance.now() - started),
        error: safeErrorMessage(error),
        err: errorLogFields(error),
      };
      if (retries) logger.warn(details, 'job attempt failed; it will be retried');
      else logger.error(details, 'job failed');
      throw error;
    }
  };
}

function attemptRunner<P extends z.ZodType, R extends z.ZodType>(
  definition: JobDefinition<P, R>,
  processor: JobProcessor<P, R>,
): JobExecutor {
  return async function runAttempt(storedPayload, attempt) {
    const payload = definition.payload.safeParse(storedPayload);
    if (!payload.success) {
      throw new NonRetryableError(`Stored payload no longer matches the "${definition.name}" job schema (${issuesOf(payload.error)})`);
    }
    const controller = new AbortController();
    const forwardAbort = () => {
      controller.abort(attempt.signal?.reason);
    };
    attempt.signal?.addEventListener('abort', forwardAbort, { once: true });
    const context: JobContext = {
      jobId: attempt.jobId,
      attempt: attempt.attempt,
      signal: controller.signal,
      updateProgress: (progress) => attempt.updateProgress(toProgress(progress)),
      log: (message) => attempt.log(message),
    };
    try {
      const run = () => processor(payload.data, context);
      const returned = await withTimeout(() => retryThroughOutages(run, controller.signal), definition.timeoutMs, controller);
      const result = definition.result.safeParse(returned);
      if (!result.success) {
        throw new NonRetryableError(
          `The "${definition.name}" job returned a result that does not match its schema (${issuesOf(result.error)})`,
        );
      }
      return toJsonValue(result.data);
    } finally {
      attempt.signal?.removeEventListener('abort', forwardAbort);
    }
  };
}

/** A JSON round trip, with undefined (a processor that returns nothing) stored as null. */
export function toJsonValue(value: unknown): unknown {
  // JSON.stringify gives undefined for undefined and functions, which its typings omit.
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** Progress as stored: a finite number or a plain JSON object; anything else reads as 0. */
export function toProgress(value: unknown): JobProgress {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const copy = toJsonValue(value);
    if (typeof copy === 'object' && copy !== null && !Array.isArray(copy)) return copy as { readonly [key: string]: unknown };
  }
  return 0;
}

async function withTimeout<T>(run: () => Promise<T>, timeoutMs: number | undefined, controller: AbortController): Promise<T> {
  const work = (async () => run())();
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new JobTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  // A processor that ignores its signal keeps running after the timeout; its late failure must
  // not surface as an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function issuesOf(error: z.ZodError): string {
  return describeIssues(schemaIssues(error));
}
