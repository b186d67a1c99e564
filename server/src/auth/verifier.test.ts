import { generateKeyPairSync, createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { staticKeySource } from './keys.ts';
import { createSessionVerifier, InvalidSessionError } from './verifier.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk: JsonWebKey & { kid: string } = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' };
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function token(claims: Record<string, unknown>): string {
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }))).toString('base64url')}`;
}

describe('the session verifier', () => {
  const verify = createSessionVerifier({
    keys: staticKeySource({ keys: [publicJwk] }),
    issuer: 'https://issuer.test',
    authorizedParties: [],
    clockSkewMs: 0,
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('answers a repeat of a verified token from its cache with the same claims', async () => {
    const value = token({ sub: 'user_a', iss: 'https://issuer.test', iat: now(), nbf: now() - 1, exp: now() + 60, sid: 'sess_1' });
    const first = await verify(value);
    expect(first).toMatchObject({ userId: 'user_a', sessionId: 'sess_1' });
    expect(await verify(value)).toBe(first);
  });

  it('refuses a cached token once it has expired', async () => {
    const value = token({ sub: 'user_b', iss: 'https://issuer.test', iat: now(), nbf: now() - 1, exp: now() + 1 });
    await expect(verify(value)).resolves.toMatchObject({ userId: 'user_b' });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expect(verify(value)).rejects.toBeInstanceOf(InvalidSessionError);
  });

  it('never caches a refusal into an acceptance', async () => {
    const value = token({ sub: 'user_c', iss: 'https://elsewhere.test', iat: now(), exp: now() + 60 });
    await expect(verify(value)).rejects.toBeInstanceOf(InvalidSessionError);
    await expect(verify(value)).rejects.toBeInstanceOf(InvalidSessionError);
  });
});
