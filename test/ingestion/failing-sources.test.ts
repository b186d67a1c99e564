import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedFixtures, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import type { TestApp } from '../support/app.ts';
import { addAndFetch, call, finishedJob, refresh, serveFixture, startIngestApp, type SourceDto } from './support.ts';

const MINUTE = 60_000;

/** How long after its last fetch a source is due again. */
function waitAfterFetch(source: SourceDto): number {
  return Date.parse(source.nextFetchAt) - Date.parse(source.lastFetchedAt ?? '');
}

describe('sources whose feeds fail', () => {
  let app: TestApp;
  let server: FeedServer;

  beforeAll(async () => {
    server = await startFeedServer();
    app = await startIngestApp({ database: 'pglite' });
  });

  afterAll(async () => {
    await app.close();
    await server.close();
  });

  async function fetchAgain(sourceId: string): Promise<SourceDto> {
    const job = await finishedJob(app, await refresh(app, sourceId));
    expect(job.state).toBe('completed');
    return (await call<SourceDto>(app, `/sources/${sourceId}`)).body;
  }

  it('marks a source answering 500 as FAILING, shows admins the error, and waits longer after each failure', async () => {
    server.route('/broken/500.xml', { kind: 'status', status: 500, body: 'upstream exploded' });
    const { source, job } = await addAndFetch(app, { url: server.url('/broken/500.xml'), teamIds: ['nhl-bos'] });

    expect(job.result).toMatchObject({ status: 'failed', created: 0, error: 'HTTP 500' });
    const first = (await call<SourceDto>(app, `/sources/${source.id}`)).body;
    expect(first).toMatchObject({ status: 'FAILING', consecutiveErrors: 1, lastError: 'HTTP error: HTTP 500', lastSuccessAt: null });
    expect(waitAfterFetch(first)).toBe(5 * MINUTE);

    const second = await fetchAgain(source.id);
    expect(second).toMatchObject({ status: 'FAILING', consecutiveErrors: 2 });
    expect(waitAfterFetch(second)).toBe(10 * MINUTE);

    const third = await fetchAgain(source.id);
    expect(third).toMatchObject({ status: 'FAILING', consecutiveErrors: 3 });
    expect(waitAfterFetch(third)).toBe(20 * MINUTE);

    const failing = await call<{ items: SourceDto[] }>(app, '/sources?status=FAILING&limit=100');
    expect(failing.body.items.map((item) => item.id)).toContain(source.id);
    const active = await call<{ items: SourceDto[] }>(app, '/sources?status=ACTIVE&limit=100');
    expect(active.body.items.map((item) => item.id)).not.toContain(source.id);
  });

  it('is ACTIVE again, with its error cleared, once the feed answers again', async () => {
    const feed = serveFixture(server, feedFixtures.rss2);
    server.route(feed.path, { kind: 'status', status: 503 });
    const { source } = await addAndFetch(app, { url: feed.url, teamIds: ['nhl-tor'] });
    expect((await call<SourceDto>(app, `/sources/${source.id}`)).body).toMatchObject({ status: 'FAILING', consecutiveErrors: 1 });

    server.route(feed.path, { kind: 'document', body: feed.body, contentType: 'application/rss+xml' });
    const recovered = await fetchAgain(source.id);

    expect(recovered).toMatchObject({ status: 'ACTIVE', consecutiveErrors: 0, lastError: null, articleCount: 3 });
    expect(recovered.lastSuccessAt).toBe(recovered.lastFetchedAt);
    // Back on the feed's own schedule: its <ttl> is 60 minutes.
    expect(waitAfterFetch(recovered)).toBe(60 * MINUTE);
  });

  it('waits as long as a 429 Retry-After asks before fetching again', async () => {
    server.route('/busy/429.xml', { kind: 'status', status: 429, headers: { 'retry-after': '7200' } });
    const { source, job } = await addAndFetch(app, { url: server.url('/busy/429.xml'), teamIds: ['nhl-mtl'] });

    expect(job.result).toMatchObject({ status: 'failed', error: 'HTTP 429' });
    const busy = (await call<SourceDto>(app, `/sources/${source.id}`)).body;
    expect(busy).toMatchObject({ status: 'FAILING', consecutiveErrors: 1 });
    expect(waitAfterFetch(busy)).toBe(7_200_000);
    expect(job.result?.nextFetchAt).toBe(busy.nextFetchAt);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const retryAt = new Date(Math.ceil((Date.now() + 3 * 60 * MINUTE) / 1000) * 1000);
    server.route('/busy/429-date.xml', { kind: 'status', status: 429, headers: { 'retry-after': retryAt.toUTCString() } });
    const { source } = await addAndFetch(app, { url: server.url('/busy/429-date.xml'), teamIds: ['nhl-mtl'] });

    expect((await call<SourceDto>(app, `/sources/${source.id}`)).body.nextFetchAt).toBe(retryAt.toISOString());
  });
});
