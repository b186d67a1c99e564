/* eslint-disable security/detect-non-literal-fs-filename -- paths come from configuration and the migrations folder, never from request input */
import type { JsonWebKey } from 'node:crypto';
import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Jwks } from './keys.ts';

/** The dev-mode signing key: a local RSA-2048 key that stands in for Clerk's. */
export interface DevSigningKey {
  kid: string;
  privateJwk: JsonWebKey;
  publicJwks: Jwks;
}

const fileName = 'dev-signing-key.json';

/**
 * Loads the dev signing key from the data folder, creating it on first use. The file is
 * created exclusively with mode 0600, so the server and `npm run token` never race to two keys.
 */
export async function loadOrCreateDevKey(dataDir: string): Promise<DevSigningKey> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, fileName);
  try {
    return toDevKey(JSON.parse(await readFile(path, 'utf8')) as JsonWebKey & { kid: string });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `dev_${randomUUID()}`, alg: 'RS256', use: 'sig' };
  try {
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile(JSON.stringify(jwk));
    await handle.close();
    return toDevKey(jwk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return toDevKey(JSON.parse(await readFile(path, 'utf8')) as JsonWebKey & { kid: string });
  }
}

function toDevKey(jwk: JsonWebKey & { kid: string }): DevSigningKey {
  if (jwk.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new Error('The dev signing key file is not an RSA private JWK; delete it to create a new one');
  }
  return {
    kid: jwk.kid,
    privateJwk: jwk,
    publicJwks: { keys: [{ kty: 'RSA', n: jwk.n, e: jwk.e, kid: jwk.kid, alg: 'RS256', use: 'sig' }] },
  };
}

export interface MintOptions {
  userId: string;
  issuer: string;
  ttlSeconds?: number;
  authorizedParty?: string;
  sessionId?: string;
  now?: number;
}

/** Mints a token in Clerk's v2 session-token format, signed with the dev key. */
export function mintDevToken(key: DevSigningKey, options: MintOptions): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return signRs256(
    {
      sub: options.userId,
      sid: options.sessionId ?? `sess_dev_${randomUUID().replaceAll('-', '')}`,
      iss: options.issuer,
      azp: options.authorizedParty ?? 'http://localhost:3000',
      iat,
      nbf: iat - 5,
      exp: iat + (options.ttlSeconds ?? 3600),
      sts: 'active',
      v: 2,
      fva: [0, -1],
    },
    key,
  );
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** RS256 over `header.payload`, keeping every claim as given (Clerk's signJwt overwrites `iat`). */
function signRs256(payload: Record<string, unknown>, key: DevSigningKey): string {
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${encode(payload)}`;
  const privateKey = createPrivateKey({ key: key.privateJwk, format: 'jwk' });
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
}
