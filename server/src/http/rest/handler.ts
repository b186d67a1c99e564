import type { IncomingMessage } from 'node:http';
import { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { TRPCError, callTRPCProcedure, getTRPCErrorFromUnknown, type AnyTRPCRouter } from '@trpc/server';
import type { RequestLimits } from '../../config.ts';
import type { Services } from '../../services/container.ts';
import { restJsonBody } from '../request-limits.ts';
import { errorStatus } from '../../schemas/error.ts';
import { httpContextFactory } from '../../trpc/create-context.ts';
import { errorBodyFor } from '../../trpc/errors.ts';
import { sendError, summarize } from '../errors.ts';
import { matchPath, pathParts, restOperations, type RestOperation } from './operations.ts';
import { queryOf } from '../query-string.ts';

export interface RestOptions {
  maxBodyBytes: number;
  limits: RequestLimits;
}

interface Match {
  operation: RestOperation;
  params: Record<string, string>;
}

/** The operation a method and path call, or the methods the path answers to when none matches. */
function matcher(operations: readonly RestOperation[]) {
  // Only operations with as many segments as the request path can match it.
  const bySegments = new Map<number, RestOperation[]>();
  for (const operation of operations) {
    const same = bySegments.get(operation.segments.length) ?? [];
    same.push(operation);
    bySegments.set(operation.segments.length, same);
  }
  return function match(method: string, path: string): Match | { allow: string[] } {
    const parts = pathParts(path);
    const allow = new Set<string>();
    for (const operation of bySegments.get(parts.length) ?? []) {
      const params = matchPath(operation.segments, parts);
      if (!params) continue;
      if (operation.method === method || (method === 'HEAD' && operation.method === 'GET')) return { operation, params };
      allow.add(operation.method);
      if (operation.method === 'GET') allow.add('HEAD');
    }
    return { allow: [...allow] };
  };
}

/** Path values (percent-decoded) and, for GET and DELETE, query values, read into typed input fields. */
function parametersOf(req: Request, { operation, params }: Match): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const query = operation.method === 'GET' || operation.method === 'DELETE' ? queryOf(req.originalUrl) : undefined;
  if (query) {
    for (const [name, value] of new URLSearchParams(query)) {
      const read = operation.readers.get(name);
      if (!read) continue;
      const typed = read(value);
      const previous = input[name];
      input[name] = previous === undefined ? typed : Array.isArray(previous) ? [...(previous as unknown[]), typed] : [previous, typed];
    }
  }
  for (const name of operation.pathParameters) {
    let value: string;
    try {
      value = decodeURIComponent(params[name] ?? '');
    } catch {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `Path parameter ${name} is not valid percent-encoding` });
    }
    const read = operation.readers.get(name);
    input[name] = read ? read(value) : value;
  }
  return input;
}

function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** The input of a call: its parameters, over the JSON body when the operation takes one. */
function inputOf(req: Request, match: Match): unknown {
  const parameters = parametersOf(req, match);
  if (!match.operation.takesBody) return parameters;
  const body: unknown = hasBody(req) ? req.body : {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...(body as Record<string, unknown>), ...parameters };
}

/** 202 for accepted background work (`successStatus`, or a deferrable result still pending), else 200. */
function successStatus(operation: RestOperation, data: unknown): number {
  if (operation.meta.successStatus) return operation.meta.successStatus;
  const pending = typeof data === 'object' && data !== null && 'status' in data && data.status === 'pending';
  return operation.meta.deferrable && pending ? 202 : 200;
}

/** What Express's `res.type('application/json').send(text)` sends, written directly: it costs every API answer. */
function sendJson(res: Response, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** Calls the operation's procedure as tRPC does: the same middlewares, schemas and errors as over tRPC. */
function caller(router: AnyTRPCRouter, services: Services) {
  const createContext = httpContextFactory(services, 'rest');
  return async function call(req: Request, res: Response, match: Match): Promise<void> {
    const { operation } = match;
    try {
      const input = inputOf(req, match);
      const data: unknown = await callTRPCProcedure({
        router,
        path: operation.procedure,
        getRawInput: () => Promise.resolve(input),
        ctx: await createContext({ req, res }),
        type: operation.type,
        signal: undefined,
        batchIndex: 0,
      });
      sendJson(res, successStatus(operation, data), data);
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      if (error.code === 'INTERNAL_SERVER_ERROR')
        services.log.error({ path: operation.procedure, err: summarize(error.cause ?? error) }, 'procedure failed');
      const body = errorBodyFor(error);
      sendJson(res, errorStatus[body.code], body);
    }
  };
}

/**
 * REST at `/api/v1`, driven by each procedure's `meta.openapi`: path and query values are read into
 * typed inputs (query strings are text; JSON bodies are taken as they are), the procedure is called
 * as over tRPC, and errors get the documented body from the same function tRPC's formatter uses. A
 * known path with a method it does not answer gets 405 and `Allow`; an unknown path falls through
 * to the JSON 404. Operations without a body never read one.
 */
export function restHandlers(router: AnyTRPCRouter, services: Services, options: RestOptions): (RequestHandler | ErrorRequestHandler)[] {
  const match = matcher(restOperations(router));
  const call = caller(router, services);
  const matches = new WeakMap<IncomingMessage, Match>();
  const readsBody = (req: IncomingMessage) => {
    const found = matches.get(req);
    return found !== undefined && found.operation.takesBody && hasBody(req);
  };
  return [
    function matchOperation(req: Request, res: Response, next: NextFunction): void {
      const found = match(req.method, req.path);
      if ('operation' in found) {
        matches.set(req, found);
        if (readsBody(req) && !isJson(req.headers['content-type']))
          sendError(res, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json');
        else next();
      } else if (found.allow.length > 0) {
        res.setHeader('Allow', found.allow.join(', '));
        sendError(res, 'METHOD_NOT_SUPPORTED', `${req.method} is not allowed on ${req.path}`);
      } else next();
    },
    ...restJsonBody(options.limits, options.maxBodyBytes, readsBody),
    function callOperation(req: Request, res: Response, next: NextFunction): void {
      const found = matches.get(req);
      if (found) void call(req, res, found);
      else next();
    },
  ];
}
