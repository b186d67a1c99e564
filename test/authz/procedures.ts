import { appRouter } from '@pressbox/server';

/** What the access table reads off each procedure of the router. */
export interface ProcedureEntry {
  /** Dotted tRPC path, e.g. `sources.delete`. */
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  access: unknown;
  rest: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string } | undefined;
  /** Field names of the procedure's input objects. */
  inputFields: string[];
}

interface ProcedureDef {
  _def: {
    procedure?: boolean;
    type: ProcedureEntry['type'];
    meta?: { access?: unknown; openapi?: { method: string; path: string } };
    inputs?: unknown[];
  };
}

function fieldsOf(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || !('shape' in input)) return [];
  const shape = input.shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}

/** Every procedure of `appRouter`, read from the router itself so a new one is listed at once. */
export function allProcedures(): ProcedureEntry[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procedures)
    .filter(([, procedure]) => procedure._def.procedure === true)
    .map(([path, procedure]) => {
      const meta = procedure._def.meta;
      const openapi = meta?.openapi;
      return {
        path,
        type: procedure._def.type,
        access: meta?.access,
        rest: openapi ? { method: openapi.method as NonNullable<ProcedureEntry['rest']>['method'], path: openapi.path } : undefined,
        inputFields: (procedure._def.inputs ?? []).flatMap(fieldsOf),
      };
    });
}

/** Path parameter names of a REST path such as `/sources/{sourceId}`. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
}

/** A REST path with its parameters filled in. */
export function fillPath(path: string, values: Readonly<Record<string, string>>): string {
  return path.replace(/\{(\w+)\}/g, (_whole, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

/** Values that look real for each path parameter the API knows; anything new gets a plain word. */
export function plausibleParameters(overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { teamId: 'nba-bos', sourceId: '0196a1d2-0000-7000-8000-000000000000', jobId: 'summary.nba-bos.MEDIUM.x', ...overrides };
}

/**
 * The request of a procedure over REST: path parameters in the path, the rest of `input` in the
 * query string for GET and DELETE, else as the JSON body.
 */
export function restRequest(
  rest: NonNullable<ProcedureEntry['rest']>,
  input: Readonly<Record<string, unknown>>,
): { path: string; init: RequestInit } {
  const parameters = new Set(pathParameters(rest.path));
  const values = Object.fromEntries(
    Object.entries(input)
      .filter(([name]) => parameters.has(name))
      .map(([name, value]) => [name, String(value)]),
  );
  const others = Object.fromEntries(Object.entries(input).filter(([name]) => !parameters.has(name)));
  const path = `/api/v1${fillPath(rest.path, values)}`;
  if (rest.method === 'GET' || rest.method === 'DELETE') {
    const query = new URLSearchParams(Object.entries(others).map(([name, value]): [string, string] => [name, String(value)])).toString();
    return { path: query === '' ? path : `${path}?${query}`, init: { method: rest.method } };
  }
  return { path, init: { method: rest.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(others) } };
}

/** The request of a query or mutation over tRPC's HTTP transport (no batching). */
export function trpcRequest(procedure: ProcedureEntry, input: unknown): { path: string; init: RequestInit } {
  if (procedure.type === 'query') {
    return { path: `/trpc/${procedure.path}?input=${encodeURIComponent(JSON.stringify(input))}`, init: { method: 'GET' } };
  }
  return {
    path: `/trpc/${procedure.path}`,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) },
  };
}
