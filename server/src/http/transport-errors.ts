import type { ErrorCode } from '@pressbox/db';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { Request, Response } from 'express';
import { currentRequest } from '../request-context.ts';
import { errorMessages, errorStatus, type ErrorBody } from '../schemas/error.ts';
import { queryOf } from './query-string.ts';

/** The procedure paths a `/trpc` URL path names (`/a,b` with `batch=1` is two calls), or `[]`. */
export function trpcCallPaths(urlPath: string, batch: boolean): string[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.replace(/^\/+/, ''));
  } catch {
    return [];
  }
  if (decoded === '') return [];
  return batch ? decoded.split(',') : [decoded];
}

/** Whether a request's query string asks for a tRPC batch (`batch=1`). */
export function isBatchQuery(search: string): boolean {
  return new URLSearchParams(search).get('batch') === '1';
}

function trpcNumericCode(code: ErrorCode): number {
  const key = code in TRPC_ERROR_CODES_BY_KEY ? (code as keyof typeof TRPC_ERROR_CODES_BY_KEY) : 'BAD_REQUEST';
  return TRPC_ERROR_CODES_BY_KEY[key];
}

/**
 * An error as `/trpc` answers it: tRPC's envelope, with the documented fields in `data`; one
 * envelope per call of a batch, as tRPC itself answers a batch.
 */
export function trpcErrorJson(body: ErrorBody, call: { paths: readonly string[]; batch: boolean }): string {
  const envelope = (path: string | undefined) => ({
    error: {
      code: trpcNumericCode(body.code),
      message: body.message,
      data: { ...body, httpStatus: errorStatus[body.code], ...(path === undefined ? {} : { path }) },
    },
  });
  if (!call.batch) return JSON.stringify(envelope(call.paths[0]));
  return JSON.stringify((call.paths.length > 0 ? call.paths : [undefined]).map(envelope));
}

/**
 * Answers a request refused before it reached a procedure (a limit, a body that cannot be read),
 * in the shape of the transport serving it: the documented body on REST, tRPC's envelope on /trpc.
 */
export function sendTransportError(req: Request, res: Response, code: ErrorCode, message = errorMessages[code]): void {
  const context = currentRequest();
  const body: ErrorBody = { code, message, requestId: context?.requestId ?? String(res.locals.requestId ?? 'unknown') };
  const search = queryOf(req.originalUrl);
  const json =
    context?.transport === 'trpc'
      ? trpcErrorJson(body, { paths: trpcCallPaths(req.path, isBatchQuery(search)), batch: isBatchQuery(search) })
      : JSON.stringify(body);
  res.status(errorStatus[code]).type('application/json').send(json);
}
