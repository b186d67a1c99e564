import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { openapi, operations, type Operation, type Schema } from '../fuzz/requests.ts';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const hostile = 'a\u0000b';

function resolved(schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  return openapi.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
}

const isString = (schema: Schema | undefined): boolean => {
  const node = resolved(schema);
  if (!node) return false;
  if (node.type === 'string' || (Array.isArray(node.type) && node.type.includes('string'))) return node.enum === undefined;
  return [...(node.anyOf ?? []), ...(node.oneOf ?? [])].some(isString);
};

interface Field {
  operation: Operation;
  name: string;
  in: 'path' | 'query' | 'body';
}

/** Every string an operation takes in its path, query or top-level body, from openapi.json. */
const fields: Field[] = operations.flatMap((operation) => [
  ...operation.parameters
    .filter((parameter) => parameter.in !== 'header' && isString(parameter.schema))
    .map((parameter) => ({ operation, name: parameter.name, in: parameter.in as 'path' | 'query' })),
  ...Object.entries(resolved(operation.body)?.properties ?? {})
    .filter(([, schema]) => isString(schema))
    .map(([name]) => ({ operation, name, in: 'body' as const })),
]);

const pathValue = (field: Field, name: string) => (field.in === 'path' && field.name === name ? encodeURIComponent(hostile) : 'nba-bos');

function restRequest(field: Field): { path: string; init: RequestInit } {
  const path = field.operation.path.replace(/\{(\w+)\}/g, (_, name: string) => pathValue(field, name));
  const query = field.in === 'query' ? `?${field.name}=${encodeURIComponent(hostile)}` : '';
  const body = field.operation.method === 'GET' ? undefined : JSON.stringify(field.in === 'body' ? { [field.name]: hostile } : {});
  return {
    path: `/api/v1${path}${query}`,
    init: { method: field.operation.method, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) },
  };
}

function trpcRequest(field: Field): { path: string; init: RequestInit } {
  const input: Record<string, string> = { [field.name]: hostile };
  for (const parameter of field.operation.parameters)
    if (parameter.in === 'path' && parameter.name !== field.name) input[parameter.name] = 'nba-bos';
  const json = JSON.stringify(input);
  const path = `/trpc/${field.operation.procedure}`;
  if (field.operation.method === 'GET') return { path: `${path}?input=${encodeURIComponent(json)}`, init: { method: 'GET' } };
  return { path, init: { method: 'POST', body: json, headers: { 'content-type': 'application/json' } } };
}

describe('a string holding U+0000, in any field of any operation of openapi.json', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { PRESSBOX_ADMIN_USER_IDS: 'nul_admin', RATE_LIMIT_USER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('covers the free-text fields', () => {
    const names = new Set(fields.map((field) => `${field.operation.operationId}.${field.name}`));
    expect(fields.length).toBeGreaterThan(20);
    for (const expected of ['teams-list.q', 'teams-news.q', 'sources-create.name', 'sources-import.opml']) {
      expect(
        [...names].some((name) => name.toLowerCase() === expected.toLowerCase()),
        expected,
      ).toBe(true);
    }
  });

  it('is refused with 400 and an issue at that field over REST and over tRPC, never a 500', async () => {
    const failures: string[] = [];
    for (const field of fields) {
      const rest = restRequest(field);
      const restResponse = await app.fetch(rest.path, { ...rest.init, as: 'nul_admin' });
      const restBody = (await restResponse.json()) as { code?: string; issues?: { path: unknown[]; message: string }[] };
      const restIssue = restBody.issues?.[0];
      if (
        restResponse.status !== 400 ||
        restBody.code !== 'BAD_REQUEST' ||
        restIssue?.message !== NUL_MESSAGE ||
        restIssue.path[0] !== field.name
      )
        failures.push(`REST ${rest.init.method ?? 'GET'} ${rest.path}: ${String(restResponse.status)} ${JSON.stringify(restBody)}`);
      const trpc = trpcRequest(field);
      const trpcResponse = await app.fetch(trpc.path, { ...trpc.init, as: 'nul_admin' });
      const trpcBody = (await trpcResponse.json()) as {
        error?: { data?: { code?: string; issues?: { path: unknown[]; message: string }[] } };
      };
      const trpcIssue = trpcBody.error?.data?.issues?.[0];
      if (
        trpcResponse.status !== 400 ||
        trpcBody.error?.data?.code !== 'BAD_REQUEST' ||
        trpcIssue?.message !== NUL_MESSAGE ||
        trpcIssue.path[0] !== field.name
      )
        failures.push(`tRPC ${trpc.path}: ${String(trpcResponse.status)} ${JSON.stringify(trpcBody)}`);
    }
    expect(failures).toEqual([]);
  });

  it('still answers 401 first without a token, as any input would', async () => {
    const response = await app.fetch(`/api/v1/teams?q=${encodeURIComponent(hostile)}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('is refused in object keys and nested values too', async () => {
    const response = await app.fetch('/api/v1/games/import', {
      method: 'POST',
      as: 'nul_admin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows: [{ externalId: 'g1' }, { [`home\u0000TeamId`]: 'x' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: ['rows', 1], message: NUL_MESSAGE }] });
  });
});
