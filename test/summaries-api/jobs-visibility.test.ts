import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { addArticles, pendingBodySchema, stories } from './fixtures.ts';
import { eventually, getJob, startSummaryApp } from './support.ts';

describe('who may read a job through GET /jobs/{jobId}', () => {
  let app: TestApp;
  let summaryJobId: string;
  let sourceJobId: string;
  beforeAll(async () => {
    app = await startSummaryApp({ database: 'pglite', env: { PRESSBOX_ADMIN_USER_IDS: 'admin_ops,admin_other' } });
    const { prisma } = app.running.services;
    await addArticles(prisma, 'nba-gsw', stories(3, 'gsw'));

    const refreshed = await app.fetch('/api/v1/teams/nba-gsw/summary/refresh', {
      method: 'POST',
      as: 'member_alice',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ length: 'SHORT' }),
    });
    summaryJobId = pendingBodySchema.parse(await refreshed.json()).jobId;

    const source = await prisma.source.create({ data: { url: 'https://feeds.example/warriors.xml', name: 'Warriors feed' } });
    const fetched = await app.fetch(`/api/v1/sources/${source.id}/refresh`, { method: 'POST', as: 'admin_ops' });
    expect(fetched.status).toBe(202);
    sourceJobId = pendingBodySchema.parse(await fetched.json()).jobId;
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets the member who asked for a summary job read it through to completion', async () => {
    const job = await eventually(
      () => getJob(app, summaryJobId, 'member_alice'),
      (info) => info?.state === 'completed',
    );
    expect(job).toMatchObject({ id: summaryJobId, name: 'summary', result: { status: 'ready' } });
    expect(Date.parse(job?.finishedAt ?? '')).not.toBeNaN();
  });

  it('lets any other member read a summary job, since summaries are shared', async () => {
    expect(await getJob(app, summaryJobId, 'member_bob')).toMatchObject({ id: summaryJobId, name: 'summary' });
  });

  it('answers 404 to a member asking for a source refresh job an admin started', async () => {
    const response = await app.fetch(`/api/v1/jobs/${sourceJobId}`, { as: 'member_bob' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', message: `No job with id ${sourceJobId}` });
    await expect(app.trpc('member_bob').jobs.get.query({ jobId: sourceJobId })).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
  });

  it('lets an admin read any job, also one another admin or a member started', async () => {
    expect(await getJob(app, sourceJobId, 'admin_other')).toMatchObject({ id: sourceJobId, name: 'feed-fetch' });
    expect(await getJob(app, summaryJobId, 'admin_other')).toMatchObject({ id: summaryJobId, name: 'summary' });
  });

  it('answers 404 for a job id that does not exist, whatever its shape', async () => {
    for (const jobId of ['summary.nba-gsw.SHORT.0000', 'feed-fetch.missing', 'not-a-job-id', 'nope.nope.nope']) {
      const response = await app.fetch(`/api/v1/jobs/${jobId}`, { as: 'admin_ops' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('answers 401 without a token', async () => {
    const response = await app.fetch(`/api/v1/jobs/${summaryJobId}`);
    expect(response.status).toBe(401);
  });
});
