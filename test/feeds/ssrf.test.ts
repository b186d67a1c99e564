import { fetchFeed, type FetchResult, type Resolver } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';

let server: FeedServer;
let port: string;
const strict = { allowPrivateNetworks: false, timeoutMs: 2_000 };

beforeAll(async () => {
  server = await startFeedServer();
  port = new URL(server.origin).port;
});

afterAll(async () => {
  await server.close();
});

function resolverFrom(answers: Record<string, string[]>, calls: string[] = []): Resolver {
  return (hostname) => {
    calls.push(hostname);
    return Promise.resolve((answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

function expectBlocked(result: FetchResult): void {
  expect(result).toMatchObject({ status: 'error', kind: 'blocked' });
}

describe('with private networks refused', () => {
  it.each([
    ['loopback', () => `http://127.0.0.1:${port}/feeds/rss2.xml`],
    ['loopback on a public port', () => 'http://127.0.0.1/feeds/rss2.xml'],
    ['10/8', () => 'http://10.0.0.1/feed'],
    ['172.16/12', () => 'http://172.16.0.1/feed'],
    ['192.168/16', () => 'http://192.168.1.1/feed'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['CGNAT', () => 'http://100.64.0.1/feed'],
    ['0.0.0.0', () => 'http://0.0.0.0/feed'],
    ['IPv6 loopback', () => 'http://[::1]/feed'],
    ['IPv4-mapped loopback', () => 'http://[::ffff:127.0.0.1]/feed'],
    ['IPv6 unique local', () => 'http://[fd00::1]/feed'],
    ['IPv6 link-local', () => 'http://[fe80::1]/feed'],
    ['NAT64 of a private address', () => 'http://[64:ff9b::a00:1]/feed'],
    ['decimal loopback', () => 'http://2130706433/feed'],
  ])('refuses %s', async (_name, url) => {
    expectBlocked(await fetchFeed(url(), strict));
  });

  it('never contacts a refused address', async () => {
    const before = server.requests().length;
    expectBlocked(await fetchFeed(server.url('/feeds/rss2.xml'), strict));
    expect(server.requests()).toHaveLength(before);
  });

  it('refuses localhost through the system resolver', async () => {
    expectBlocked(await fetchFeed('http://localhost/feed', strict));
  });

  it('refuses a host name that resolves to a private address', async () => {
    const result = await fetchFeed('https://feeds.innocent.example/rss', {
      ...strict,
      resolver: resolverFrom({ 'feeds.innocent.example': ['10.20.30.40'] }),
    });
    expectBlocked(result);
    expect(result.status === 'error' && result.message).toContain('10.20.30.40');
  });

  it('refuses a host name when any one of its addresses is private', async () => {
    expectBlocked(
      await fetchFeed('https://mixed.example/rss', {
        ...strict,
        resolver: resolverFrom({ 'mixed.example': ['93.184.216.34', '192.168.0.10'] }),
      }),
    );
  });

  it('refuses a host name that resolves to an IPv4-mapped loopback address', async () => {
    expectBlocked(
      await fetchFeed('https://mapped.example/rss', { ...strict, resolver: resolverFrom({ 'mapped.example': ['::ffff:127.0.0.1'] }) }),
    );
  });

  it('refuses ports other than 80, 443, 8080 and 8443', async () => {
    const result = await fetchFeed('https://feeds.example.com:6379/', {
      ...strict,
      resolver: resolverFrom({ 'feeds.example.com': ['93.184.216.34'] }),
    });
    expectBlocked(result);
  });

  it('refuses credentials in the URL', async () => {
    expectBlocked(await fetchFeed('https://user:pass@feeds.example.com/', strict));
  });

  it('refuses a redirect from an allowed server to a private address', async () => {
    // The fake server's own origin is trusted explicitly (it lives on loopback); the redirect
    // target is checked with the normal rules and refused before any connection is made.
    server.route('/to-private', { kind: 'redirect', location: 'http://10.0.0.1/latest/meta-data/' });
    const result = await fetchFeed(server.url('/to-private'), { ...strict, trustedOrigins: [server.origin] });
    expectBlocked(result);
    expect(server.count('/to-private')).toBe(1);
  });

  it('refuses a redirect to the metadata address by host name', async () => {
    server.route('/to-metadata-name', { kind: 'redirect', location: 'http://metadata.internal/computeMetadata/v1/' });
    const resolver = resolverFrom({ 'metadata.internal': ['169.254.169.254'] });
    expectBlocked(await fetchFeed(server.url('/to-metadata-name'), { ...strict, resolver, trustedOrigins: [server.origin] }));
  });

  it('refuses a redirect from a trusted origin to another port of the same host', async () => {
    server.route('/to-other-port', { kind: 'redirect', location: 'http://127.0.0.1:1/feed' });
    expectBlocked(await fetchFeed(server.url('/to-other-port'), { ...strict, trustedOrigins: [server.origin] }));
  });

  it('still fetches from a trusted origin', async () => {
    const result = await fetchFeed(server.url('/feeds/rss2.xml'), { ...strict, trustedOrigins: [server.origin] });
    expect(result.status).toBe('ok');
  });
});

describe('DNS pinning', () => {
  it('resolves once and connects to the address it checked, keeping the host name in the request', async () => {
    const calls: string[] = [];
    let answer = 0;
    // A rebinding resolver: a harmless answer first, then a different one on any later lookup.
    const rebinding: Resolver = (hostname) => {
      calls.push(hostname);
      answer += 1;
      return Promise.resolve([{ address: answer === 1 ? '127.0.0.1' : '10.9.9.9', family: 4 as const }]);
    };
    const result = await fetchFeed(`http://feeds.pressbox.test:${port}/feeds/atom.xml`, {
      allowPrivateNetworks: true,
      resolver: rebinding,
      timeoutMs: 2_000,
    });
    expect(result.status).toBe('ok');
    expect(calls).toEqual(['feeds.pressbox.test']);
    const last = server.requests('/feeds/atom.xml').at(-1);
    expect(last?.headers.host).toBe(`feeds.pressbox.test:${port}`);
  });

  it('checks the redirect target host with a fresh lookup of its own', async () => {
    server.route('/hop', { kind: 'redirect', location: `http://second.pressbox.test:${port}/feeds/rdf.xml` });
    const calls: string[] = [];
    const resolver = resolverFrom({ 'first.pressbox.test': ['127.0.0.1'], 'second.pressbox.test': ['127.0.0.1'] }, calls);
    const result = await fetchFeed(`http://first.pressbox.test:${port}/hop`, { allowPrivateNetworks: true, resolver, timeoutMs: 2_000 });
    expect(result).toMatchObject({ status: 'ok', finalUrl: `http://second.pressbox.test:${port}/feeds/rdf.xml` });
    expect(calls).toEqual(['first.pressbox.test', 'second.pressbox.test']);
  });
});
