import { createPressboxClient } from '@pressbox/client';
import type { AppRouter } from '@pressbox/server';
import { createTRPCClient, createWSClient, TRPCClientError, wsLink, type TRPCClient } from '@trpc/client';
import { WebSocket } from 'ws';
import { fillPath, pathParameters, type ProcedureEntry } from '../authz/procedures.ts';

export const transports = ['rest', 'trpc', 'batch', 'ws', 'sdk'] as const;
export type TransportName = (typeof transports)[number];

/** What one call answered: its HTTP status (tRPC's `httpStatus` over WebSocket) and its body. */
export interface Outcome {
  status: number;
  /** The data of a success; the documented error body (`code`, `message`, `requestId`, `issues?`) of a failure. */
  body: unknown;
  /** REST only: the body exactly as sent, to validate against openapi.json. */
  raw?: unknown;
}

export type Call = (procedure: ProcedureEntry, input: Record<string, unknown>, token: string) => Promise<Outcome>;

interface TrpcEnvelope {
  result?: { data: unknown };
  error?: { data: { code: string; message: string; requestId: string; issues?: unknown; httpStatus: number } };
}

function errorBodyOf(data: { code: string; message: string; requestId: string; issues?: unknown }): Record<string, unknown> {
  return {
    code: data.code,
    message: data.message,
    requestId: data.requestId,
    ...(data.issues !== undefined ? { issues: data.issues } : {}),
  };
}

function fromEnvelope(status: number, envelope: TrpcEnvelope | undefined): Outcome {
  if (envelope?.error) return { status: envelope.error.data.httpStatus, body: errorBodyOf(envelope.error.data) };
  return { status, body: envelope?.result?.data };
}

function split(procedure: ProcedureEntry, input: Record<string, unknown>) {
  const names = new Set(pathParameters(procedure.rest?.path ?? ''));
  const path = Object.fromEntries(Object.entries(input).filter(([name]) => names.has(name)));
  const rest = Object.fromEntries(Object.entries(input).filter(([name]) => !names.has(name)));
  return { path, rest };
}

/** REST, by hand: path values in the path, the rest in the query string (GET, DELETE) or the JSON body. */
export function restCall(baseUrl: string): Call {
  return async (procedure, input, token) => {
    const rest = procedure.rest!;
    const parts = split(procedure, input);
    const path = `/api/v1${fillPath(rest.path, Object.fromEntries(Object.entries(parts.path).map(([k, v]) => [k, String(v)])))}`;
    const inQuery = rest.method === 'GET' || rest.method === 'DELETE';
    const query = new URLSearchParams(Object.entries(parts.rest).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const hasBody = !inQuery && Object.keys(parts.rest).length > 0;
    const response = await fetch(`${baseUrl}${path}${inQuery && query ? `?${query}` : ''}`, {
      method: rest.method,
      headers: { authorization: `Bearer ${token}`, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
      ...(hasBody ? { body: JSON.stringify(parts.rest) } : {}),
    });
    const raw: unknown = await response.json();
    return { status: response.status, body: raw, raw };
  };
}

/** tRPC over HTTP, one call per request, as `httpLink` sends it. */
export function trpcCall(baseUrl: string): Call {
  return async (procedure, input, token) => {
    const url = `${baseUrl}/trpc/${procedure.path}`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const response =
      procedure.type === 'query'
        ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
        : await fetch(url, { method: 'POST', headers, body: JSON.stringify(input) });
    return fromEnvelope(response.status, (await response.json()) as TrpcEnvelope);
  };
}

/** tRPC over HTTP inside a batch, as `httpBatchLink` sends it. */
export function batchCall(baseUrl: string): Call {
  return async (procedure, input, token) => {
    const url = `${baseUrl}/trpc/${procedure.path}?batch=1`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const batched = JSON.stringify({ 0: input });
    const response =
      procedure.type === 'query'
        ? await fetch(`${url}&input=${encodeURIComponent(batched)}`, { headers })
        : await fetch(url, { method: 'POST', headers, body: batched });
    const answers = (await response.json()) as TrpcEnvelope[];
    return fromEnvelope(200, answers[0]);
  };
}

/** tRPC over WebSocket (`wsLink`), one connection per token, queries and mutations too. */
export function wsCall(baseUrl: string): Call & { close(): void } {
  const clients = new Map<string, { trpc: TRPCClient<AppRouter>; close(): void }>();
  const clientFor = (token: string) => {
    let client = clients.get(token);
    if (!client) {
      const ws = createWSClient({
        url: `${baseUrl.replace(/^http/, 'ws')}/trpc`,
        WebSocket: WebSocket as unknown as NonNullable<Parameters<typeof createWSClient>[0]['WebSocket']>,
        connectionParams: () => ({ token }),
      });
      client = { trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }), close: () => void ws.close() };
      clients.set(token, client);
    }
    return client.trpc;
  };
  const call: Call = async (procedure, input, token) => {
    const node = procedure.path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], clientFor(token));
    const method = (node as Record<string, (input: unknown) => Promise<unknown>>)[procedure.type === 'query' ? 'query' : 'mutate']!;
    try {
      return { status: 200, body: await method(input) };
    } catch (error) {
      if (!(error instanceof TRPCClientError)) throw error;
      const data = (error as TRPCClientError<AppRouter>).data as unknown as Parameters<typeof errorBodyOf>[0] & { httpStatus: number };
      return { status: data.httpStatus, body: errorBodyOf(data) };
    }
  };
  return Object.assign(call, {
    close: () => {
      for (const client of clients.values()) client.close();
    },
  });
}

type SdkMethod = (path: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** The published SDK (`@pressbox/client`), retries off so every answer is the first one. */
export function sdkCall(baseUrl: string): Call {
  return async (procedure, input, token) => {
    const rest = procedure.rest!;
    const client = createPressboxClient({ baseUrl, token: () => token, retry: false }) as unknown as Record<string, SdkMethod>;
    const parts = split(procedure, input);
    const inQuery = rest.method === 'GET' || rest.method === 'DELETE';
    const hasBody = !inQuery && Object.keys(parts.rest).length > 0;
    const init = {
      params: { path: parts.path, ...(inQuery ? { query: parts.rest } : {}) },
      ...(hasBody ? { body: parts.rest } : {}),
    };
    const { data, error, response } = await client[rest.method]!(rest.path, init);
    return { status: response.status, body: response.ok ? data : error };
  };
}
