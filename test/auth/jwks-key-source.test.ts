import { remoteJwksKeySource } from '@pressbox/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeClerk, type FakeClerk } from '../fakes/clerk.ts';

describe('the Clerk JWKS key source', () => {
  let fake: FakeClerk;
  beforeAll(async () => {
    fake = await startFakeClerk();
  });
  afterAll(async () => {
    await fake.close();
  });

  function source(clock: { now: number }, minRefetchIntervalMs = 30_000) {
    return remoteJwksKeySource({
      url: `${fake.url}/v1/jwks`,
      secretKey: fake.secretKey,
      now: () => clock.now,
      minRefetchIntervalMs,
      timeoutMs: 500,
    });
  }

  it('fetches once and serves known kids from its cache', async () => {
    const clock = { now: 1_000_000 };
    const keys = source(clock);
    const before = fake.jwksFetches;
    const kid = fake.keys[0]!.kid;
    for (let i = 0; i < 10; i++) expect(await keys.get(kid)).toMatchObject({ kid });
    expect(fake.jwksFetches - before).toBe(1);
  });

  it('picks up a rotated key when an unseen kid appears, but not more often than the refetch interval', async () => {
    const clock = { now: 2_000_000 };
    const keys = source(clock);
    await keys.get(fake.keys[0]!.kid);
    const rotated = fake.rotate();
    expect(await keys.get(rotated.kid)).toBeUndefined();
    clock.now += 30_000;
    expect(await keys.get(rotated.kid)).toMatchObject({ kid: rotated.kid });
    expect(keys.fetches()).toBe(2);
  });

  it('shares one fetch among concurrent lookups of an unseen kid', async () => {
    const clock = { now: 3_000_000 };
    const keys = source(clock);
    fake.latencyMs = 50;
    try {
      await Promise.all(Array.from({ length: 20 }, () => keys.get('kid_unknown')));
      expect(keys.fetches()).toBe(1);
    } finally {
      fake.latencyMs = 0;
    }
  });

  it('keeps the last good keys when the JWKS endpoint fails', async () => {
    const clock = { now: 4_000_000 };
    const keys = source(clock, 1_000);
    const kid = fake.keys[0]!.kid;
    expect(await keys.get(kid)).toBeDefined();
    fake.failWith = 500;
    try {
      clock.now += 4_000_000;
      expect(await keys.get(kid)).toMatchObject({ kid });
      expect(keys.fetches()).toBe(2);
    } finally {
      fake.failWith = 0;
    }
  });

  it('gives up on a slow JWKS endpoint after its timeout', async () => {
    const clock = { now: 5_000_000 };
    const keys = source(clock);
    fake.latencyMs = 2_000;
    try {
      const started = performance.now();
      expect(await keys.get(fake.keys[0]!.kid)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      fake.latencyMs = 0;
    }
  });
});
