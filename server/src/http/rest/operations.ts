import type { AnyTRPCRouter } from '@trpc/server';
import type { Meta } from '../../trpc/meta.ts';

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Turns one query-string or path value into the typed value the procedure's schema expects. */
type ParameterReader = (value: string) => unknown;

/** One REST operation: the procedure it calls and how its request becomes that procedure's input. */
export interface RestOperation {
  method: RestMethod;
  /** The documented path, e.g. `/teams/{teamId}/news`. */
  path: string;
  /** The path's segments; `{name}` segments take a value. */
  segments: readonly string[];
  /** The names of the path's `{name}` segments, in order. */
  pathParameters: readonly string[];
  /** Dotted tRPC path of the procedure. */
  procedure: string;
  type: 'query' | 'mutation';
  meta: Meta;
  /** True when the operation documents a JSON request body (some input field is not in the path). */
  takesBody: boolean;
  /** Readers of the path and (for GET and DELETE) query parameters, by field name. */
  readers: ReadonlyMap<string, ParameterReader>;
}

interface ZodLike {
  _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown; out?: unknown; shape?: Record<string, unknown> } };
}

/** The Zod type name under optional/default/nullable wrappers and pipes (their input side). */
function baseType(schema: unknown): string | undefined {
  let current = schema as ZodLike | undefined;
  for (let depth = 0; depth < 20 && current?._zod?.def; depth++) {
    const def = current._zod.def;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable' || def.type === 'readonly')
      current = def.innerType as ZodLike;
    else if (def.type === 'pipe') current = def.in as ZodLike;
    else return def.type;
  }
  return undefined;
}

/** Decimal notation only (no hex, no `Infinity`, no blanks): what a person writes in a query string. */
function isDecimal(value: string): boolean {
  return /^[0-9eE.+-]+$/.test(value) && Number.isFinite(Number(value));
}

/**
 * Query strings only carry text. Numbers, booleans (`true`/`false`, nothing else), big integers
 * and dates are read from their text here; anything else stays a string, so the procedure's own
 * schema refuses it with the same issue tRPC callers get for a string.
 */
function readerFor(type: string | undefined): ParameterReader {
  switch (type) {
    case 'number':
      return (value) => (isDecimal(value) ? Number(value) : value);
    case 'boolean':
      return (value) => (value === 'true' ? true : value === 'false' ? false : value);
    case 'bigint':
      return (value) => (/^[+-]?\d+$/.test(value) ? BigInt(value) : value);
    case 'date':
      return (value) => (Number.isNaN(Date.parse(value)) ? value : new Date(value));
    default:
      return (value) => value;
  }
}

function inputShape(procedure: { _def: { inputs?: unknown[] } }): Record<string, unknown> {
  const shapes = (procedure._def.inputs ?? []).map((input) => {
    const def = (input as ZodLike)._zod?.def;
    return def?.type === 'object' && def.shape ? def.shape : {};
  });
  return Object.assign({}, ...shapes) as Record<string, unknown>;
}

export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
}

/** A request path split as `matchPath` takes it (one trailing slash ignored). */
export function pathParts(path: string): string[] {
  return (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
}

/** The path values of a request path (see `pathParts`) when it is an instance of the operation's path (literal segments ignore case). */
export function matchPath(segments: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const values: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index] ?? '';
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (part === '') return undefined;
      values[segment.slice(1, -1)] = part;
    } else if (segment.toLowerCase() !== part.toLowerCase()) return undefined;
  }
  return values;
}

/**
 * The REST operations of a router, read once at start from each procedure's `meta.openapi`. The
 * procedures' schemas are only read, never changed: REST and tRPC validate with the same ones.
 */
export function restOperations(router: AnyTRPCRouter): RestOperation[] {
  const procedures = router._def.procedures as Record<
    string,
    { _def: { procedure?: boolean; type: string; meta?: Meta; inputs?: unknown[] } }
  >;
  return Object.entries(procedures).flatMap(([name, procedure]) => {
    const openapi = procedure._def.meta?.openapi;
    const type = procedure._def.type;
    if (!procedure._def.procedure || !openapi || openapi.enabled === false || (type !== 'query' && type !== 'mutation')) return [];
    const method = openapi.method;
    const shape = inputShape(procedure);
    const inPath = new Set(pathParameters(openapi.path));
    const inQuery = method === 'GET' || method === 'DELETE';
    const readers = new Map(
      Object.entries(shape)
        .filter(([field]) => inQuery || inPath.has(field))
        .map(([field, schema]) => [field, readerFor(baseType(schema))]),
    );
    const takesBody = !inQuery && Object.keys(shape).some((field) => !inPath.has(field));
    const meta = procedure._def.meta ?? {};
    return [
      {
        method,
        path: openapi.path,
        segments: openapi.path.split('/'),
        pathParameters: pathParameters(openapi.path),
        procedure: name,
        type,
        meta,
        takesBody,
        readers,
      },
    ];
  });
}
