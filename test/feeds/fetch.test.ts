import { gzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import { fetchFeed, FEED_MAX_BYTES, FEED_USER_AGENT, type FetchResult } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_LAST_MODIFIED, feedFixtures, readFixture, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';

let server: FeedServer;
const local = { allowPrivateNetworks: true };

beforeAll(async () => {
  server = await startFeedServer();
});

afterAll(async () => {
  await server.close();
});

function expectError(result: FetchResult, kind: string): Extract<FetchResult, { status: 'error' }> {
  expect(result).toMatchObject({ status: 'error', kind });
  if (result.status !== 'error') throw new Error('expected an error');
  return result;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('fetching a feed', () => {
  it('returns the body, content type, validators, cache headers and final URL', async () => {
    server.route('/cached', {
      kind: 'document',
      body: readFixture(feedFixtures.rss2),
      etag: '"v1"',
      lastModified: FIXTURE_LAST_MODIFIED,
      headers: { 'cache-control': 'max-age=900' },
    });
    const result = await fetchFeed(server.url('/cached'), local);
    expect(result).toMatchObject({
      status: 'ok',
      contentType: 'application/rss+xml',
      etag: '"v1"',
      lastModified: FIXTURE_LAST_MODIFIED,
      finalUrl: server.url('/cached'),
      headers: { cacheControl: 'max-age=900' },
    });
    if (result.status !== 'ok') throw new Error('expected ok');
    expect(result.body.toString('utf8')).toBe(readFixture(feedFixtures.rss2));
  });

  it('identifies itself and asks for feed types and compression', async () => {
    await fetchFeed(server.url('/feeds/atom.xml'), local);
    const [request] = server.requests('/feeds/atom.xml');
    expect(request?.headers['user-agent']).toBe(FEED_USER_AGENT);
    expect(request?.headers['user-agent']).toMatch(/^Pressbox\/\S+ \(\+https:\/\/github\.com\/pressbox; feed fetcher\)$/);
    expect(request?.headers.accept).toContain('application/rss+xml');
    expect(request?.headers.accept).toContain('application/atom+xml');
    expect(request?.headers.accept).toContain('application/feed+json');
    expect(request?.headers['accept-encoding']).toContain('gzip');
  });

  it('sends the stored validators and reports 304 as not modified', async () => {
    server.route('/conditional', { kind: 'document', body: '<rss/>', etag: '"abc"', lastModified: FIXTURE_LAST_MODIFIED });
    const result = await fetchFeed(server.url('/conditional'), { ...local, etag: '"abc"', lastModified: FIXTURE_LAST_MODIFIED });
    expect(result).toMatchObject({ status: 'not-modified', etag: '"abc"', finalUrl: server.url('/conditional') });
    const [request] = server.requests('/conditional');
    expect(request?.headers['if-none-match']).toBe('"abc"');
    expect(request?.headers['if-modified-since']).toBe(FIXTURE_LAST_MODIFIED);
  });

  it('gets a 304 from Last-Modified alone', async () => {
    server.route('/by-date', { kind: 'document', body: '<rss/>', lastModified: FIXTURE_LAST_MODIFIED });
    const result = await fetchFeed(server.url('/by-date'), { ...local, lastModified: FIXTURE_LAST_MODIFIED });
    expect(result.status).toBe('not-modified');
  });

  it('gets the full body again when the ETag changed', async () => {
    server.route('/changed', { kind: 'document', body: '<rss version="2.0"/>', etag: '"new"' });
    const result = await fetchFeed(server.url('/changed'), { ...local, etag: '"old"' });
    expect(result).toMatchObject({ status: 'ok', etag: '"new"' });
  });

  it('sends no validators when it has none', async () => {
    await fetchFeed(server.url('/feeds/rdf.xml'), local);
    const [request] = server.requests('/feeds/rdf.xml');
    expect(request?.headers['if-none-match']).toBeUndefined();
    expect(request?.headers['if-modified-since']).toBeUndefined();
  });

  it('reports 429 with its Retry-After', async () => {
    server.route('/busy', { kind: 'status', status: 429, headers: { 'retry-after': '120' } });
    const error = expectError(await fetchFeed(server.url('/busy'), local), 'http');
    expect(error).toMatchObject({ httpStatus: 429, retryAfter: '120', message: 'HTTP 429' });
  });

  it('reports a server error', async () => {
    server.route('/broken', { kind: 'status', status: 500, body: 'stack trace that must not leak' });
    const error = expectError(await fetchFeed(server.url('/broken'), local), 'http');
    expect(error.httpStatus).toBe(500);
    expect(error.message).not.toContain('stack');
  });

  it('reports a missing feed', async () => {
    expect(expectError(await fetchFeed(server.url('/nowhere'), local), 'http').httpStatus).toBe(404);
  });

  it('times out on a slow body, counting the whole transfer', async () => {
    server.route('/slow', { kind: 'trickle', intervalMs: 50, chunks: 100 });
    const started = Date.now();
    const error = expectError(await fetchFeed(server.url('/slow'), { ...local, timeoutMs: 300 }), 'timeout');
    expect(error.message).toMatch(/300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('times out while DNS does not answer', async () => {
    const silent = () => new Promise<never>(() => undefined);
    expectError(await fetchFeed('http://stuck.pressbox.test/feed', { ...local, timeoutMs: 200, resolver: silent }), 'timeout');
  });

  it('lets the caller cancel a fetch, rethrowing the reason instead of reporting a feed error', async () => {
    server.route('/cancelled', { kind: 'trickle', intervalMs: 50, chunks: 100 });
    const controller = new AbortController();
    const pending = fetchFeed(server.url('/cancelled'), { ...local, signal: controller.signal });
    controller.abort(new Error('job cancelled'));
    await expect(pending).rejects.toThrow('job cancelled');
  });

  it('reports a refused connection as a network error', async () => {
    const port = await closedPort();
    const error = expectError(await fetchFeed(`http://127.0.0.1:${String(port)}/feed`, local), 'network');
    expect(error.message).toBe('connection refused');
  });

  it('decompresses a gzip body', async () => {
    server.route('/gzipped', { kind: 'document', body: readFixture(feedFixtures.atom), gzip: true });
    const result = await fetchFeed(server.url('/gzipped'), local);
    if (result.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
    expect(result.body.toString('utf8')).toBe(readFixture(feedFixtures.atom));
  });
});

describe('redirects', () => {
  it('follows a chain of redirects and reports the final URL', async () => {
    for (let hop = 1; hop <= 5; hop++)
      server.route(`/chain/${String(hop)}`, {
        kind: 'redirect',
        location: hop === 5 ? '/feeds/rss2.xml' : `/chain/${String(hop + 1)}`,
        status: hop % 2 === 0 ? 301 : 307,
      });
    const result = await fetchFeed(server.url('/chain/1'), local);
    expect(result).toMatchObject({ status: 'ok', finalUrl: server.url('/feeds/rss2.xml') });
  });

  it('reports a new address only when every redirect was permanent', async () => {
    server.route('/moved/a', { kind: 'redirect', location: '/moved/b', status: 301 });
    server.route('/moved/b', { kind: 'redirect', location: '/feeds/rss2.xml', status: 308 });
    expect(await fetchFeed(server.url('/moved/a'), local)).toMatchObject({ status: 'ok', movedTo: server.url('/feeds/rss2.xml') });

    server.route('/mixed/a', { kind: 'redirect', location: '/mixed/b', status: 301 });
    server.route('/mixed/b', { kind: 'redirect', location: '/feeds/rss2.xml', status: 302 });
    const mixed = await fetchFeed(server.url('/mixed/a'), local);
    expect(mixed).toMatchObject({ status: 'ok', finalUrl: server.url('/feeds/rss2.xml') });
    expect(mixed).not.toHaveProperty('movedTo');

    const direct = await fetchFeed(server.url('/feeds/rss2.xml'), local);
    expect(direct).not.toHaveProperty('movedTo');
  });

  it('gives up after 5 redirects', async () => {
    for (let hop = 1; hop <= 7; hop++) server.route(`/long/${String(hop)}`, { kind: 'redirect', location: `/long/${String(hop + 1)}` });
    const error = expectError(await fetchFeed(server.url('/long/1'), local), 'redirects');
    expect(error.message).toMatch(/more than 5 redirects/);
    expect(server.count('/long/6')).toBe(1);
    expect(server.count('/long/7')).toBe(0);
  });

  it('detects a redirect loop', async () => {
    server.route('/loop/a', { kind: 'redirect', location: '/loop/b' });
    server.route('/loop/b', { kind: 'redirect', location: '/loop/a' });
    const error = expectError(await fetchFeed(server.url('/loop/a'), local), 'redirects');
    expect(error.message).toBe('redirect loop');
    expect(server.count('/loop/a')).toBe(1);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    server.route('/to-file', { kind: 'redirect', location: 'file:///etc/passwd' });
    expectError(await fetchFeed(server.url('/to-file'), local), 'blocked');
  });
});

describe('size limits', () => {
  it('aborts a body larger than 10 MiB as soon as the cap is passed', async () => {
    server.route('/huge', { kind: 'oversized', bytes: FEED_MAX_BYTES + 1024 * 1024 });
    const error = expectError(await fetchFeed(server.url('/huge'), local), 'too-large');
    expect(error.message).toContain(String(FEED_MAX_BYTES));
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    server.route('/declared', { kind: 'oversized', bytes: 2048, declareLength: true });
    expectError(await fetchFeed(server.url('/declared'), { ...local, maxBytes: 1024 }), 'too-large');
  });

  it('stops a gzip bomb by counting bytes after decompression', async () => {
    server.route('/bomb', { kind: 'gzip-bomb', decompressedBytes: 64 * 1024 * 1024 });
    const started = Date.now();
    expectError(await fetchFeed(server.url('/bomb'), local), 'too-large');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('accepts a compressed body whose decompressed size is under the cap', async () => {
    const body = `<rss version="2.0"><channel><title>${'x'.repeat(5_000)}</title></channel></rss>`;
    server.route('/small-gzip', { kind: 'document', body, gzip: true });
    expect(gzipSync(body).length).toBeLessThan(1024);
    const result = await fetchFeed(server.url('/small-gzip'), { ...local, maxBytes: 10_000 });
    expect(result.status).toBe('ok');
  });
});

describe('per-host concurrency', () => {
  it('never has more than 2 requests in flight to one host', async () => {
    const probe = await startFeedServer();
    try {
      for (let index = 0; index < 6; index++)
        probe.route(`/slow/${String(index)}`, { kind: 'document', body: '<rss version="2.0"/>', delayMs: 100 });
      const results = await Promise.all(Array.from({ length: 6 }, (_, index) => fetchFeed(probe.url(`/slow/${String(index)}`), local)));
      expect(results.every((result) => result.status === 'ok')).toBe(true);
      expect(probe.requests()).toHaveLength(6);
      expect(probe.maxConcurrent()).toBe(2);
    } finally {
      await probe.close();
    }
  });
});
