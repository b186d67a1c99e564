import type { JsonWebKey } from 'node:crypto';
import { decodeJwt, verifyJwt } from '@clerk/backend/jwt';

/** What a verified Clerk session token says about its caller. */
export interface SessionClaims {
  userId: string;
  sessionId: string | null;
  /** Seconds since the epoch. */
  expiresAt: number;
  authorizedParty: string | null;
}

/** Why a token was refused. Logged at debug level only; callers just get 401. */
export class InvalidSessionError extends Error {
  override name = 'InvalidSessionError';
}

/** Finds the public key for a key id: a JWK, or a PEM when Clerk's networkless key is used. */
export interface KeySource {
  get(kid: string | undefined): Promise<JsonWebKey | string | undefined>;
}

export interface SessionVerifierOptions {
  keys: KeySource;
  /** Required `iss`. */
  issuer: string;
  /** Allowed `azp` values; empty means not checked. */
  authorizedParties: readonly string[];
  clockSkewMs?: number;
}

export type SessionVerifier = (token: string) => Promise<SessionClaims>;

const userIdPattern = /^[A-Za-z0-9_-]{1,128}$/;
const tokenPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Verifies Clerk session JWTs with Clerk's own `verifyJwt` (RS256/384/512 only; signature, `sub`,
 * `azp`, `iss`, `exp`, `nbf`, `iat` with clock skew), over keys we fetch and cache ourselves, and
 * refuses sessions that are still pending.
 *
 * @example
 * const verify = createSessionVerifier({ keys, issuer: 'https://clerk.example.com', authorizedParties: [] });
 * const session = await verify(token); // throws InvalidSessionError
 */
export function createSessionVerifier(options: SessionVerifierOptions): SessionVerifier {
  const clockSkewInMs = options.clockSkewMs ?? 5_000;
  const verified = new Map<string, SessionClaims>();
  const verify = verifyUncached(options, clockSkewInMs);
  /**
   * A token verified once stays valid until it expires (session tokens cannot be revoked one by
   * one; they are short-lived instead), so repeat requests skip the signature check.
   */
  return async function verifySessionToken(token: string): Promise<SessionClaims> {
    const known = verified.get(token);
    if (known) {
      if (known.expiresAt * 1000 + clockSkewInMs > Date.now()) return known;
      verified.delete(token);
    }
    const claims = await verify(token);
    if (verified.size >= MAX_CACHED_SESSIONS) verified.delete(verified.keys().next().value ?? '');
    verified.set(token, claims);
    return claims;
  };
}

const MAX_CACHED_SESSIONS = 10_000;

function verifyUncached(options: SessionVerifierOptions, clockSkewInMs: number): SessionVerifier {
  return async function verifySessionToken(token: string): Promise<SessionClaims> {
    if (token.length > 8192 || !tokenPattern.test(token)) throw new InvalidSessionError('malformed token');
    let kid: string | undefined;
    try {
      kid = decodeJwt(token).header.kid;
    } catch {
      throw new InvalidSessionError('undecodable token');
    }
    const key = await options.keys.get(kid);
    if (key === undefined) throw new InvalidSessionError('unknown key id');
    let payload: Awaited<ReturnType<typeof verifyJwt>>;
    try {
      payload = await verifyJwt(token, {
        key,
        issuer: options.issuer,
        authorizedParties: options.authorizedParties.length > 0 ? [...options.authorizedParties] : undefined,
        clockSkewInMs,
      });
    } catch (error) {
      throw new InvalidSessionError(error instanceof Error ? error.message : 'verification failed');
    }
    const claims = payload as unknown as Record<string, unknown>;
    if (typeof payload.sub !== 'string' || !userIdPattern.test(payload.sub)) throw new InvalidSessionError('bad sub');
    if (claims.sts === 'pending') throw new InvalidSessionError('pending session');
    if (typeof payload.exp !== 'number') throw new InvalidSessionError('missing exp');
    if (typeof payload.iat === 'number' && payload.iat * 1000 > Date.now() + clockSkewInMs) {
      throw new InvalidSessionError('issued in the future');
    }
    return {
      userId: payload.sub,
      sessionId: typeof claims.sid === 'string' ? claims.sid : null,
      expiresAt: payload.exp,
      authorizedParty: typeof claims.azp === 'string' ? claims.azp : null,
    };
  };
}

/**
 * Reads a credential from `Authorization: Bearer <token>` only (never cookies or the query
 * string). Returns undefined when the header is absent, null when it is present but malformed.
 */
export function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer ([^\s]+)$/.exec(header.trim());
  return match?.[1] ?? null;
}
