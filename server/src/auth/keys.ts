import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { systemClock, type Clock } from '@pressbox/db';
import { createRefetchBudget } from './refetch-budget.ts';

export interface Jwks {
  keys: (JsonWebKey & { kid?: string })[];
}

/** Finds the public key for a token's key id, imported once and ready for `crypto.verify`. */
export interface KeySource {
  get(kid: string | undefined): Promise<KeyObject | undefined>;
}

/** Smallest RSA modulus accepted; Clerk signs with 2048-bit keys. */
const MIN_MODULUS_BITS = 2048;
const MAX_KEYS = 100;
const MAX_JWKS_BYTES = 256 * 1024;

const signingJwk = z.object({
  kid: z.string().min(1).max(256),
  kty: z.literal('RSA'),
  n: z.string().min(1),
  e: z.string().min(1),
  use: z.literal('sig').optional(),
  alg: z.literal('RS256').optional(),
});

/** An RSA public key of at least 2048 bits, or undefined for anything else. */
function rsaPublicKey(key: KeyObject): KeyObject | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return key.asymmetricKeyType === 'rsa' && bits >= MIN_MODULUS_BITS ? key : undefined;
}

/**
 * Imports the RS256 signing keys of a key set, by kid. Keys of other types, uses or algorithms,
 * short RSA keys and keys that do not import are left out: no token can name them.
 */
export function importSigningKeys(keys: readonly unknown[]): Map<string, KeyObject> {
  const byKid = new Map<string, KeyObject>();
  for (const candidate of keys.slice(0, MAX_KEYS)) {
    const jwk = signingJwk.safeParse(candidate);
    if (!jwk.success) continue;
    try {
      const key = rsaPublicKey(createPublicKey({ key: { kty: 'RSA', n: jwk.data.n, e: jwk.data.e }, format: 'jwk' }));
      if (key) byKid.set(jwk.data.kid, key);
    } catch {
      // Not a usable key: tokens naming it are refused like tokens naming no key.
    }
  }
  return byKid;
}

/** A fixed key set: dev mode's own key. */
export function staticKeySource(jwks: Jwks): KeySource {
  const byKid = importSigningKeys(jwks.keys);
  return {
    get: (kid) => Promise.resolve(kid === undefined ? undefined : byKid.get(kid)),
  };
}

/**
 * Clerk's networkless mode: one PEM public key (`CLERK_JWT_KEY`), whatever the token's kid.
 * Throws when the PEM is not an RSA public key of at least 2048 bits.
 */
export function pemKeySource(pem: string): KeySource {
  const key = rsaPublicKey(createPublicKey(pem));
  if (!key) throw new Error(`CLERK_JWT_KEY: expected an RSA public key of at least ${String(MIN_MODULUS_BITS)} bits`);
  return { get: () => Promise.resolve(key) };
}

export interface RemoteJwksOptions {
  /** `${CLERK_API_URL}/v1/jwks` */
  url: string;
  secretKey?: string | undefined;
  /** Refetch the whole set after this long even when every kid is known (default 1 h). */
  maxAgeMs?: number;
  /** Refetches for unseen kids: this many at once (default 3), then one per `refetchIntervalMs`. */
  refetchBurst?: number;
  /** Default 1 s. */
  refetchIntervalMs?: number;
  /** A kid that a fetch begun after its token arrived did not list is refused for this long without refetching (default 60 s). */
  absentKidTtlMs?: number;
  timeoutMs?: number;
  clock?: Clock;
  onFetch?: (outcome: 'ok' | 'error') => void;
}

interface FetchOutcome {
  /** Clock time at which the fetch began. */
  startedAt: number;
  ok: boolean;
}

/** The key set as last fetched, and the fetches that renew it: one at a time, within the budget. */
interface KeySetFetcher {
  keys(): Map<string, KeyObject>;
  /** Clock time of the last successful fetch. */
  fetchedAt(): number;
  /** The fetch under way, else the next one the budget allows (shared by all who wait for it). */
  nextFetch(): Promise<FetchOutcome>;
  /** Whether `nextFetch` would not wait for the budget. */
  canFetchNow(): boolean;
  fetches(): number;
}

function createKeySetFetcher(options: RemoteJwksOptions, clock: Clock): KeySetFetcher {
  const budget = createRefetchBudget(options.refetchBurst ?? 3, options.refetchIntervalMs ?? 1_000, clock.now());
  let keys = new Map<string, KeyObject>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<FetchOutcome> | undefined;
  let waitingForBudget: Promise<FetchOutcome> | undefined;
  let fetchCount = 0;

  async function fetchKeySet(): Promise<FetchOutcome> {
    const startedAt = clock.now();
    budget.spend(startedAt);
    fetchCount += 1;
    try {
      keys = await downloadSigningKeys(options);
      fetchedAt = clock.now();
      options.onFetch?.('ok');
      return { startedAt, ok: true };
    } catch {
      options.onFetch?.('error');
      return { startedAt, ok: false };
    }
  }

  function startFetch(): Promise<FetchOutcome> {
    inFlight ??= fetchKeySet().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    keys: () => keys,
    fetchedAt: () => fetchedAt,
    fetches: () => fetchCount,
    canFetchNow: () => inFlight !== undefined || (waitingForBudget === undefined && budget.waitMs(clock.now()) === 0),
    nextFetch() {
      if (inFlight) return inFlight;
      if (waitingForBudget) return waitingForBudget;
      const waitMs = budget.waitMs(clock.now());
      if (waitMs === 0) return startFetch();
      waitingForBudget = clock.sleep(waitMs).then(() => {
        waitingForBudget = undefined;
        return startFetch();
      });
      return waitingForBudget;
    },
  };
}

const MAX_ABSENT_KIDS = 1_000;

/**
 * Clerk's JWKS, fetched with the secret key, imported once per fetch and cached by kid.
 *
 * An unseen kid may be a rotation or a forgery, and only a fetch tells them apart, so it waits for
 * a fetch that began after its token arrived and is then answered from that set. Fetches are
 * shared by every lookup waiting at the time (single flight) and paced by a budget: a few at once,
 * then one per interval. A new key is thus picked up at once, even right after a forged kid, and
 * a flood of forged kids costs at most the budget, its tokens waiting at most one interval. A kid
 * such a fetch did not list is refused at once for a while. A failed fetch keeps the last good keys.
 */
export function remoteJwksKeySource(options: RemoteJwksOptions): KeySource & { fetches(): number } {
  const clock = options.clock ?? systemClock;
  const maxAgeMs = options.maxAgeMs ?? 3_600_000;
  const absentKidTtlMs = options.absentKidTtlMs ?? 60_000;
  const fetcher = createKeySetFetcher(options, clock);
  const absentUntil = new Map<string, number>();

  function markAbsent(kid: string): void {
    if (absentUntil.size >= MAX_ABSENT_KIDS) absentUntil.delete(absentUntil.keys().next().value ?? '');
    absentUntil.set(kid, clock.now() + absentKidTtlMs);
  }

  /** A known kid; once the set is old, renewed first when the budget allows (a key Clerk dropped is then refused). */
  async function knownKey(kid: string, key: KeyObject): Promise<KeyObject | undefined> {
    if (clock.now() - fetcher.fetchedAt() <= maxAgeMs || !fetcher.canFetchNow()) return key;
    const outcome = await fetcher.nextFetch();
    return outcome.ok ? fetcher.keys().get(kid) : key;
  }

  async function unseenKey(kid: string): Promise<KeyObject | undefined> {
    const askedAt = clock.now();
    if ((absentUntil.get(kid) ?? Number.NEGATIVE_INFINITY) > askedAt) return undefined;
    // At most two rounds: the fetch under way when the token arrived may predate its key; the
    // next one cannot.
    for (let round = 0; round < 2; round++) {
      const outcome = await fetcher.nextFetch();
      const key = fetcher.keys().get(kid);
      if (key) return key;
      if (outcome.startedAt >= askedAt) {
        if (outcome.ok) markAbsent(kid);
        return undefined;
      }
    }
    return undefined;
  }

  return {
    fetches: () => fetcher.fetches(),
    get(kid) {
      if (kid === undefined) return Promise.resolve(undefined);
      const key = fetcher.keys().get(kid);
      return key ? knownKey(kid, key) : unseenKey(kid);
    },
  };
}

async function downloadSigningKeys(options: RemoteJwksOptions): Promise<Map<string, KeyObject>> {
  const response = await fetch(options.url, {
    headers: {
      accept: 'application/json',
      ...(options.secretKey ? { authorization: `Bearer ${options.secretKey}` } : {}),
    },
    signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`JWKS answered ${String(response.status)}`);
  const text = await response.text();
  if (text.length > MAX_JWKS_BYTES) throw new Error('JWKS too large');
  const body = z.object({ keys: z.array(z.unknown()) }).safeParse(JSON.parse(text));
  if (!body.success) throw new Error('JWKS has no keys');
  return importSigningKeys(body.data.keys);
}
