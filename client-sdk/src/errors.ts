import type { components } from './generated/schema.ts';

export type ErrorBody = components['schemas']['Error'];

/** Failures that never reached an answer from the API. */
export type TransportErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'ABORTED';

export type PressboxErrorCode = ErrorBody['code'] | TransportErrorCode;

const codeByStatus: Record<number, ErrorBody['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  502: 'SERVICE_UNAVAILABLE',
  503: 'SERVICE_UNAVAILABLE',
  504: 'SERVICE_UNAVAILABLE',
};

/**
 * Every failure of a Pressbox call: an error answer of the API (with its stable `code`, the
 * `requestId` to quote to support, and validation `issues`), or a transport failure (`status` 0
 * and code `NETWORK_ERROR`, `TIMEOUT` or `ABORTED`).
 */
export class PressboxError extends Error {
  override name = 'PressboxError';
  readonly status: number;
  readonly code: PressboxErrorCode;
  readonly requestId: string | undefined;
  readonly issues: ErrorBody['issues'];
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: Partial<ErrorBody>, retryAfter?: string | null) {
    super(body.message ?? `Request failed with status ${String(status)}`);
    this.status = status;
    this.code = body.code ?? codeByStatus[status] ?? 'INTERNAL_SERVER_ERROR';
    this.requestId = body.requestId;
    this.issues = body.issues;
    const seconds = retryAfter ? retryAfterMs(retryAfter, Date.now()) : undefined;
    this.retryAfterSeconds = seconds === undefined ? undefined : Math.ceil(seconds / 1000);
  }

  /** A call that got no answer: the network failed, it timed out, or the caller aborted it. */
  static transport(code: TransportErrorCode, message: string, cause: unknown): PressboxError {
    const error = new PressboxError(0, { message });
    Object.defineProperty(error, 'code', { value: code });
    Object.defineProperty(error, 'cause', { value: cause });
    return error;
  }
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds from `now`; undefined when unreadable. */
export function retryAfterMs(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
