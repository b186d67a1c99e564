import { getTRPCErrorFromUnknown, getTRPCErrorShape, type AnyTRPCRouter, type TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Request, RequestHandler, Response } from 'express';
import type { Services } from '../services/container.ts';
import type { Context } from '../trpc/context.ts';
import { httpContextFactory } from '../trpc/create-context.ts';
import { isAsyncIterable } from '../trpc/procedures.ts';
import { queryOf } from './query-string.ts';

interface CallableProcedure {
  (options: {
    path: string;
    getRawInput: () => Promise<unknown>;
    ctx: Context;
    type: 'query';
    signal: undefined;
    batchIndex: number;
  }): Promise<unknown>;
  _def: { type: string };
}

/** The input of a single GET call (`?input=<json>`), or `invalid` when tRPC's handler should answer instead. */
function inputOf(url: string): { input: unknown } | 'invalid' {
  const search = new URLSearchParams(queryOf(url));
  if (search.has('batch')) return 'invalid';
  const text = search.get('input');
  if (text === null) return { input: undefined };
  try {
    return { input: JSON.parse(text) as unknown };
  } catch {
    return 'invalid';
  }
}

/**
 * One tRPC query over GET (`/trpc/<path>?input=<json>`, as `httpLink` and hand-written calls send
 * it), answered the way tRPC's handler answers it — `{ result: { data } }`, or `{ error }` shaped
 * by the router's error formatter with its HTTP status — through the same procedure, middlewares
 * and schemas, but without tRPC's Fetch adapter, which builds a `Request`, a `Response` and a body
 * stream around every call. Everything else (batches, streams, mutations, subscriptions, an input
 * that is not JSON, an unknown path) goes on to tRPC's handler.
 */
export function trpcSingleQueries(
  router: AnyTRPCRouter,
  services: Services,
  onError: (failure: { error: TRPCError; path: string }) => void,
): RequestHandler {
  const createContext = httpContextFactory(services, 'trpc');
  const procedures = router._def.procedures as Record<string, CallableProcedure | undefined>;
  const config = router._def._config as Parameters<typeof getTRPCErrorShape>[0]['config'];

  async function answer(req: Request, res: Response, path: string, procedure: CallableProcedure, input: unknown): Promise<void> {
    let ctx: Context | undefined;
    let body: unknown;
    let status = 200;
    try {
      ctx = await createContext({ req, res });
      const data = await procedure({
        path,
        getRawInput: () => Promise.resolve(input),
        ctx,
        type: 'query',
        signal: undefined,
        batchIndex: 0,
      });
      if (isAsyncIterable(data)) throw new Error('a query answered with a stream');
      body = { result: { data } };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      onError({ error, path });
      const shape: unknown = getTRPCErrorShape({ config, ctx, error, input, path, type: 'query' });
      body = { error: shape };
      status = getHTTPStatusCodeFromError(error);
    }
    res.statusCode = status;
    res.vary('trpc-accept');
    res.vary('accept');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  }

  return function singleTrpcQuery(req, res, next): void {
    if (req.method !== 'GET' || req.headers['trpc-accept'] !== undefined) {
      next();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(req.path.slice(1));
    } catch {
      next();
      return;
    }
    const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    const call = procedure?._def.type === 'query' ? inputOf(req.originalUrl) : 'invalid';
    if (!procedure || call === 'invalid') {
      next();
      return;
    }
    void answer(req, res, path, procedure, call.input);
  };
}
