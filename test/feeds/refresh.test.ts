import { randomBytes } from 'node:crypto';
import type { League, PrismaClient, Database } from '@pressbox/db';
import { createFeedFetcher, HostLimiter, refreshSource, type FeedFetcher } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_LAST_MODIFIED,
  feedFixtures,
  readFixture,
  startFeedServer,
  type FeedFixture,
  type FeedServer,
} from '../fakes/feed-server.ts';
import { databaseAvailable, databaseKinds, openTestDatabase, type TestDatabase } from '../support/databases.ts';

const now = new Date('2024-05-01T12:00:00Z');
const clock = () => now;
const minutesLater = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

describe.each(databaseKinds)('refreshing a source on %s', (kind) => {
  let test: TestDatabase | undefined;
  let prisma: PrismaClient;
  let db: Database;
  let server: FeedServer;
  let fetcher: FeedFetcher;

  beforeAll(async () => {
    server = await startFeedServer();
    fetcher = createFeedFetcher({ allowPrivateNetworks: true, timeoutMs: 3_000, hostLimiter: new HostLimiter(2) });
    if (!databaseAvailable(kind)) return;
    test = await openTestDatabase(kind);
    prisma = test.db.prisma;
    db = test.db;
  });

  afterAll(async () => {
    await test?.close();
    await server.close();
  });

  /**
   * Serves a fixture at a fresh path with its hosts renamed, so the canonical URLs of one test
   * never meet those of another in the shared database.
   */
  function serve(fixture: FeedFixture, options: { etag?: string } = {}): string {
    const tag = randomBytes(4).toString('hex');
    const path = `/t/${tag}/${fixture}`;
    server.route(path, {
      kind: 'document',
      body: readFixture(fixture).replaceAll('.example.', `.example-${tag}.`),
      contentType: fixture.endsWith('.json') ? 'application/feed+json' : 'application/xml',
      etag: options.etag ?? `"${tag}"`,
      lastModified: FIXTURE_LAST_MODIFIED,
    });
    return path;
  }

  async function newSource(
    path: string,
    options: { teamIds?: string[]; league?: League; status?: 'ACTIVE' | 'PAUSED' | 'FAILING'; consecutiveErrors?: number } = {},
  ) {
    return prisma.source.create({
      data: {
        url: server.url(path),
        name: 'Fake feed',
        league: options.league ?? null,
        status: options.status ?? 'ACTIVE',
        consecutiveErrors: options.consecutiveErrors ?? 0,
        teams: { create: (options.teamIds ?? []).map((teamId) => ({ teamId })) },
      },
    });
  }

  const row = (id: string) => prisma.source.findUniqueOrThrow({ where: { id } });

  it.skipIf(!databaseAvailable(kind))('resolves relative links against the Content-Location the server gives', async () => {
    const tag = randomBytes(4).toString('hex');
    const path = `/t/${tag}/relative.xml`;
    server.route(path, {
      kind: 'document',
      body: `<rss version="2.0"><channel><title>Relative</title><item><guid>r-${tag}</guid><title>Relative link</title><link>story-${tag}.html</link></item></channel></rss>`,
      contentType: 'application/rss+xml',
      headers: { 'content-location': `/news/2024/${tag}/feed.xml` },
    });
    const source = await newSource(path, { teamIds: ['nba-bos'] });

    await refreshSource(db, source.id, { fetcher, now: clock });

    const article = await prisma.article.findFirstOrThrow({ where: { sourceId: source.id } });
    expect(article.url).toBe(server.url(`/news/2024/${tag}/story-${tag}.html`));
  });

  it.skipIf(!databaseAvailable(kind))('stores a new feed and records the source as healthy', async () => {
    const path = serve(feedFixtures.rss2, { etag: '"first"' });
    const source = await newSource(path, { teamIds: ['nba-bos'] });
    const outcome = await refreshSource(db, source.id, { fetcher, now: clock });
    if (outcome.status !== 'stored') throw new Error(`expected stored, got ${JSON.stringify(outcome)}`);
    expect(outcome).toMatchObject({ kind: 'RSS', itemCount: 3, updated: [], unchanged: 0, nextFetchAt: minutesLater(60) });
    expect(outcome.created).toHaveLength(3);
    expect(outcome.newsByTeam).toEqual({ 'nba-bos': outcome.created.map((article) => article.articleId) });
    expect(await row(source.id)).toMatchObject({
      kind: 'RSS',
      etag: '"first"',
      lastModified: FIXTURE_LAST_MODIFIED,
      lastFetchedAt: now,
      lastSuccessAt: now,
      consecutiveErrors: 0,
      lastError: null,
      status: 'ACTIVE',
      nextFetchAt: minutesLater(60),
    });
    expect(await prisma.article.count({ where: { sourceId: source.id } })).toBe(3);
  });

  it.skipIf(!databaseAvailable(kind))('sends the stored validators next time and treats 304 as a success', async () => {
    const path = serve(feedFixtures.atom);
    const source = await newSource(path);
    await refreshSource(db, source.id, { fetcher, now: clock });
    await prisma.source.update({ where: { id: source.id }, data: { consecutiveErrors: 2, status: 'FAILING', lastError: 'old' } });
    const outcome = await refreshSource(db, source.id, { fetcher, now: clock });
    expect(outcome).toEqual({ status: 'not-modified', sourceId: source.id, nextFetchAt: minutesLater(30) });
    const second = server.requests(path).at(-1);
    expect(second?.headers['if-none-match']).toBe((await row(source.id)).etag);
    expect(second?.headers['if-modified-since']).toBe(FIXTURE_LAST_MODIFIED);
    expect(await row(source.id)).toMatchObject({ consecutiveErrors: 0, status: 'ACTIVE', lastError: null, lastSuccessAt: now });
    expect(await prisma.article.count({ where: { sourceId: source.id } })).toBe(2);
  });

  it.skipIf(!databaseAvailable(kind))('records failures, backs off exponentially and recovers', async () => {
    const path = `/t/${randomBytes(4).toString('hex')}/flaky.xml`;
    server.route(path, { kind: 'status', status: 500, body: 'internal details' });
    const source = await newSource(path);
    const first = await refreshSource(db, source.id, { fetcher, now: clock });
    expect(first).toMatchObject({
      status: 'failed',
      error: { kind: 'http', message: 'HTTP 500' },
      consecutiveErrors: 1,
      nextFetchAt: minutesLater(5),
    });
    expect(await row(source.id)).toMatchObject({
      status: 'FAILING',
      consecutiveErrors: 1,
      lastError: 'HTTP error: HTTP 500',
      lastFetchedAt: now,
      lastSuccessAt: null,
      nextFetchAt: minutesLater(5),
    });
    const second = await refreshSource(db, source.id, { fetcher, now: clock });
    expect(second).toMatchObject({ status: 'failed', consecutiveErrors: 2, nextFetchAt: minutesLater(10) });

    server.route(path, {
      kind: 'document',
      body: readFixture(feedFixtures.rdf).replaceAll('.example.', `.example-${source.id.slice(-8)}.`),
    });
    const recovered = await refreshSource(db, source.id, { fetcher, now: clock });
    expect(recovered).toMatchObject({ status: 'stored', kind: 'RDF' });
    expect(await row(source.id)).toMatchObject({
      status: 'ACTIVE',
      consecutiveErrors: 0,
      lastError: null,
      kind: 'RDF',
      lastSuccessAt: now,
      nextFetchAt: minutesLater(30),
    });
  });

  it.skipIf(!databaseAvailable(kind))('waits as long as Retry-After asks', async () => {
    const path = `/t/${randomBytes(4).toString('hex')}/busy.xml`;
    server.route(path, { kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    const source = await newSource(path);
    const outcome = await refreshSource(db, source.id, { fetcher, now: clock });
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'http' }, nextFetchAt: minutesLater(60) });
  });

  it.skipIf(!databaseAvailable(kind))('keeps polling a source that has failed for a long time', async () => {
    const path = `/t/${randomBytes(4).toString('hex')}/dead.xml`;
    server.route(path, { kind: 'status', status: 503 });
    const source = await newSource(path, { status: 'FAILING', consecutiveErrors: 60 });
    const outcome = await refreshSource(db, source.id, { fetcher, now: clock });
    expect(outcome).toMatchObject({ status: 'failed', consecutiveErrors: 61, nextFetchAt: minutesLater(6 * 60) });
    expect(await row(source.id)).toMatchObject({ status: 'FAILING', nextFetchAt: minutesLater(6 * 60) });
  });

  it.skipIf(!databaseAvailable(kind))('records an unreadable document and stores nothing, not even its validators', async () => {
    const source = await newSource('/feeds/billion-laughs.xml');
    const outcome = await refreshSource(db, source.id, { fetcher, now: clock });
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'parse' } });
    const stored = await row(source.id);
    expect(stored).toMatchObject({ status: 'FAILING', etag: null, lastModified: null, kind: null, consecutiveErrors: 1 });
    expect(stored.lastError).toMatch(/^Not a readable feed: .*entities/);
    expect(await prisma.article.count({ where: { sourceId: source.id } })).toBe(0);
  });

  it.skipIf(!databaseAvailable(kind))('records a refused private address when private networks are not allowed', async () => {
    const source = await newSource(serve(feedFixtures.rss2));
    const strict = createFeedFetcher({ allowPrivateNetworks: false });
    const before = server.requests().length;
    const outcome = await refreshSource(db, source.id, { fetcher: strict, now: clock });
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'blocked' } });
    expect((await row(source.id)).lastError).toMatch(/^Blocked: /);
    expect(server.requests()).toHaveLength(before);
  });

  it.skipIf(!databaseAvailable(kind))('detects Atom and JSON Feed sources', async () => {
    const atom = await newSource(serve(feedFixtures.atom));
    const json = await newSource(serve(feedFixtures.jsonFeed));
    expect(await refreshSource(db, atom.id, { fetcher, now: clock })).toMatchObject({ status: 'stored', kind: 'ATOM' });
    expect(await refreshSource(db, json.id, { fetcher, now: clock })).toMatchObject({ status: 'stored', kind: 'JSON_FEED' });
    expect((await row(atom.id)).kind).toBe('ATOM');
    expect((await row(json.id)).kind).toBe('JSON_FEED');
  });

  it.skipIf(!databaseAvailable(kind))('tags league-wide news with the league teams it names', async () => {
    const source = await newSource(serve(feedFixtures.leagueWide), { league: 'NBA' });
    const outcome = await refreshSource(db, source.id, { fetcher, now: clock });
    if (outcome.status !== 'stored') throw new Error(`expected stored, got ${JSON.stringify(outcome)}`);
    expect(Object.keys(outcome.newsByTeam).sort()).toEqual(['nba-bos', 'nba-nyk', 'nba-phi']);
    expect(outcome.newsByTeam['nba-bos']).toEqual(outcome.newsByTeam['nba-nyk']);
  });

  it.skipIf(!databaseAvailable(kind))('skips a paused source unless forced, and keeps it paused', async () => {
    const path = serve(feedFixtures.rss091);
    const source = await newSource(path, { status: 'PAUSED' });
    expect(await refreshSource(db, source.id, { fetcher, now: clock })).toEqual({
      status: 'skipped',
      sourceId: source.id,
      reason: 'paused',
    });
    expect(server.count(path)).toBe(0);
    expect(await refreshSource(db, source.id, { fetcher, now: clock, force: true })).toMatchObject({ status: 'stored', kind: 'RSS' });
    expect((await row(source.id)).status).toBe('PAUSED');
  });

  it.skipIf(!databaseAvailable(kind))('skips a source that no longer exists', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    expect(await refreshSource(db, missing, { fetcher, now: clock })).toEqual({
      status: 'skipped',
      sourceId: missing,
      reason: 'not-found',
    });
  });

  it.skipIf(!databaseAvailable(kind))('creates nothing twice when the same refresh runs twice at once', async () => {
    const source = await newSource(serve(feedFixtures.rss2), { teamIds: ['nba-bos'] });
    const outcomes = await Promise.all([
      refreshSource(db, source.id, { fetcher, now: clock }),
      refreshSource(db, source.id, { fetcher, now: clock }),
    ]);
    const created = outcomes.flatMap((outcome) => (outcome.status === 'stored' ? outcome.created : []));
    expect(created).toHaveLength(3);
    expect(await prisma.article.count({ where: { sourceId: source.id } })).toBe(3);
    expect(await prisma.articleTeam.count({ where: { article: { sourceId: source.id } } })).toBe(3);
  });
});
