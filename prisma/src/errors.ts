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
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/**
 * An expected failure with a message safe to show to the caller. Anything that is not an
 * AppError reaches clients as INTERNAL_SERVER_ERROR with a generic message.
 *
 * @example
 * throw new AppError('NOT_FOUND', `No team with id ${id}`);
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
