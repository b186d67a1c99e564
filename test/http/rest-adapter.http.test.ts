import { appRouter, buildOpenApiDocument } from '@pressbox/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { eventually } from '../support/waiting.ts';

const ADMIN = 'user_rest_admin';
const json = { 'content-type': 'application/json' };

interface ErrorEnvelope {
  error: { message: string; data: { code: string; message: string; issues?: unknown[]; httpStatus: number } };
}

describe('REST and tRPC agree on input, errors and methods', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { PRESSBOX_ADMIN_USER_IDS: ADMIN, FEED_ALLOW_PRIVATE_NETWORKS: 'true' } });
  });
  afterAll(async () => {
    await app.close();
  });

  const trpcPost = (procedure: string, as: string, body: unknown) =>
    app.fetch(`/trpc/${procedure}`, { method: 'POST', as, headers: json, body: JSON.stringify(body) });

  it('leaves tRPC validation as it was after REST calls: no REST request changes a schema', async () => {
    const stringVersion = { version: '1', digest: 'DAILY' };
    expect((await trpcPost('me.preferences.patch', 'user_rest_schema', stringVersion)).status).toBe(400);
    const rest = await app.fetch('/api/v1/me/preferences', {
      method: 'PATCH',
      as: 'user_rest_schema',
      headers: json,
      body: JSON.stringify({ version: 1, digest: 'DAILY' }),
    });
    expect(rest.status).toBe(200);
    expect((await trpcPost('me.preferences.patch', 'user_rest_schema', stringVersion)).status).toBe(400);
    const put = { summaryLength: 'SHORT', digest: 'OFF', timezone: 'UTC', locale: 'en-US', followedTeamIds: [], version: '2' };
    expect((await trpcPost('me.preferences.put', 'user_rest_schema', put)).status).toBe(400);
  });

  it('takes a JSON body as it is: `{"version": true}` is not version 1', async () => {
    const response = await app.fetch('/api/v1/me/preferences', {
      method: 'PATCH',
      as: 'user_rest_body',
      headers: json,
      body: JSON.stringify({ version: true }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ code: 'invalid_type', path: ['version'] }] });
  });

  it('reports validation issues as { code, path, message } only, the same over REST and tRPC', async () => {
    const rest = (await (await app.fetch('/api/v1/teams?limit=0&since=yesterday', { as: 'user_rest_issues' })).json()) as {
      issues: Record<string, unknown>[];
    };
    const trpc = (await (
      await app.fetch(`/trpc/teams.list?input=${encodeURIComponent(JSON.stringify({ limit: 0 }))}`, { as: 'user_rest_issues' })
    ).json()) as ErrorEnvelope;
    expect(rest.issues).toEqual(trpc.error.data.issues);
    for (const issue of rest.issues) expect(Object.keys(issue).sort()).toEqual(['code', 'message', 'path']);
    const news = (await (await app.fetch('/api/v1/teams/nba-bos/news?since=yesterday', { as: 'user_rest_issues' })).json()) as {
      issues: Record<string, unknown>[];
    };
    expect(news.issues).toEqual([{ code: 'invalid_format', path: ['since'], message: expect.any(String) as unknown }]);
    expect(JSON.stringify(news)).not.toContain('pattern');
  });

  it('types `followed` and `limit` as values over tRPC and parses only true/false and numbers from the query string', async () => {
    const trpc = app.trpc('user_rest_typed');
    await expect(trpc.teams.list.query({ followed: true, limit: 3 })).resolves.toMatchObject({ items: [] });
    const asString = await app.fetch(`/trpc/teams.list?input=${encodeURIComponent(JSON.stringify({ followed: 'true' }))}`, {
      as: 'user_rest_typed',
    });
    expect(asString.status).toBe(400);
    const limitString = await app.fetch(`/trpc/teams.list?input=${encodeURIComponent(JSON.stringify({ limit: '3' }))}`, {
      as: 'user_rest_typed',
    });
    expect(limitString.status).toBe(400);
    expect((await app.fetch('/api/v1/teams?followed=false&limit=3', { as: 'user_rest_typed' })).status).toBe(200);
    for (const value of ['1', 'yes', 'TRUE', '']) {
      const response = await app.fetch(`/api/v1/teams?followed=${value}`, { as: 'user_rest_typed' });
      expect(response.status, value).toBe(400);
    }
  });

  it('answers a known path with a wrong method 405 and Allow, with a code that agrees on both transports', async () => {
    const rest = await app.fetch('/api/v1/teams', { method: 'POST', as: 'user_rest_method', headers: json, body: '{}' });
    expect(rest.status).toBe(405);
    expect(rest.headers.get('allow')).toBe('GET, HEAD');
    expect(await rest.json()).toMatchObject({ code: 'METHOD_NOT_SUPPORTED', requestId: rest.headers.get('x-request-id') });
    const follows = await app.fetch('/api/v1/me/follows/nba-bos', { method: 'GET', as: 'user_rest_method' });
    expect(follows.status).toBe(405);
    expect(follows.headers.get('allow')).toBe('PUT, DELETE');
    const trpc = await app.fetch('/trpc/me.follow?input=%7B%7D', { as: 'user_rest_method' });
    expect(trpc.status).toBe(405);
    expect(((await trpc.json()) as ErrorEnvelope).error.data).toMatchObject({ code: 'METHOD_NOT_SUPPORTED', httpStatus: 405 });
  });

  it('answers malformed JSON with one message on both transports', async () => {
    const body = '{"version": 1,';
    const rest = await app.fetch('/api/v1/me/preferences', { method: 'PATCH', as: 'user_rest_json', headers: json, body });
    const trpc = await app.fetch('/trpc/me.preferences.patch', { method: 'POST', as: 'user_rest_json', headers: json, body });
    expect([rest.status, trpc.status]).toEqual([400, 400]);
    const restBody = (await rest.json()) as { code: string; message: string };
    const trpcBody = (await trpc.json()) as ErrorEnvelope;
    expect(trpcBody.error.data).toMatchObject({ code: restBody.code, message: restBody.message });
    expect(restBody.message).not.toMatch(/position|JSON at|Unexpected/);
  });

  it('never answers 413 or 415 from an operation that takes no body', async () => {
    const typed = await app.fetch('/api/v1/me/follows/nba-bos', {
      method: 'DELETE',
      as: 'user_rest_nobody',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    });
    expect(typed.status).toBe(200);
    const follow = await app.fetch('/api/v1/me/follows/nba-bos', {
      method: 'PUT',
      as: 'user_rest_nobody',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(2048),
    });
    expect(follow.status).toBe(200);
  });

  it('documents 404 for unknown team ids in bodies and 503 on every operation', async () => {
    const document = buildOpenApiDocument(appRouter, { version: '0', baseUrl: '/api/v1' });
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/sources']?.post?.responses ?? {})).toContain('404');
    expect(Object.keys(paths['/me/preferences']?.put?.responses ?? {})).toContain('404');
    expect(Object.keys(paths['/me/preferences']?.patch?.responses ?? {})).toContain('404');
    for (const item of Object.values(paths))
      for (const operation of Object.values(item)) expect(Object.keys(operation.responses)).toContain('503');
    const unknownTeam = await app.fetch('/api/v1/me/preferences', {
      method: 'PATCH',
      as: 'user_rest_404',
      headers: json,
      body: JSON.stringify({ version: 1, followedTeamIds: ['nba-none'] }),
    });
    expect(unknownTeam.status).toBe(404);
  });

  it('leaves updatedAt alone when a PATCH of a source changes nothing', async () => {
    const created = await app.fetch('/api/v1/sources', {
      method: 'POST',
      as: ADMIN,
      headers: json,
      body: JSON.stringify({ url: 'http://127.0.0.1:9/rest-noop.xml', name: 'No-op', teamIds: ['nba-bos'] }),
    });
    expect(created.status).toBe(200);
    const { jobId } = (await created.json()) as { jobId: string };
    // The first fetch (connection refused) writes its outcome to the source; wait for it.
    await eventually(
      async () => ((await (await app.fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}`, { as: ADMIN })).json()) as { state: string }).state,
      (state) => state === 'completed' || state === 'failed',
    );
    const list = (await (await app.fetch('/api/v1/sources', { as: ADMIN })).json()) as { items: { id: string; updatedAt: string }[] };
    const source = list.items[0]!;
    for (const change of [{ name: 'No-op' }, {}, { teamIds: ['nba-bos'] }, { league: null }]) {
      const patched = await app.fetch(`/api/v1/sources/${source.id}`, {
        method: 'PATCH',
        as: ADMIN,
        headers: json,
        body: JSON.stringify(change),
      });
      expect(patched.status).toBe(200);
      expect(((await patched.json()) as { updatedAt: string }).updatedAt, JSON.stringify(change)).toBe(source.updatedAt);
    }
    const renamed = await app.fetch(`/api/v1/sources/${source.id}`, {
      method: 'PATCH',
      as: ADMIN,
      headers: json,
      body: '{"name":"Renamed"}',
    });
    expect(((await renamed.json()) as { updatedAt: string }).updatedAt).not.toBe(source.updatedAt);
  });
});
