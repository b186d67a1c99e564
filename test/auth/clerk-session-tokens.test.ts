import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  createClerkKey,
  hs256WithPublicKey,
  mintClerkToken,
  publishableKeyFor,
  startFakeClerk,
  unsignedToken,
  type FakeClerk,
} from '../fakes/clerk.ts';

const host = 'clerk.pressbox.test';
const issuer = `https://${host}`;
const party = 'https://app.pressbox.test';

interface Case {
  name: string;
  header: (fake: FakeClerk, sub: string) => Promise<string | undefined>;
  query?: (fake: FakeClerk, sub: string) => Promise<string>;
}

const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => `Bearer ${token}`;
const valid = (fake: FakeClerk, sub: string, claims: Record<string, unknown> = {}) =>
  mintClerkToken(fake.keys[0]!, { sub, iss: issuer, azp: party, ...claims });

/** Every row must be a 401 that creates no user. */
const negativeCases: Case[] = [
  { name: 'expired', header: async (f, sub) => bearer(await valid(f, sub, { iat: now() - 600, nbf: now() - 600, exp: now() - 540 })) },
  { name: 'not yet valid', header: async (f, sub) => bearer(await valid(f, sub, { nbf: now() + 60, exp: now() + 120 })) },
  {
    name: 'expired beyond the 5 s clock skew',
    header: async (f, sub) => bearer(await valid(f, sub, { iat: now() - 70, nbf: now() - 70, exp: now() - 7 })),
  },
  {
    name: 'issued in the future beyond the skew',
    header: async (f, sub) => bearer(await valid(f, sub, { iat: now() + 30, nbf: now() - 1, exp: now() + 90 })),
  },
  {
    name: 'signed by another key under a known kid',
    header: async (f, sub) => bearer(await mintClerkToken(createClerkKey(f.keys[0]!.kid), { sub, iss: issuer, azp: party })),
  },
  {
    name: 'payload tampered after signing',
    header: async (f, sub) => {
      const [head, , signature] = (await valid(f, 'user_someone_else')).split('.');
      const payload = Buffer.from(
        JSON.stringify({ sub, iss: issuer, azp: party, iat: now(), nbf: now() - 5, exp: now() + 60, sts: 'active', v: 2 }),
      ).toString('base64url');
      return bearer(`${head ?? ''}.${payload}.${signature ?? ''}`);
    },
  },
  { name: 'unknown kid', header: async (f, sub) => bearer(await mintClerkToken(createClerkKey(), { sub, iss: issuer, azp: party })) },
  {
    name: 'alg none',
    header: (f, sub) =>
      Promise.resolve(bearer(unsignedToken({ sub, iss: issuer, azp: party, iat: now(), exp: now() + 60 }, f.keys[0]!.kid))),
  },
  {
    name: 'HS256 signed with the public key',
    header: (f, sub) =>
      Promise.resolve(
        bearer(
          hs256WithPublicKey({ sub, iss: issuer, azp: party, iat: now(), nbf: now() - 5, exp: now() + 60, sts: 'active' }, f.keys[0]!),
        ),
      ),
  },
  { name: 'wrong azp', header: async (f, sub) => bearer(await valid(f, sub, { azp: 'https://evil.example' })) },
  { name: 'missing azp', header: async (f, sub) => bearer(await valid(f, sub, { azp: undefined })) },
  { name: 'wrong iss', header: async (f, sub) => bearer(await valid(f, sub, { iss: 'https://clerk.other.test' })) },
  { name: 'missing sub', header: async (f) => bearer(await valid(f, 'x', { sub: undefined })) },
  { name: 'pending session', header: async (f, sub) => bearer(await valid(f, sub, { sts: 'pending' })) },
  { name: 'scheme in lower case', header: async (f, sub) => `bearer ${await valid(f, sub)}` },
  { name: 'another scheme', header: async (f, sub) => `Token ${await valid(f, sub)}` },
  { name: 'two tokens', header: async (f, sub) => `Bearer ${await valid(f, sub)} ${await valid(f, sub)}` },
  { name: 'bare token without a scheme', header: (f, sub) => valid(f, sub) },
  { name: 'empty bearer', header: () => Promise.resolve('Bearer ') },
  { name: 'garbage', header: () => Promise.resolve('Bearer a.b.c') },
  { name: 'token in the query string', header: () => Promise.resolve(undefined), query: async (f, sub) => `?token=${await valid(f, sub)}` },
  {
    name: 'token in a __session query parameter',
    header: () => Promise.resolve(undefined),
    query: async (f, sub) => `?__session=${await valid(f, sub)}`,
  },
];

describe('Clerk session tokens (JWKS mode)', () => {
  let fake: FakeClerk;
  let app: TestApp;

  beforeAll(async () => {
    fake = await startFakeClerk();
    app = await startTestApp({
      env: {
        AUTH_MODE: 'clerk',
        CLERK_SECRET_KEY: fake.secretKey,
        CLERK_PUBLISHABLE_KEY: publishableKeyFor(host),
        CLERK_API_URL: fake.url,
        CLERK_AUTHORIZED_PARTIES: party,
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  const userCount = (id: string) => app.running.services.prisma.user.count({ where: { id } });

  it('accepts a valid token, creates the user and answers the procedure', async () => {
    const response = await app.fetch('/api/v1/me', { headers: { authorization: bearer(await valid(fake, 'user_valid')) } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'user_valid', role: 'MEMBER' });
    expect(await userCount('user_valid')).toBe(1);
  });

  it('accepts a token that expired less than the 5 s skew ago', async () => {
    const token = await valid(fake, 'user_skew', { iat: now() - 63, nbf: now() - 63, exp: now() - 3 });
    expect((await app.fetch('/api/v1/me', { headers: { authorization: bearer(token) } })).status).toBe(200);
  });

  it.each(negativeCases)('refuses a token that is $name with 401 and creates no user', async (row) => {
    const sub = `user_neg_${randomUUID().slice(0, 8)}`;
    const header = await row.header(fake, sub);
    const query = row.query ? await row.query(fake, sub) : '';
    const response = await app.fetch(`/api/v1/me${query}`, { headers: header === undefined ? {} : { authorization: header } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect([...response.headers.keys()].filter((name) => name.startsWith('x-clerk'))).toEqual([]);
    expect(await userCount(sub)).toBe(0);
  });

  it('never reads credentials from cookies', async () => {
    const token = await valid(fake, 'user_cookie');
    const response = await app.fetch('/api/v1/me', { headers: { cookie: `__session=${token}` } });
    expect(response.status).toBe(401);
    expect(await userCount('user_cookie')).toBe(0);
  });

  it('answers a page-navigation GET with a bad token with 401 JSON, never a redirect', async () => {
    const response = await app.fetch('/api/v1/me', {
      redirect: 'manual',
      headers: {
        accept: 'text/html,application/xhtml+xml',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
        authorization: 'Bearer nope',
      },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('accepts a token signed with a key Clerk rotated in right after a token with a made-up kid', async () => {
    const forged = await mintClerkToken(createClerkKey(), { sub: 'user_forger', iss: issuer, azp: party }, { kid: `kid_${randomUUID()}` });
    expect((await app.fetch('/api/v1/me', { headers: { authorization: bearer(forged) } })).status).toBe(401);
    const rotated = fake.rotate();
    const token = await mintClerkToken(rotated, { sub: 'user_rotated', iss: issuer, azp: party });
    const response = await app.fetch('/api/v1/me', { headers: { authorization: bearer(token) } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'user_rotated' });
  });

  it('keeps a flood of unknown kids within the refetch budget: at most 3 JWKS fetches at once, then 1 a second', async () => {
    const stranger = createClerkKey();
    const tokens = await Promise.all(
      Array.from({ length: 100 }, () =>
        mintClerkToken(stranger, { sub: 'user_flood', iss: issuer, azp: party }, { kid: `kid_${randomUUID()}` }),
      ),
    );
    const before = fake.jwksFetches;
    const started = performance.now();
    const statuses = await Promise.all(
      tokens.map(async (token) => (await app.fetch('/api/v1/me', { headers: { authorization: bearer(token) } })).status),
    );
    const elapsedMs = performance.now() - started;
    expect(statuses.every((status) => status === 401)).toBe(true);
    expect(fake.jwksFetches - before).toBeGreaterThanOrEqual(1);
    expect(fake.jwksFetches - before).toBeLessThanOrEqual(3 + Math.floor(elapsedMs / 1_000));
    expect(await userCount('user_flood')).toBe(0);
  });

  it('fetches no key set for tokens with unknown kids that are expired or for another issuer', async () => {
    const before = fake.jwksFetches;
    const stranger = createClerkKey();
    const expired = await mintClerkToken(
      stranger,
      { sub: 'user_x', iss: issuer, azp: party, iat: now() - 600, exp: now() - 540 },
      { kid: 'kid_old' },
    );
    const foreign = await mintClerkToken(stranger, { sub: 'user_x', iss: 'https://clerk.other.test', azp: party }, { kid: 'kid_foreign' });
    for (const token of [expired, foreign]) {
      expect((await app.fetch('/api/v1/me', { headers: { authorization: bearer(token) } })).status).toBe(401);
    }
    expect(fake.jwksFetches - before).toBe(0);
  });
});

describe('Clerk session tokens (networkless PEM mode)', () => {
  const key = createClerkKey();
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        AUTH_MODE: 'clerk',
        CLERK_JWT_KEY: key.publicPem,
        CLERK_PUBLISHABLE_KEY: publishableKeyFor(host),
        CLERK_AUTHORIZED_PARTIES: party,
        CLERK_API_URL: 'http://127.0.0.1:9',
      },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('accepts a token signed by the configured key without any network', async () => {
    const token = await mintClerkToken(key, { sub: 'user_pem', iss: issuer, azp: party });
    const response = await app.fetch('/api/v1/me', { headers: { authorization: bearer(token) } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'user_pem' });
  });

  it.each([
    ['signed by another key', () => mintClerkToken(createClerkKey(key.kid), { sub: 'user_pem_bad', iss: issuer, azp: party })],
    [
      'expired',
      () => mintClerkToken(key, { sub: 'user_pem_bad', iss: issuer, azp: party, iat: now() - 600, nbf: now() - 600, exp: now() - 540 }),
    ],
    ['pending', () => mintClerkToken(key, { sub: 'user_pem_bad', iss: issuer, azp: party, sts: 'pending' })],
    ['wrong azp', () => mintClerkToken(key, { sub: 'user_pem_bad', iss: issuer, azp: 'https://evil.example' })],
    ['alg none', () => Promise.resolve(unsignedToken({ sub: 'user_pem_bad', iss: issuer, azp: party, exp: now() + 60 }, key.kid))],
    [
      'HS256 with the public key',
      () => Promise.resolve(hs256WithPublicKey({ sub: 'user_pem_bad', iss: issuer, azp: party, iat: now(), exp: now() + 60 }, key)),
    ],
  ])('refuses a token %s', async (_name, mint) => {
    const response = await app.fetch('/api/v1/me', { headers: { authorization: bearer(await mint()) } });
    expect(response.status).toBe(401);
    expect(await app.running.services.prisma.user.count({ where: { id: 'user_pem_bad' } })).toBe(0);
  });
});

describe('dev auth mode', () => {
  it('verifies dev tokens through the same verifier: another data dir’s key is refused', async () => {
    const first = await startTestApp();
    const second = await startTestApp();
    try {
      const foreign = second.token('user_foreign');
      expect((await first.fetch('/api/v1/me', { headers: { authorization: bearer(foreign) } })).status).toBe(401);
      expect((await first.fetch('/api/v1/me', { as: 'user_own' })).status).toBe(200);
      const jwks = (await (await first.fetch('/.well-known/jwks.json')).json()) as { keys: { kid: string; d?: string }[] };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]?.d).toBeUndefined();
      const expired = first.token('user_expired', { now: Date.now() - 7_200_000, ttlSeconds: 60 });
      expect((await first.fetch('/api/v1/me', { headers: { authorization: bearer(expired) } })).status).toBe(401);
    } finally {
      await first.close();
      await second.close();
    }
  }, 90_000);
});
