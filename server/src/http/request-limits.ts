import type { IncomingMessage } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { RequestLimits } from '../config.ts';
import { exceedsJsonDepth } from './json-depth.ts';
import { isBatchQuery, sendTransportError, trpcCallPaths } from './transport-errors.ts';
import { queryOf } from './query-string.ts';

/** Raised while reading a body whose JSON nests deeper than allowed; answered 400 before it is parsed. */
class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
}

function rejectDeepJson(maxDepth: number) {
  return function verifyJsonDepth(_req: unknown, _res: unknown, body: Buffer): void {
    if (exceedsJsonDepth(body, maxDepth)) throw new JsonTooDeepError(`JSON nested deeper than ${String(maxDepth)}`);
  };
}

const tooDeepMessage = (limits: RequestLimits) => `JSON may nest arrays and objects ${String(limits.jsonDepth)} levels deep at most`;

/** Errors of reading a body, in the shape of the transport; the rest go on to the app's error handler. */
function bodyErrors(limits: RequestLimits): ErrorRequestHandler {
  return function answerBodyError(error: unknown, req, res, next): void {
    const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
    if (res.headersSent) next(error);
    else if (type === 'entity.too.deep') sendTransportError(req, res, 'BAD_REQUEST', tooDeepMessage(limits));
    else if (type === 'entity.too.large') sendTransportError(req, res, 'PAYLOAD_TOO_LARGE');
    else if (type === 'charset.unsupported' || type === 'encoding.unsupported')
      sendTransportError(req, res, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content encoding or charset');
    else next(error);
  };
}

/**
 * A JSON body parser for REST, refusing unread a body that nests past the limit, with its errors
 * answered in the documented shape. `type` says which requests carry a body to read.
 */
export function restJsonBody(
  limits: RequestLimits,
  maxBodyBytes: number,
  type: (req: IncomingMessage) => boolean,
): (RequestHandler | ErrorRequestHandler)[] {
  const parse = express.json({ limit: maxBodyBytes, strict: false, type, verify: rejectDeepJson(limits.jsonDepth) });
  // The parser's own checks cost every request; most (every GET) carry no body to read.
  const parseWhenBody: RequestHandler = function parseJsonBody(req, res, next) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Express's request is the IncomingMessage the parser reads
    if (type(req)) parse(req, res, next);
    else next();
  };
  return [parseWhenBody, bodyErrors(limits)];
}

const isJsonBody = (req: { headers: { 'content-type'?: string | undefined } }) =>
  req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';

/**
 * In front of tRPC over HTTP: at most `batchCalls` calls per batch, no subscriptions (they are
 * served over WebSocket only, where authentication, expiry, caps and resumption hold), and the
 * JSON nesting limit on `input` and on bodies, which are handed to tRPC as text.
 */
export function trpcRequestLimits(
  limits: RequestLimits,
  maxBodyBytes: number,
  subscriptions: ReadonlySet<string>,
): (RequestHandler | ErrorRequestHandler)[] {
  const refuseOverLimitCalls: RequestHandler = function refuseOverLimitCalls(req, res, next) {
    const search = queryOf(req.originalUrl);
    const batch = isBatchQuery(search);
    const paths = trpcCallPaths(req.path, batch);
    const subscription = paths.find((path) => subscriptions.has(path));
    const input = new URLSearchParams(search).get('input');
    if (batch && paths.length > limits.batchCalls) {
      sendTransportError(
        req,
        res,
        'BAD_REQUEST',
        `A batch may hold ${String(limits.batchCalls)} calls at most; this one has ${String(paths.length)}`,
      );
    } else if (subscription !== undefined) {
      sendTransportError(req, res, 'BAD_REQUEST', `${subscription} is a subscription: subscribe over WebSocket at /trpc`);
    } else if (req.method === 'POST' && req.headers['content-type'] !== undefined && !isJsonBody(req)) {
      // tRPC would answer these with a text/plain 415; every procedure here takes JSON.
      sendTransportError(req, res, 'UNSUPPORTED_MEDIA_TYPE');
    } else if (input !== null && exceedsJsonDepth(input, limits.jsonDepth)) {
      sendTransportError(req, res, 'BAD_REQUEST', tooDeepMessage(limits));
    } else {
      next();
    }
  };
  const readBody = express.text({ limit: maxBodyBytes, type: isJsonBody, verify: rejectDeepJson(limits.jsonDepth) });
  return [refuseOverLimitCalls, readBody, bodyErrors(limits)];
}
