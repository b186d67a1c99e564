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
}

/** A payload that does not match its job's schema; thrown by `enqueue`, nothing is enqueued. */
export class InvalidJobPayloadError extends Error {
  override name = 'InvalidJobPayloadError';
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

/**
 * The message stored on a failed job: the thrown error's own message on one line, truncated.
 * Stacks and causes are never kept, because API callers read this text.
 *
 * @example
 * safeErrorMessage(new Error('Feed answered 503')); // 'Feed answered 503'
 */
export function safeErrorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const oneLine = raw.replace(/\s+/g, ' ').trim();
  if (oneLine === '') return 'Job failed';
  return oneLine.length > maxJobErrorLength ? `${oneLine.slice(0, maxJobErrorLength - 1)}…` : oneLine;
}
