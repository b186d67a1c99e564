import { generateOpenApiDocument } from 'trpc-to-openapi';
import { createSchema } from 'zod-openapi';
import type { AnyTRPCRouter } from '@trpc/server';
import type { ErrorCode } from '@pressbox/db';
import { errorBodySchema, errorMessages, errorStatus } from '../schemas/error.ts';
import { procedureMetas, type Meta } from '../trpc/meta.ts';

type OpenApiDocument = ReturnType<typeof generateOpenApiDocument>;
type Operation = Record<string, unknown> & {
  responses?: Record<string, unknown>;
  operationId?: string;
  parameters?: unknown;
  requestBody?: unknown;
};

export interface DocumentOptions {
  version: string;
  /** Server URL of the REST API, e.g. `/api/v1` or `https://api.example.com/api/v1`. */
  baseUrl: string;
}

const responseName: Record<ErrorCode, string> = {
  BAD_REQUEST: 'BadRequest',
  UNAUTHORIZED: 'Unauthorized',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'NotFound',
  CONFLICT: 'Conflict',
  PAYLOAD_TOO_LARGE: 'PayloadTooLarge',
  UNSUPPORTED_MEDIA_TYPE: 'UnsupportedMediaType',
  TOO_MANY_REQUESTS: 'TooManyRequests',
  REQUEST_HEADER_FIELDS_TOO_LARGE: 'RequestHeaderFieldsTooLarge',
  INTERNAL_SERVER_ERROR: 'InternalServerError',
  SERVICE_UNAVAILABLE: 'ServiceUnavailable',
};

const retryAfter = {
  description: 'Seconds to wait before retrying',
  schema: { type: 'integer' as const, minimum: 1 },
};

/** The success responses of an operation: 200, or its `successStatus`, and 200 + 202 for deferrable results. */
function successResponses(operation: Operation, meta: Meta | undefined): Record<string, unknown> {
  const success = operation.responses?.['200'] as { content?: Record<string, { schema?: { anyOf?: unknown[] } }> } | undefined;
  const successes: Record<string, unknown> = { [String(meta?.successStatus ?? 200)]: success };
  const branches = success?.content?.['application/json']?.schema?.anyOf;
  if (meta?.deferrable && branches?.length === 2) {
    successes['200'] = { description: 'The result', content: { 'application/json': { schema: branches[0] } } };
    successes['202'] = { description: 'Accepted: a job is making the result', content: { 'application/json': { schema: branches[1] } } };
  }
  return successes;
}

/** The errors an operation can answer: those of every call, of its input, its access level and its `errors` meta. */
function errorCodesOf(path: string, operation: Operation, meta: Meta | undefined): Set<ErrorCode> {
  const codes = new Set<ErrorCode>(['UNAUTHORIZED', 'TOO_MANY_REQUESTS', 'REQUEST_HEADER_FIELDS_TOO_LARGE', 'INTERNAL_SERVER_ERROR']);
  if (operation.parameters ?? operation.requestBody) codes.add('BAD_REQUEST');
  if (path.includes('{')) codes.add('NOT_FOUND');
  if (meta?.access === 'admin') codes.add('FORBIDDEN');
  if (operation.requestBody) {
    codes.add('PAYLOAD_TOO_LARGE');
    codes.add('UNSUPPORTED_MEDIA_TYPE');
  }
  for (const code of meta?.errors ?? []) codes.add(code);
  return codes;
}

const tagDescriptions: Record<string, string> = {
  teams: 'Teams, their dashboards, news, games and summaries',
  me: 'The signed-in user, preferences and follows',
  news: 'News across followed teams',
  games: 'Game results and schedule imports',
  summaries: 'Grounded AI summaries of team news',
  sources: 'Feed sources (admins)',
  jobs: 'Background jobs',
};

/**
 * The REST contract, generated from the tRPC router. trpc-to-openapi documents error bodies that
 * differ from what it sends, so every error response is replaced by a reference to the one
 * `Error` schema that the server really answers with; which errors each operation lists follows
 * from its input, its access level and its `errors` meta.
 */
export function buildOpenApiDocument(router: AnyTRPCRouter, options: DocumentOptions): OpenApiDocument {
  const document = generateOpenApiDocument(router, {
    title: 'Pressbox API',
    version: options.version,
    description:
      'Team news, games, dashboards and AI summaries. Every operation needs `Authorization: Bearer <Clerk session token>`. ' +
      'Errors share one body: `{ code, message, requestId, issues? }`. Lists are paginated with `limit` and an opaque `cursor`.',
    baseUrl: options.baseUrl,
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Clerk session token' } },
    license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    tags: ['teams', 'me', 'news', 'games', 'summaries', 'sources', 'jobs'],
  });

  const errorSchema = createSchema(errorBodySchema);
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  for (const key of Object.keys(schemas)) if (key.startsWith('error.')) Reflect.deleteProperty(schemas, key);
  Object.assign(schemas, errorSchema.components);
  const used = new Set<ErrorCode>();
  const errorResponse = (code: ErrorCode) => {
    used.add(code);
    return { $ref: `#/components/responses/${responseName[code]}` };
  };

  const metaByOperation = new Map<string, Meta>();
  for (const [path, meta] of procedureMetas(router)) {
    if (meta?.openapi) metaByOperation.set(meta.openapi.operationId ?? path.replace(/\./g, '-'), meta);
  }

  document.tags = document.tags?.map((tag) => ({ ...tag, description: tagDescriptions[tag.name] ?? tag.name }));

  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, value] of Object.entries(item as Record<string, Operation>)) {
      const operation = value;
      const meta = operation.operationId ? metaByOperation.get(operation.operationId) : undefined;
      const successes = successResponses(operation, meta);
      const codes = errorCodesOf(path, operation, meta);
      operation.responses = {
        ...successes,
        ...Object.fromEntries(
          [...codes].sort((a, b) => errorStatus[a] - errorStatus[b]).map((code) => [String(errorStatus[code]), errorResponse(code)]),
        ),
      };
      if (method === 'get' || method === 'delete') Reflect.deleteProperty(operation, 'requestBody');
    }
  }
  const usedTags = new Set(
    Object.values(document.paths ?? {}).flatMap((item) =>
      Object.values(item as Record<string, { tags?: string[] }>).flatMap((operation) => operation.tags ?? []),
    ),
  );
  document.tags = document.tags?.filter((tag) => usedTags.has(tag.name));
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, { summary?: string; description?: string }>)) {
      if (!operation.description && operation.summary) operation.description = `${operation.summary}.`;
    }
  }
  withoutSchemaNoise(document);
  components.responses = Object.fromEntries(
    [...used]
      .sort((a, b) => errorStatus[a] - errorStatus[b])
      .map((code) => [
        responseName[code],
        {
          description: errorMessages[code],
          ...(code === 'TOO_MANY_REQUESTS' ? { headers: { 'Retry-After': retryAfter } } : {}),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      ]),
  );
  return document;
}

const safeInteger = Number.MAX_SAFE_INTEGER;

/**
 * Drops what Zod adds that says nothing to a reader: the ±(2^53-1) bounds of every integer and
 * the date-time regex repeated on every `format: date-time` string.
 */
function withoutSchemaNoise(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) withoutSchemaNoise(child);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  if (schema.minimum === -safeInteger) Reflect.deleteProperty(schema, 'minimum');
  if (schema.maximum === safeInteger) Reflect.deleteProperty(schema, 'maximum');
  if (schema.format === 'date-time' && typeof schema.pattern === 'string') Reflect.deleteProperty(schema, 'pattern');
  for (const child of Object.values(schema)) withoutSchemaNoise(child);
}
