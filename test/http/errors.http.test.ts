import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

describe('the HTTP error contract', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers unknown routes with a JSON 404, in and outside the API', async () => {
    for (const path of ['/nope', '/api/v1/nope', '/api/v2/teams']) {
      const response = await app.fetch(path, { as: 'user_routes' });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', requestId: expect.any(String) as unknown });
    }
  });

  it('gives every response an x-request-id, echoing a well-formed one from the caller', async () => {
    const mine = await app.fetch('/healthz', { headers: { 'x-request-id': 'trace-123.abc' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-123.abc');
    const hostile = await app.fetch('/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses bodies over 1 MiB with 413, on REST and on tRPC', async () => {
    const big = JSON.stringify({ version: 1, locale: 'x'.repeat(1024 * 1024 + 10) });
    const rest = await app.fetch('/api/v1/me/preferences', {
      method: 'PATCH',
      as: 'user_big',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(rest.status).toBe(413);
    expect(await rest.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const trpc = await app.fetch('/trpc/me.preferences.patch', {
      method: 'POST',
      as: 'user_big',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(trpc.status).toBe(413);
  });

  it('accepts application/json; charset=utf-8 bodies', async () => {
    const current = (await (await app.fetch('/api/v1/me/preferences', { as: 'user_charset' })).json()) as { version: number };
    const response = await app.fetch('/api/v1/me/preferences', {
      method: 'PATCH',
      as: 'user_charset',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ version: current.version, timezone: 'Europe/Paris' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ timezone: 'Europe/Paris', version: current.version + 1 });
  });

  it('answers malformed JSON with 400 and a non-JSON body with 415', async () => {
    const malformed = await app.fetch('/api/v1/me/preferences', {
      method: 'PATCH',
      as: 'user_bad',
      headers: { 'content-type': 'application/json' },
      body: '{"version": 1,',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const text = await app.fetch('/api/v1/me/preferences', {
      method: 'PATCH',
      as: 'user_bad',
      headers: { 'content-type': 'text/plain' },
      body: 'version=1',
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('never sends a stack trace or internal message', async () => {
    const responses = await Promise.all([
      app.fetch('/api/v1/teams?limit=abc', { as: 'user_stack' }),
      app.fetch('/trpc/teams.list?input=%7B%22limit%22%3A%22abc%22%7D', { as: 'user_stack' }),
      app.fetch('/api/v1/me/preferences', {
        method: 'PATCH',
        as: 'user_stack',
        headers: { 'content-type': 'application/json' },
        body: '[',
      }),
    ]);
    for (const response of responses) {
      const text = await response.text();
      expect(text).not.toMatch(/stack|at .+\.ts:\d+|node_modules/);
    }
  });

  it('rate-limits by IP with 429 and Retry-After', async () => {
    const limited = await (await import('../support/app.ts')).startTestApp({ env: { RATE_LIMIT_IP_PER_MIN: '3' } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const response = await limited.fetch('/api/v1/teams?limit=1', { as: 'user_ip' });
        statuses.push(response.status);
        if (response.status === 429) {
          retryAfter = response.headers.get('retry-after');
          expect(await response.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
        }
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect((await limited.fetch('/healthz')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('rate-limits each user separately with 429 and Retry-After', async () => {
    const limited = await (
      await import('../support/app.ts')
    ).startTestApp({ env: { RATE_LIMIT_USER_PER_MIN: '2', RATE_LIMIT_IP_PER_MIN: '0' } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await limited.fetch('/api/v1/teams?limit=1', { as: 'user_a' })).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect((await limited.fetch('/api/v1/teams?limit=1', { as: 'user_b' })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
