import { randomUUID, type KeyObject } from 'node:crypto';
import { remoteJwksKeySource } from '@pressbox/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeClerk, type ClerkKey, type FakeClerk } from '../fakes/clerk.ts';
import { manualClock, type ManualClock } from '../support/clock.ts';
import { until } from '../support/waiting.ts';

const isKeyOf = (key: KeyObject | undefined, clerkKey: ClerkKey | undefined) =>
  key !== undefined && clerkKey !== undefined && key.equals(clerkKey.publicKey);
const forgedKid = () => `ins_forged_${randomUUID()}`;

/** Settles when the lookup does, or once it waits on the clock (a pacing sleep only time can end). */
async function settledOrSleeping(lookup: { settled: boolean }, clock: ManualClock): Promise<void> {
  await until(() => lookup.settled || clock.sleeping() > 0, 5_000, 'the lookup to settle or wait for the clock');
}

function tracked<T>(promise: Promise<T>): { settled: boolean; promise: Promise<T> } {
  const state = { settled: false, promise };
  void promise.finally(() => {
    state.settled = true;
  });
  return state;
}

describe('the Clerk JWKS key source', () => {
  let fake: FakeClerk;
  beforeAll(async () => {
    fake = await startFakeClerk();
  });
  afterEach(() => {
    fake.latencyMs = 0;
    fake.failWith = 0;
  });
  afterAll(async () => {
    await fake.close();
  });

  function source(clock: ManualClock, options: { refetchIntervalMs?: number; refetchBurst?: number; maxAgeMs?: number } = {}) {
    return remoteJwksKeySource({ url: `${fake.url}/v1/jwks`, secretKey: fake.secretKey, clock, timeoutMs: 500, ...options });
  }

  it('fetches once, imports each key once and serves known kids from its cache', async () => {
    const keys = source(manualClock());
    const kid = fake.keys[0]!.kid;
    const first = await keys.get(kid);
    expect(isKeyOf(first, fake.keys[0])).toBe(true);
    for (let i = 0; i < 10; i++) expect(await keys.get(kid)).toBe(first);
    expect(keys.fetches()).toBe(1);
  });

  it('accepts a key rotated in right after a token with a made-up kid, at once', async () => {
    const clock = manualClock();
    const keys = source(clock);
    await keys.get(fake.keys[0]!.kid);
    expect(await keys.get(forgedKid())).toBeUndefined();
    const rotated = fake.rotate();
    const startedAt = clock.now();
    expect(isKeyOf(await keys.get(rotated.kid), rotated)).toBe(true);
    expect(clock.now() - startedAt).toBe(0);
    expect(clock.sleeping()).toBe(0);
    expect(keys.fetches()).toBe(3);
  });

  it('answers a burst of 1,000 concurrent made-up kids with one fetch', async () => {
    const keys = source(manualClock());
    fake.latencyMs = 20;
    const found = await Promise.all(Array.from({ length: 1_000 }, () => keys.get(forgedKid())));
    expect(found.every((key) => key === undefined)).toBe(true);
    expect(keys.fetches()).toBe(1);
  });

  it('refuses a made-up kid again without another fetch once a fresh key set has shown it is not Clerk’s', async () => {
    const clock = manualClock();
    const keys = source(clock);
    const kid = forgedKid();
    expect(await keys.get(kid)).toBeUndefined();
    clock.advance(10_000);
    for (let i = 0; i < 5; i++) expect(await keys.get(kid)).toBeUndefined();
    expect(keys.fetches()).toBe(1);
    expect(clock.sleeping()).toBe(0);
  });

  it('keeps a sustained flood of made-up kids within its budget, and a rotated key waits at most one interval', async () => {
    const clock = manualClock();
    const keys = source(clock, { refetchBurst: 3, refetchIntervalMs: 1_000 });
    await keys.get(fake.keys[0]!.kid);
    const before = keys.fetches();
    const floodMs = 10_000;
    const stepMs = 50;
    const lookups: { settled: boolean; promise: Promise<KeyObject | undefined> }[] = [];
    let rotated: ClerkKey | undefined;
    let genuine: { settled: boolean; promise: Promise<KeyObject | undefined> } | undefined;
    let rotatedAt = 0;
    let acceptedAfterMs = Number.POSITIVE_INFINITY;
    for (let elapsed = 0; elapsed < floodMs; elapsed += stepMs) {
      const lookup = tracked(keys.get(forgedKid()));
      lookups.push(lookup);
      if (elapsed === floodMs / 2) {
        rotated = fake.rotate();
        rotatedAt = clock.now();
        genuine = tracked(keys.get(rotated.kid));
      }
      await settledOrSleeping(lookup, clock);
      if (genuine) await settledOrSleeping(genuine, clock);
      if (genuine?.settled && acceptedAfterMs === Number.POSITIVE_INFINITY) acceptedAfterMs = clock.now() - rotatedAt;
      clock.advance(stepMs);
    }
    clock.advance(1_000);
    const found = await Promise.all(lookups.map((lookup) => lookup.promise));
    expect(found.every((key) => key === undefined)).toBe(true);
    expect(isKeyOf(await genuine?.promise, rotated)).toBe(true);
    expect(acceptedAfterMs).toBeLessThanOrEqual(1_000);
    // 3 at once, then one per second: 3 + 10 over 10 s (the warm-up fetch already spent one).
    expect(keys.fetches() - before).toBeLessThanOrEqual(3 + floodMs / 1_000);
    expect(keys.fetches() - before).toBeGreaterThanOrEqual(floodMs / 1_000);
  });

  it('refetches a key set older than its maximum age, and drops a key Clerk no longer lists', async () => {
    const clock = manualClock();
    const keys = source(clock, { maxAgeMs: 60_000 });
    const original = fake.keys[0]!;
    expect(isKeyOf(await keys.get(original.kid), original)).toBe(true);
    fake.rotate();
    fake.rotate();
    clock.advance(30_000);
    expect(isKeyOf(await keys.get(original.kid), original)).toBe(true);
    expect(keys.fetches()).toBe(1);
    clock.advance(30_001);
    expect(await keys.get(original.kid)).toBeUndefined();
    expect(keys.fetches()).toBe(2);
  });

  it('shares one fetch among concurrent lookups of an unseen kid', async () => {
    const keys = source(manualClock());
    fake.latencyMs = 50;
    await Promise.all(Array.from({ length: 20 }, () => keys.get('kid_unknown')));
    expect(keys.fetches()).toBe(1);
  });

  it('keeps the last good keys when the JWKS endpoint fails', async () => {
    const clock = manualClock();
    const keys = source(clock, { maxAgeMs: 60_000 });
    const kid = fake.keys[0]!.kid;
    expect(await keys.get(kid)).toBeDefined();
    fake.failWith = 500;
    clock.advance(120_000);
    expect(isKeyOf(await keys.get(kid), fake.keys[0])).toBe(true);
    expect(keys.fetches()).toBe(2);
  });

  it('gives up on a slow JWKS endpoint after its timeout', async () => {
    const keys = source(manualClock());
    fake.latencyMs = 2_000;
    const started = performance.now();
    expect(await keys.get(fake.keys[0]!.kid)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
