import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
  startedAt: number;
  /** Which protocol is serving the request; decides the shape of error bodies. */
  transport?: 'rest' | 'trpc' | 'ws';
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` inside a request context, as the HTTP middleware and the WebSocket handler do. */
export function runWithRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

const incomingId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Picks the caller's `x-request-id` when it is well-formed, else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && incomingId.test(value) ? value : randomUUID();
}
