import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { addArticles, pendingBodySchema, stories } from './fixtures.ts';
import { eventually, getJob, getSummary, ready, startSummaryApp, summaryOnceReady } from './support.ts';

describe('POST /teams/{teamId}/summary/refresh in the embedded default (PGlite, in-process jobs, extractive)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSummaryApp({ database: 'pglite' });
    await addArticles(app.running.services.prisma, 'nhl-tor', stories(5, 'tor'));
  });
  afterAll(async () => {
    await app.close();
  });

  function refresh(teamId: string, user: string, length = 'SHORT'): Promise<Response> {
    return app.fetch(`/api/v1/teams/${teamId}/summary/refresh`, {
      method: 'POST',
      as: user,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ length }),
    });
  }

  it('answers 202 with a job that completes and regenerates the summary of an unchanged input', async () => {
    const { prisma } = app.running.services;
    const before = await summaryOnceReady(app, 'nhl-tor', 'user_refresh', 'SHORT');
    const row = await prisma.summary.findFirstOrThrow({ where: { teamId: 'nhl-tor', length: 'SHORT' } });

    const response = await refresh('nhl-tor', 'user_refresh');
    expect(response.status).toBe(202);
    const accepted = pendingBodySchema.parse(await response.json());
    expect(accepted.jobId).toMatch(/^summary\./);
    const job = await eventually(
      () => getJob(app, accepted.jobId, 'user_refresh'),
      (info) => info?.state === 'completed' || info?.state === 'failed',
    );
    expect(job).toMatchObject({ name: 'summary', state: 'completed', result: { status: 'ready', summaryId: row.id } });

    const regenerated = await prisma.summary.findUniqueOrThrow({ where: { id: row.id } });
    expect(regenerated.generatedAt.getTime()).toBeGreaterThan(row.generatedAt.getTime());
    expect(regenerated.inputVersion).toBe(row.inputVersion);
    const after = ready((await getSummary(app, 'nhl-tor', 'user_refresh', 'SHORT')).body);
    expect(after.generatedAt).toBe(regenerated.generatedAt.toISOString());
    // Same input, deterministic provider: the regenerated text is the same text.
    expect({ ...after, generatedAt: null }).toEqual({ ...before, generatedAt: null });
  });

  it('makes a new job for every refresh rather than joining the previous one', async () => {
    const first = pendingBodySchema.parse(await (await refresh('nhl-tor', 'user_twice', 'LONG')).json());
    const second = pendingBodySchema.parse(await (await refresh('nhl-tor', 'user_twice', 'LONG')).json());
    expect(second.jobId).not.toBe(first.jobId);
  });

  it('answers 429 with Retry-After to the sixth refresh of a user within a minute, and not to another user', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let index = 0; index < 6; index += 1) {
      const response = await refresh('nhl-tor', 'user_limited');
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const retryAfter = Number(limited?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited?.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect((await refresh('nhl-tor', 'user_other')).status).toBe(202);
  });

  it('answers 404 for an unknown team and 400 for an unknown length', async () => {
    const unknown = await refresh('nhl-nope', 'user_bad');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const badLength = await refresh('nhl-tor', 'user_bad', 'HUGE');
    expect(badLength.status).toBe(400);
    expect(await badLength.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
