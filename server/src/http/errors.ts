import type { ErrorCode } from '@pressbox/db';
import type { NextFunction, Request, Response } from 'express';
import { asOutageError } from '../infra/outages/index.ts';
import type { Logger } from '../logger.ts';
import { errorMessages, errorStatus, type ErrorBody } from '../schemas/error.ts';
import { currentRequest } from '../request-context.ts';

/** Writes an error in the documented shape. */
export function sendError(res: Response, code: ErrorCode, message = errorMessages[code], extra: Partial<ErrorBody> = {}): void {
  const body: ErrorBody = { code, message, requestId: currentRequest()?.requestId ?? String(res.locals.requestId ?? 'unknown'), ...extra };
  res.status(errorStatus[code]).type('application/json').send(JSON.stringify(body));
}

/** Any route nobody answered: a JSON 404, never Express' HTML page. */
export function notFound() {
  return function notFoundHandler(req: Request, res: Response): void {
    sendError(res, 'NOT_FOUND', `No route for ${req.method} ${req.path}`);
  };
}

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/**
 * The last word on errors outside tRPC: body-parser failures get their precise 4xx code, anything
 * else is logged and answered 500 without details.
 */
export function errorHandler(log: Logger) {
  return function handleError(error: unknown, _req: Request, res: Response, next: NextFunction): void {
    if (res.headersSent) {
      next(error);
      return;
    }
    const outage = asOutageError(error);
    if (outage) {
      res.setHeader('Retry-After', String(outage.retryAfterSeconds ?? 1));
      sendError(res, 'SERVICE_UNAVAILABLE', outage.publicMessage);
      return;
    }
    const httpish = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
    const status = httpish.status ?? httpish.statusCode ?? 500;
    if (httpish.type === 'entity.too.large' || status === 413) {
      sendError(res, 'PAYLOAD_TOO_LARGE');
    } else if (httpish.type === 'entity.parse.failed') {
      sendError(res, 'BAD_REQUEST', 'The request body is not valid JSON');
    } else if (httpish.type === 'encoding.unsupported' || httpish.type === 'charset.unsupported' || status === 415) {
      sendError(res, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content encoding or charset');
    } else if (status >= 400 && status < 500) {
      const code = (Object.keys(errorStatus) as ErrorCode[]).find((candidate) => errorStatus[candidate] === status);
      sendError(res, code ?? 'BAD_REQUEST');
    } else {
      log.error({ err: summarize(error) }, 'unhandled error');
      sendError(res, 'INTERNAL_SERVER_ERROR');
    }
  };
}

/** What goes in the log for an unexpected error: its kind and message; the stack only at debug. */
export function summarize(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return { type: error.name, message: error.message, ...(process.env.LOG_LEVEL === 'debug' ? { stack: error.stack } : {}) };
}
