import { verify as verifySignature } from 'node:crypto';
import { z } from 'zod';
import { systemClock, type Clock } from '@pressbox/db';
import type { KeySource } from './keys.ts';

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

export interface SessionVerifierOptions {
  keys: KeySource;
  /** Required `iss`. */
  issuer: string;
  /** Allowed `azp` values; empty means not checked. */
  authorizedParties: readonly string[];
  clockSkewMs?: number;
  clock?: Pick<Clock, 'now'>;
}

export type SessionVerifier = (token: string) => Promise<SessionClaims>;

const MAX_TOKEN_LENGTH = 8192;
const MAX_CACHED_SESSIONS = 10_000;
const tokenPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The protected header: RS256 only (no `none`, no HMAC, no other RSA digests), no critical extensions. */
const headerSchema = z.object({
  alg: z.literal('RS256'),
  typ: z.literal('JWT').optional(),
  kid: z.string().min(1).max(256).optional(),
  crit: z.never().optional(),
});

/** Clerk session token v2 claims that Pressbox relies on. */
const claimsSchema = z.object({
  sub: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  iss: z.string(),
  exp: z.number(),
  nbf: z.number().optional(),
  iat: z.number().optional(),
  azp: z.string().optional(),
  sid: z.string().optional(),
  sts: z.string().optional(),
});
type Claims = z.infer<typeof claimsSchema>;

/**
 * Verifies Clerk session JWTs: RS256 signature by a key the key source knows (imported once, then
 * checked with `node:crypto`), `iss`, `azp` when authorized parties are set, `exp` (required),
 * `nbf` and `iat` with clock skew (5 s by default), a well-formed `sub`, and no pending session.
 * The claims are checked before the key is looked up, so a token that would be refused anyway
 * never causes a key-set fetch.
 *
 * @example
 * const verify = createSessionVerifier({ keys, issuer: 'https://clerk.example.com', authorizedParties: [] });
 * const session = await verify(token); // throws InvalidSessionError
 */
export function createSessionVerifier(options: SessionVerifierOptions): SessionVerifier {
  const clockSkewMs = options.clockSkewMs ?? 5_000;
  const clock = options.clock ?? systemClock;
  const verified = new Map<string, SessionClaims>();
  const verify = verifyUncached(options, clockSkewMs, clock);
  /**
   * A token verified once stays valid until it expires (session tokens cannot be revoked one by
   * one; they are short-lived instead), so repeat requests skip the signature check.
   */
  return async function verifySessionToken(token: string): Promise<SessionClaims> {
    const known = verified.get(token);
    if (known) {
      if (known.expiresAt * 1000 + clockSkewMs > clock.now()) return known;
      verified.delete(token);
    }
    const claims = await verify(token);
    if (verified.size >= MAX_CACHED_SESSIONS) verified.delete(verified.keys().next().value ?? '');
    verified.set(token, claims);
    return claims;
  };
}

function verifyUncached(options: SessionVerifierOptions, clockSkewMs: number, clock: Pick<Clock, 'now'>): SessionVerifier {
  return async function verifyTokenSignature(token: string): Promise<SessionClaims> {
    if (token.length > MAX_TOKEN_LENGTH || !tokenPattern.test(token)) throw new InvalidSessionError('malformed token');
    const [rawHeader = '', rawPayload = '', rawSignature = ''] = token.split('.');
    const header = headerSchema.safeParse(decodeSegment(rawHeader));
    if (!header.success) throw new InvalidSessionError('unsupported header');
    const claims = claimsSchema.safeParse(decodeSegment(rawPayload));
    if (!claims.success) throw new InvalidSessionError('bad claims');
    checkClaims(claims.data, options, clockSkewMs, clock.now());
    const key = await options.keys.get(header.data.kid);
    if (key === undefined) throw new InvalidSessionError('unknown key id');
    const signingInput = Buffer.from(token.slice(0, rawHeader.length + 1 + rawPayload.length), 'latin1');
    if (!verifySignature('sha256', signingInput, key, Buffer.from(rawSignature, 'base64url'))) {
      throw new InvalidSessionError('bad signature');
    }
    return {
      userId: claims.data.sub,
      sessionId: claims.data.sid ?? null,
      expiresAt: claims.data.exp,
      authorizedParty: claims.data.azp ?? null,
    };
  };
}

/** Throws InvalidSessionError for the first claim that refuses the token. */
function checkClaims(claims: Claims, options: SessionVerifierOptions, clockSkewMs: number, now: number): void {
  if (claims.iss !== options.issuer) throw new InvalidSessionError('wrong issuer');
  if (options.authorizedParties.length > 0 && (claims.azp === undefined || !options.authorizedParties.includes(claims.azp))) {
    throw new InvalidSessionError('unauthorized party');
  }
  if (claims.exp * 1000 <= now - clockSkewMs) throw new InvalidSessionError('expired');
  if (claims.nbf !== undefined && claims.nbf * 1000 > now + clockSkewMs) throw new InvalidSessionError('not yet valid');
  if (claims.iat !== undefined && claims.iat * 1000 > now + clockSkewMs) throw new InvalidSessionError('issued in the future');
  if (claims.sts === 'pending') throw new InvalidSessionError('pending session');
}

/** A base64url JSON segment, or undefined when it does not decode. */
function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
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
