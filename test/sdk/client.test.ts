import { createPressboxClient, paginate, PressboxError, unwrap } from '@pressbox/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

describe('the @pressbox/client SDK', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('calls typed REST paths with a token function', async () => {
    let calls = 0;
    const client = createPressboxClient({
      baseUrl: app.url,
      token: () => {
        calls += 1;
        return app.token('user_sdk');
      },
    });
    const team = await unwrap(client.GET('/teams/{teamId}', { params: { path: { teamId: 'epl-ars' } } }));
    expect(team).toMatchObject({ id: 'epl-ars', name: 'Arsenal' });
    expect(calls).toBe(1);
  });

  it('walks every page of a list', async () => {
    const client = createPressboxClient({ baseUrl: app.url, token: app.token('user_sdk') });
    const ids: string[] = [];
    for await (const team of paginate((cursor) => client.GET('/teams', { params: { query: { league: 'NHL', limit: 10, cursor } } })))
      ids.push(team.id);
    expect(ids).toHaveLength(32);
    expect(new Set(ids).size).toBe(32);
  });

  it('throws a PressboxError with the code, message and request id of the answer', async () => {
    const client = createPressboxClient({ baseUrl: app.url, token: app.token('user_sdk') });
    const failure = await unwrap(client.GET('/teams/{teamId}', { params: { path: { teamId: 'nba-none' } } })).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PressboxError);
    expect(failure).toMatchObject({ status: 404, code: 'NOT_FOUND', requestId: expect.any(String) as unknown });
    const anonymous = createPressboxClient({ baseUrl: app.url });
    await expect(unwrap(anonymous.GET('/me', {}))).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('sends bodies and surfaces validation issues', async () => {
    const client = createPressboxClient({ baseUrl: app.url, token: app.token('user_sdk_body') });
    const current = await unwrap(client.GET('/me/preferences', {}));
    const updated = await unwrap(client.PATCH('/me/preferences', { body: { version: current.version, digest: 'WEEKLY' } }));
    expect(updated).toMatchObject({ digest: 'WEEKLY', version: current.version + 1 });
    const invalid = await unwrap(client.PATCH('/me/preferences', { body: { version: updated.version, timezone: 'Nowhere/Land' } })).catch(
      (error: unknown) => error,
    );
    expect(invalid).toMatchObject({ status: 400, code: 'BAD_REQUEST', issues: [expect.objectContaining({ path: ['timezone'] })] });
  });
});
