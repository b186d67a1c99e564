import { generateKeyPairSync, KeyObject, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importSigningKeys, pemKeySource, staticKeySource } from './keys.ts';

const rsa = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey;
const jwk = (key: KeyObject, extra: Record<string, unknown>): JsonWebKey & Record<string, unknown> => ({
  ...key.export({ format: 'jwk' }),
  ...extra,
});

describe('signing keys', () => {
  it('imports each RS256 key once: every lookup returns the same key object', async () => {
    const key = rsa();
    const keys = staticKeySource({ keys: [jwk(key, { kid: 'k1', alg: 'RS256', use: 'sig' })] });
    const first = await keys.get('k1');
    expect(first).toBeInstanceOf(KeyObject);
    expect(first?.equals(key)).toBe(true);
    expect(await keys.get('k1')).toBe(first);
    expect(await keys.get('k2')).toBeUndefined();
    expect(await keys.get(undefined)).toBeUndefined();
  });

  it('leaves out keys no RS256 token may name: other types, uses, algorithms, short keys, junk', () => {
    const imported = importSigningKeys([
      jwk(rsa(), { kid: 'good' }),
      jwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, { kid: 'ec' }),
      jwk(rsa(), { kid: 'enc', use: 'enc' }),
      jwk(rsa(), { kid: 'rs512', alg: 'RS512' }),
      jwk(rsa(1024), { kid: 'short' }),
      { kid: 'junk', kty: 'RSA', n: 'AQAB', e: 'AQAB' },
      jwk(rsa(), {}),
      'not a key',
    ]);
    expect([...imported.keys()]).toEqual(['good']);
  });

  it('uses the networkless PEM key whatever the kid, and refuses a PEM that is no RSA key of 2048 bits', async () => {
    const key = rsa();
    const source = pemKeySource(key.export({ format: 'pem', type: 'spki' }).toString());
    expect((await source.get('anything'))?.equals(key)).toBe(true);
    expect(await source.get(undefined)).toBe(await source.get('other'));
    expect(() => pemKeySource(rsa(1024).export({ format: 'pem', type: 'spki' }).toString())).toThrow(/RSA public key/);
  });
});
