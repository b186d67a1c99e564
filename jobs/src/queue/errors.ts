import { publicMessageOf } from '@pressbox/db';
import type { z } from 'zod';

/** Longest error message kept on a failed job (what `GET /jobs/{id}` may show). */
export const maxJobErrorLength = 500;

/**
 * Thrown by a processor to fail the job at once, skipping the remaining attempts: use it when
 * running again cannot help (the team no longer exists, the input is rejected for good).
 *
 * @example
 * if (!team) throw new NonRetryableError(`Team ${payload.teamId} no longer exists`);
 */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
  /** Its message is written for whoever reads the failed job. */
  readonly expose = true;
}

/** A payload that does not match its job's schema; thrown by `enqueue`, nothing is enqueued. */
export class InvalidJobPayloadError extends Error {
  override name = 'InvalidJobPayloadError';
  readonly expose = true;
  constructor(
    readonly jobName: string,
    readonly issues: readonly SchemaIssue[],
    reason = 'does not match its schema',
  ) {
    super(`Invalid payload for job "${jobName}": it ${reason} (${describeIssues(issues)})`);
  }
}

/** The attempt ran longer than the definition's `timeoutMs`; retried like any thrown error. */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
  readonly expose = true;
  constructor(timeoutMs: number) {
    super(`Job timed out after ${timeoutMs} ms`);
  }
}

export interface SchemaIssue {
  path: string;
  message: string;
}

/** Zod's issues with dotted paths, ready to show or to put in an error body. */
export function schemaIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** `path: message; ...` for a short, single-line account of schema issues. */
export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}

/** What a failed job says when its error was not written for callers; the cause is in the log. */
export const internalJobError = 'The job failed because of an internal error';

/**
 * The message stored on a failed job, which `GET /jobs/{id}` shows: the public message of an
 * AppError or of an error written for callers (NonRetryableError, timeouts, summarizer errors), on
 * one line and truncated; anything else (a driver's or a runtime's message) becomes
 * `internalJobError`, and only the log has its text. Stacks and causes are never kept.
 *
 * @example
 * safeErrorMessage(new NonRetryableError('Feed answered 503')); // 'Feed answered 503'
 * safeErrorMessage(new Error('Invalid `prisma.article.create()` invocation')); // internalJobError
 */
export function safeErrorMessage(error: unknown): string {
  return truncated(publicMessageOf(error, internalJobError));
}

/** A failure reason as stored by the queue backend, on one line and bounded. */
export function storedErrorMessage(reason: string | undefined): string {
  const oneLine = (reason ?? '').replace(/\s+/g, ' ').trim();
  return oneLine === '' ? internalJobError : truncated(oneLine);
}

function truncated(text: string): string {
  return text.length > maxJobErrorLength ? `${text.slice(0, maxJobErrorLength - 1)}…` : text;
}
