import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

const MAX_DEPTH = 64;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

interface Operation {
  requestBody?: unknown;
}
const document = JSON.parse(readFileSync(new URL('../../client-sdk/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
/** Every REST operation that takes a body, with its path parameters filled in. */
const bodyOperations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, operation]) => operation.requestBody !== undefined)
    .map(([method, operation]) => ({ method: method.toUpperCase(), path: path.replace(/\{\w+\}/g, 'nba-bos'), operation })),
);

type TrpcError = {
  error: { code: number; message: string; data: { code: string; message: string; requestId: string; httpStatus: number } };
};

describe('request limits on every transport', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: { PRESSBOX_ADMIN_USER_IDS: 'admin_limits', RATE_LIMIT_USER_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0' },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (path: string, body: string, method = 'POST') =>
    app.fetch(path, { method, as: 'admin_limits', headers: { 'content-type': 'application/json' }, body });

  it(`answers a JSON body nested 10,000 deep with 400 on every REST operation that takes a body`, async () => {
    expect(bodyOperations.length).toBeGreaterThanOrEqual(5);
    for (const { method, path } of bodyOperations) {
      for (const body of [nested(10_000), nestedObject(10_000), `{"rows":${nested(MAX_DEPTH)}}`]) {
        const response = await post(`/api/v1${path}`, body, method);
        const text = await response.text();
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 400 });
        expect(JSON.parse(text)).toMatchObject({
          code: 'BAD_REQUEST',
          message: `JSON may nest arrays and objects ${String(MAX_DEPTH)} levels deep at most`,
          requestId: response.headers.get('x-request-id'),
        });
      }
    }
  });

  it(`lets JSON nested ${String(MAX_DEPTH)} deep through to validation`, async () => {
    const response = await post('/api/v1/me/preferences', `{"version":1,"locale":${nested(MAX_DEPTH - 1)}}`, 'PATCH');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; issues?: unknown[] };
    expect(body.message).not.toMatch(/nest/);
    expect(body.issues?.length).toBeGreaterThan(0);
  });

  it('answers deep JSON over tRPC with 400 in the tRPC envelope, in a body and in ?input=', async () => {
    const responses = [
      await post('/trpc/me.preferences.patch', nested(10_000)),
      await post('/trpc/me.follow,me.unfollow?batch=1', `{"0":${nested(10_000)}}`),
      await app.fetch(`/trpc/teams.get?input=${nested(5_000)}`, { as: 'admin_limits' }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as TrpcError | TrpcError[];
      const first = Array.isArray(body) ? body[0] : body;
      expect(first?.error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, requestId: response.headers.get('x-request-id') });
      expect(first?.error.message).toMatch(/levels deep at most/);
    }
  });

  it('answers a URL over 16 KiB with 431 and the documented JSON body on REST and on tRPC', async () => {
    const long = 'x'.repeat(17 * 1024);
    const rest = await app.fetch(`/api/v1/teams?q=${long}`, { as: 'admin_limits' });
    expect(rest.status).toBe(431);
    expect(rest.headers.get('content-type')).toBe('application/json');
    expect(await rest.json()).toEqual({
      code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
      message: 'The URL and headers of a request may take 16 KiB at most',
      requestId: rest.headers.get('x-request-id'),
    });
    const trpc = await app.fetch(`/trpc/teams.list?input=${encodeURIComponent(JSON.stringify({ q: long }))}`, { as: 'admin_limits' });
    expect(trpc.status).toBe(431);
    const body = (await trpc.json()) as TrpcError;
    expect(body.error.data).toMatchObject({
      code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
      httpStatus: 431,
      requestId: trpc.headers.get('x-request-id'),
    });
  });

  it('answers headers over 16 KiB with 431 JSON', async () => {
    const response = await app.fetch('/api/v1/me', { as: 'admin_limits', headers: { 'x-padding': 'p'.repeat(17 * 1024) } });
    expect(response.status).toBe(431);
    expect(await response.json()).toMatchObject({ code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' });
  });

  it('caps a tRPC batch at 50 calls with a 400 that says so, and runs a batch of 50', async () => {
    const calls = (count: number) => ({
      path: `/trpc/${Array.from({ length: count }, () => 'me.follow').join(',')}?batch=1`,
      body: JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, index) => [String(index), { teamId: 'nba-bos' }]))),
    });
    const over = calls(51);
    const refused = await post(over.path, over.body);
    expect(refused.status).toBe(400);
    const errors = (await refused.json()) as TrpcError[];
    expect(errors).toHaveLength(51);
    expect(errors[0]?.error.data).toMatchObject({ code: 'BAD_REQUEST', message: 'A batch may hold 50 calls at most; this one has 51' });
    expect(app.running.services.config.limits.batchCalls).toBe(50);
    const within = calls(50);
    const accepted = await post(within.path, within.body);
    expect(accepted.status).toBe(200);
    expect((await accepted.json()) as unknown[]).toHaveLength(50);
  });

  it('refuses subscriptions over HTTP with a JSON 400, signed in or not, instead of opening an event stream', async () => {
    const input = encodeURIComponent(JSON.stringify({ teamId: 'nba-bos' }));
    const attempts = [
      app.fetch(`/trpc/teams.onNews?input=${input}`, { as: 'admin_limits' }),
      app.fetch(`/trpc/teams.onNews?input=${input}`),
      app.fetch(`/trpc/me.onFeed?input=${encodeURIComponent('{"lastEventId":5}')}`, {
        as: 'admin_limits',
        headers: { accept: 'text/event-stream' },
      }),
      app.fetch(
        `/trpc/teams.get,teams.onSummary?batch=1&input=${encodeURIComponent('{"0":{"teamId":"nba-bos"},"1":{"teamId":"nba-bos"}}')}`,
        {
          as: 'admin_limits',
        },
      ),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as TrpcError | TrpcError[];
      const first = Array.isArray(body) ? body[0] : body;
      expect(first?.error.data.code).toBe('BAD_REQUEST');
      expect(first?.error.message).toMatch(/is a subscription: subscribe over WebSocket at \/trpc$/);
    }
  });
});
