import { AppError, errorCodes, type ErrorCode } from '@pressbox/db';
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { ZodError } from 'zod';
import { currentRequest } from '../request-context.ts';
import { errorMessages, type ErrorBody, type Issue } from '../schemas/error.ts';

/** True for the validation failures tRPC raises when input does not match its schema. */
export function isInputValidationError(error: TRPCError): error is TRPCError & { cause: ZodError } {
  return error.code === 'BAD_REQUEST' && error.cause instanceof ZodError;
}

export function toIssues(error: ZodError): Issue[] {
  return error.issues.map((issue) => ({
    code: issue.code,
    path: issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
    message: issue.message,
  }));
}

const known = new Set<string>(errorCodes);

/** Collapses tRPC's wider code set onto the stable codes clients are promised. */
export function publicCode(code: TRPC_ERROR_CODE_KEY): ErrorCode {
  if (known.has(code)) return code as ErrorCode;
  if (code === 'PARSE_ERROR' || code === 'UNPROCESSABLE_CONTENT' || code === 'PRECONDITION_FAILED') return 'BAD_REQUEST';
  if (code === 'METHOD_NOT_SUPPORTED') return 'NOT_FOUND';
  if (code === 'TIMEOUT' || code === 'GATEWAY_TIMEOUT' || code === 'BAD_GATEWAY') return 'SERVICE_UNAVAILABLE';
  return 'INTERNAL_SERVER_ERROR';
}

/**
 * The body clients get for an error: internal messages never leave the process; only
 * messages chosen for the caller (AppError, validation, TRPCError with a 4xx code) do.
 */
export function errorBodyFor(error: TRPCError, fallbackRequestId?: string): ErrorBody {
  const code = publicCode(error.code);
  const requestId = currentRequest()?.requestId ?? fallbackRequestId ?? 'unknown';
  if (isInputValidationError(error)) {
    return { code, message: 'Input validation failed', requestId, issues: toIssues(error.cause) };
  }
  const safe = error.cause instanceof AppError || (code !== 'INTERNAL_SERVER_ERROR' && code !== 'SERVICE_UNAVAILABLE');
  const message = safe && error.message && error.message !== error.code ? error.message : errorMessages[code];
  return { code, message, requestId };
}

/** Turns a domain AppError thrown below tRPC into the TRPCError with the same code and its public message. */
export function fromAppError(error: unknown): TRPCError | undefined {
  if (!(error instanceof AppError)) return undefined;
  // 431 is answered by the HTTP server before any procedure runs; tRPC has no code for it.
  const code = error.code === 'REQUEST_HEADER_FIELDS_TOO_LARGE' ? 'BAD_REQUEST' : error.code;
  return new TRPCError({ code, message: error.publicMessage, cause: error });
}
