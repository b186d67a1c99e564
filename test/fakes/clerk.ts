import { createHmac, createPrivateKey, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ClerkKey {
  kid: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey & { kid: string };
  publicPem: string;
  publicKey: KeyObject;
}

/** A fresh RSA-2048 signing key, as Clerk uses. */
export function createClerkKey(kid = `ins_${randomUUID().slice(0, 8)}`): ClerkKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privateJwk: privateKey.export({ format: 'jwk' }),
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKey,
  };
}

/** `pk_test_` + base64("<frontend api host>$"), the way Clerk encodes it. */
export function publishableKeyFor(host: string): string {
  return `pk_test_${Buffer.from(`${host}$`).toString('base64')}`;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface SessionClaimsInput {
  sub?: string | undefined;
  iss?: string;
  azp?: string;
  sid?: string;
  sts?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
  [claim: string]: unknown;
}

/** A Clerk v2 session token (`sub, sid, azp, iss, iat, nbf, exp (iat+60), sts, v: 2, fva`). */
export function mintClerkToken(key: ClerkKey, claims: SessionClaimsInput, header: { kid?: string } = {}): Promise<string> {
  const iat = claims.iat ?? Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    sid: `sess_${randomUUID().slice(0, 12)}`,
    iat,
    nbf: iat - 10,
    exp: iat + 60,
    sts: 'active',
    v: 2,
    fva: [0, -1],
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) Reflect.deleteProperty(payload, name);
  const signingInput = `${b64({ alg: 'RS256', typ: 'JWT', kid: header.kid ?? key.kid })}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), createPrivateKey({ key: key.privateJwk, format: 'jwk' }));
  return Promise.resolve(`${signingInput}.${signature.toString('base64url')}`);
}

/** A token with `alg: none` and no signature. */
export function unsignedToken(payload: Record<string, unknown>, kid: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(payload)}.`;
}

/** The classic confusion attack: HS256, with the RSA public key used as the HMAC secret. */
export function hs256WithPublicKey(payload: Record<string, unknown>, key: ClerkKey): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', key.publicPem).update(head).digest('base64url')}`;
}

export interface FakeClerk {
  url: string;
  keys: ClerkKey[];
  /** JWKS requests served so far. */
  jwksFetches: number;
  /** Answer JWKS requests with this status instead (e.g. 500), or 0 for normal answers. */
  failWith: number;
  /** Delay before answering, in ms. */
  latencyMs: number;
  /** Secret key the fake expects in `Authorization: Bearer`. */
  secretKey: string;
  rotate(): ClerkKey;
  close(): Promise<void>;
}

/**
 * Clerk's Backend API, as far as Pressbox uses it: `GET /v1/jwks` with the secret key. Can rotate
 * keys, fail and be slow, and counts what it served.
 */
export async function startFakeClerk(): Promise<FakeClerk> {
  const state: FakeClerk = {
    url: '',
    keys: [createClerkKey()],
    jwksFetches: 0,
    failWith: 0,
    latencyMs: 0,
    secretKey: `sk_test_${randomUUID().replaceAll('-', '')}`,
    rotate() {
      const next = createClerkKey();
      state.keys = [next, ...state.keys.slice(0, 1)];
      return next;
    },
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    setTimeout(() => {
      if (req.method !== 'GET' || req.url !== '/v1/jwks') {
        res.writeHead(404).end();
        return;
      }
      state.jwksFetches += 1;
      if (req.headers.authorization !== `Bearer ${state.secretKey}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"authentication_invalid"}]}');
        return;
      }
      if (state.failWith) {
        res.writeHead(state.failWith, { 'content-type': 'application/json' }).end('{"errors":[]}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys.map((key) => key.publicJwk) }));
    }, state.latencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  return state;
}
