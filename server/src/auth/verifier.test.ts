import { createPrivateKey, generateKeyPairSync, sign, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeySource } from './keys.ts';
import { staticKeySource } from './keys.ts';
import { createSessionVerifier, InvalidSessionError } from './verifier.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk: JsonWebKey & { kid: string } = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' };
const signingKey = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const issuer = 'https://issuer.test';

function token(claims: Record<string, unknown>, header: Record<string, unknown> = {}, digest = 'sha256'): string {
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'k1', ...header })}.${encode(claims)}`;
  return `${input}.${sign(digest, Buffer.from(input), signingKey).toString('base64url')}`;
}

/** A clock that moves only when told to. */
function testClock(start = 1_800_000_000_000) {
  let time = start;
  return {
    now: () => time,
    seconds: () => Math.floor(time / 1000),
    advance: (ms: number) => {
      time += ms;
    },
  };
}

function verifierAt(
  clock: ReturnType<typeof testClock>,
  keys: KeySource = staticKeySource({ keys: [publicJwk] }),
  authorizedParties: string[] = [],
) {
  return createSessionVerifier({ keys, issuer, authorizedParties, clock });
}

describe('the session verifier', () => {
  it('answers a repeat of a verified token from its cache with the same claims', async () => {
    const clock = testClock();
    const verify = verifierAt(clock);
    const now = clock.seconds();
    const value = token({ sub: 'user_a', iss: issuer, iat: now, nbf: now - 1, exp: now + 60, sid: 'sess_1' });
    const first = await verify(value);
    expect(first).toEqual({ userId: 'user_a', sessionId: 'sess_1', expiresAt: now + 60, authorizedParty: null });
    expect(await verify(value)).toBe(first);
  });

  it('refuses a cached token once its expiry and the 5 s skew have passed on its clock', async () => {
    const clock = testClock();
    const verify = verifierAt(clock);
    const value = token({ sub: 'user_b', iss: issuer, iat: clock.seconds(), exp: clock.seconds() + 1 });
    await expect(verify(value)).resolves.toMatchObject({ userId: 'user_b' });
    clock.advance(5_999);
    await expect(verify(value)).resolves.toMatchObject({ userId: 'user_b' });
    clock.advance(1);
    await expect(verify(value)).rejects.toThrow(new InvalidSessionError('expired'));
  });

  it('judges exp, nbf and iat by its clock with 5 s of skew', async () => {
    const clock = testClock();
    const verify = verifierAt(clock);
    const now = clock.seconds();
    const claims = { sub: 'user_t', iss: issuer };
    await expect(verify(token({ ...claims, exp: now - 4 }))).resolves.toMatchObject({ userId: 'user_t' });
    await expect(verify(token({ ...claims, exp: now - 5 }))).rejects.toThrow('expired');
    await expect(verify(token({ ...claims, exp: now + 60, nbf: now + 5 }))).resolves.toMatchObject({ userId: 'user_t' });
    await expect(verify(token({ ...claims, exp: now + 60, nbf: now + 6 }))).rejects.toThrow('not yet valid');
    await expect(verify(token({ ...claims, exp: now + 60, iat: now + 5 }))).resolves.toMatchObject({ userId: 'user_t' });
    await expect(verify(token({ ...claims, exp: now + 60, iat: now + 6 }))).rejects.toThrow('issued in the future');
    await expect(verify(token({ ...claims, exp: String(now + 60) }))).rejects.toThrow('bad claims');
  });

  it('never caches a refusal into an acceptance', async () => {
    const clock = testClock();
    const verify = verifierAt(clock);
    const value = token({ sub: 'user_c', iss: 'https://elsewhere.test', iat: clock.seconds(), exp: clock.seconds() + 60 });
    await expect(verify(value)).rejects.toBeInstanceOf(InvalidSessionError);
    await expect(verify(value)).rejects.toBeInstanceOf(InvalidSessionError);
  });

  it('accepts RS256 only, even when the signature matches another algorithm', async () => {
    const clock = testClock();
    const verify = verifierAt(clock);
    const claims = { sub: 'user_alg', iss: issuer, exp: clock.seconds() + 60 };
    await expect(verify(token(claims, { alg: 'RS384' }, 'sha384'))).rejects.toThrow('unsupported header');
    await expect(verify(token(claims, { alg: 'RS512' }, 'sha512'))).rejects.toThrow('unsupported header');
    await expect(verify(token(claims, { alg: 'PS256' }))).rejects.toThrow('unsupported header');
    await expect(verify(token(claims))).resolves.toMatchObject({ userId: 'user_alg' });
  });

  it('refuses critical header extensions and types other than JWT', async () => {
    const clock = testClock();
    const verify = verifierAt(clock);
    const claims = { sub: 'user_hdr', iss: issuer, exp: clock.seconds() + 60 };
    await expect(verify(token(claims, { crit: ['exp'] }))).rejects.toThrow('unsupported header');
    await expect(verify(token(claims, { typ: 'at+jwt' }))).rejects.toThrow('unsupported header');
    await expect(verify(token(claims, { typ: undefined }))).resolves.toMatchObject({ userId: 'user_hdr' });
  });

  it('refuses a wrong signature, a pending session, a wrong azp and a malformed sub', async () => {
    const clock = testClock();
    const verify = verifierAt(clock, undefined, ['https://app.test']);
    const base = { sub: 'user_d', iss: issuer, azp: 'https://app.test', exp: clock.seconds() + 60 };
    const good = token(base);
    await expect(verify(good)).resolves.toMatchObject({ authorizedParty: 'https://app.test' });
    const [head, payload] = good.split('.');
    await expect(verify(`${head ?? ''}.${payload ?? ''}.${'A'.repeat(342)}`)).rejects.toThrow('bad signature');
    await expect(verify(token({ ...base, sts: 'pending' }))).rejects.toThrow('pending session');
    await expect(verify(token({ ...base, azp: 'https://evil.test' }))).rejects.toThrow('unauthorized party');
    await expect(verify(token({ ...base, azp: undefined }))).rejects.toThrow('unauthorized party');
    await expect(verify(token({ ...base, sub: 'user d' }))).rejects.toThrow('bad claims');
  });

  it('looks no key up for a token its claims already refuse', async () => {
    const clock = testClock();
    const lookups: (string | undefined)[] = [];
    const keys = staticKeySource({ keys: [publicJwk] });
    const verify = verifierAt(clock, {
      get: (kid) => {
        lookups.push(kid);
        return keys.get(kid);
      },
    });
    await expect(verify(token({ sub: 'user_e', iss: issuer, exp: clock.seconds() - 60 }, { kid: 'kid_x' }))).rejects.toThrow('expired');
    await expect(verify(token({ sub: 'user_e', iss: 'https://other.test', exp: clock.seconds() + 60 }, { kid: 'kid_y' }))).rejects.toThrow(
      'wrong issuer',
    );
    expect(lookups).toEqual([]);
  });
});
