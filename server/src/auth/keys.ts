import type { JsonWebKey } from 'node:crypto';
import type { KeySource } from './verifier.ts';

export interface Jwks {
  keys: (JsonWebKey & { kid?: string })[];
}

/** A fixed key set: dev mode's own key. */
export function staticKeySource(jwks: Jwks): KeySource {
  const byKid = new Map(jwks.keys.map((key) => [key.kid, key]));
  return {
    get: (kid) => Promise.resolve(kid === undefined ? undefined : byKid.get(kid)),
  };
}

/** Clerk's networkless mode: one PEM public key (`CLERK_JWT_KEY`), whatever the token's kid. */
export function pemKeySource(pem: string): KeySource {
  return { get: () => Promise.resolve(pem) };
}

export interface RemoteJwksOptions {
  /** `${CLERK_API_URL}/v1/jwks` */
  url: string;
  secretKey?: string | undefined;
  /** Refetch the whole set after this long even when every kid is known (default 1 h). */
  maxAgeMs?: number;
  /** An unseen kid triggers at most one refetch per this interval (default 30 s). */
  minRefetchIntervalMs?: number;
  timeoutMs?: number;
  now?: () => number;
  onFetch?: (outcome: 'ok' | 'error') => void;
}

/**
 * Clerk's JWKS, fetched with the secret key and cached. An unseen kid (a rotation) refetches,
 * but at most once per `minRefetchIntervalMs` and never concurrently, so a flood of tokens with
 * made-up kids costs one fetch, not one per request. A failed fetch keeps the last good keys.
 */
export function remoteJwksKeySource(options: RemoteJwksOptions): KeySource & { fetches(): number } {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 3_600_000;
  const minRefetchIntervalMs = options.minRefetchIntervalMs ?? 30_000;
  let keys = new Map<string, JsonWebKey>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let fetchCount = 0;

  async function refresh(): Promise<void> {
    attemptedAt = now();
    fetchCount += 1;
    try {
      const response = await fetch(options.url, {
        headers: {
          accept: 'application/json',
          ...(options.secretKey ? { authorization: `Bearer ${options.secretKey}` } : {}),
        },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`JWKS answered ${String(response.status)}`);
      const body = (await response.json()) as Partial<Jwks>;
      if (!Array.isArray(body.keys)) throw new Error('JWKS has no keys');
      keys = new Map(
        body.keys
          .filter((key): key is JsonWebKey & { kid: string } => typeof key.kid === 'string' && key.kty === 'RSA')
          .map((key) => [key.kid, key]),
      );
      fetchedAt = now();
      options.onFetch?.('ok');
    } catch {
      options.onFetch?.('error');
    }
  }

  function refreshOnce(): Promise<void> {
    inFlight ??= refresh().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    fetches: () => fetchCount,
    async get(kid) {
      if (kid === undefined) return undefined;
      const stale = now() - fetchedAt > maxAgeMs;
      const mayRefetch = now() - attemptedAt >= minRefetchIntervalMs;
      if (inFlight) await inFlight;
      else if ((stale || !keys.has(kid)) && mayRefetch) await refreshOnce();
      return keys.get(kid);
    },
  };
}
