/**
 * Stable error codes shared by every layer. They are the upper-case codes clients see in the
 * `code` field of an error body; the HTTP status of each is fixed by the server.
 */
export const errorCodes = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_REQUESTS',
  'REQUEST_HEADER_FIELDS_TOO_LARGE',
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/**
 * An expected failure. `publicMessage` is written for the caller and is all a response, a job's
 * `error` or a source's `lastError` ever shows; `detail` and `cause` are for logs only. Anything
 * that is not an AppError reaches callers as INTERNAL_SERVER_ERROR with a generic message.
 *
 * @example
 * throw new AppError('NOT_FOUND', `No team with id ${id}`);
 * throw new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable', { cause: error, detail: 'connection refused' });
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly publicMessage: string;
  /** For TOO_MANY_REQUESTS and SERVICE_UNAVAILABLE: when to try again (the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    publicMessage: string,
    options?: { cause?: unknown; detail?: string; retryAfterSeconds?: number },
  ) {
    super(options?.detail ? `${publicMessage} (${options.detail})` : publicMessage, { cause: options?.cause });
    this.publicMessage = publicMessage;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** An error class whose own message is written for callers (set `expose = true` on it). */
interface ExposedError extends Error {
  readonly expose: true;
}

function isExposed(error: unknown): error is ExposedError {
  return error instanceof Error && (error as Partial<ExposedError>).expose === true;
}

const MAX_PUBLIC_MESSAGE = 500;

/**
 * What a caller may read of an error: an AppError's public message, the message of an error class
 * marked `expose`, else `fallback`. On one line and bounded.
 *
 * @example
 * publicMessageOf(new AppError('NOT_FOUND', 'No team with id x'), 'Job failed'); // 'No team with id x'
 * publicMessageOf(new TypeError('Cannot read properties of undefined'), 'Job failed'); // 'Job failed'
 */
export function publicMessageOf(error: unknown, fallback: string): string {
  const raw = error instanceof AppError ? error.publicMessage : isExposed(error) ? error.message : fallback;
  const oneLine = raw.replace(/\s+/g, ' ').trim() || fallback;
  return oneLine.length > MAX_PUBLIC_MESSAGE ? `${oneLine.slice(0, MAX_PUBLIC_MESSAGE - 1)}…` : oneLine;
}

/** How an error goes into a log line: its kind, code, message and causes; the stack only when asked. */
export interface ErrorLogFields {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: ErrorLogFields;
}

/**
 * The fields a log line gets for an error, following `cause` a few levels down.
 *
 * @example
 * log.error({ err: errorLogFields(error) }, 'job failed');
 */
export function errorLogFields(error: unknown, options: { stack?: boolean } = {}, depth = 0): ErrorLogFields {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error).slice(0, 2_000) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message.slice(0, 2_000),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(options.stack && error.stack ? { stack: error.stack } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: errorLogFields(error.cause, options, depth + 1) } : {}),
  };
}
