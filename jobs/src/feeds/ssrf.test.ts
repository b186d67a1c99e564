import { describe, expect, it } from 'vitest';
import { assertFetchableUrl, BlockedRequestError, refusedAddressReason, resolveCheckedAddresses, type Resolver } from './ssrf.ts';

const strict = { allowPrivateNetworks: false };

describe('refusedAddressReason', () => {
  it.each([
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '100.64.0.1',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.1',
    '192.0.2.1',
    '192.168.1.1',
    '198.18.0.1',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '::ffff:0:a00:1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    '2002:c0a8:101::1',
    '2001:db8::1',
    '2001::1',
    '100::1',
  ])('refuses %s', (address) => {
    expect(refusedAddressReason(address)).toBeDefined();
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:93.184.216.34',
    '64:ff9b::808:808',
    '2002:5db8:d822::1',
  ])('allows the public address %s', (address) => {
    expect(refusedAddressReason(address)).toBeUndefined();
  });
});

describe('assertFetchableUrl', () => {
  const check =
    (url: string, policy = strict) =>
    () => {
      assertFetchableUrl(new URL(url), policy);
    };

  it.each(['ftp://example.com/feed', 'file:///etc/passwd', 'gopher://example.com/', 'data:text/xml,<rss/>'])(
    'refuses the scheme of %s',
    (url) => {
      expect(check(url)).toThrow(BlockedRequestError);
    },
  );

  it('refuses credentials in the URL', () => {
    expect(check('https://user:secret@example.com/feed')).toThrow(/credentials/);
  });

  it('refuses unusual ports on the public internet', () => {
    expect(check('https://example.com:22/feed')).toThrow(/port 22/);
  });

  it.each(['https://example.com/feed', 'http://example.com:8080/feed', 'https://example.com:8443/feed'])('allows %s', (url) => {
    expect(check(url)).not.toThrow();
  });

  it.each([
    'http://127.0.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://169.254.169.254/latest/meta-data/',
  ])('refuses the literal address in %s', (url) => {
    expect(check(url)).toThrow(BlockedRequestError);
  });

  it('allows anything reachable when private networks are allowed', () => {
    expect(check('http://127.0.0.1:3000/', { allowPrivateNetworks: true })).not.toThrow();
  });

  it('exempts exactly the trusted origins', () => {
    const policy = { allowPrivateNetworks: false, trustedOrigins: ['http://127.0.0.1:4000'] };
    expect(check('http://127.0.0.1:4000/feed', policy)).not.toThrow();
    expect(check('http://127.0.0.1:4001/feed', policy)).toThrow(BlockedRequestError);
  });
});

describe('resolveCheckedAddresses', () => {
  const resolver =
    (answers: Record<string, string[]>): Resolver =>
    (host) =>
      Promise.resolve((answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

  it('returns every answer when all are public', async () => {
    const addresses = await resolveCheckedAddresses(
      new URL('https://news.example/'),
      resolver({ 'news.example': ['93.184.216.34', '2606:4700::1'] }),
      strict,
    );
    expect(addresses.map((answer) => answer.address)).toEqual(['93.184.216.34', '2606:4700::1']);
  });

  it('refuses the host when any answer is private', async () => {
    await expect(
      resolveCheckedAddresses(new URL('https://mixed.example/'), resolver({ 'mixed.example': ['93.184.216.34', '10.1.2.3'] }), strict),
    ).rejects.toThrow(/10\.1\.2\.3/);
  });

  it('refuses a host without addresses', async () => {
    await expect(resolveCheckedAddresses(new URL('https://none.example/'), resolver({}), strict)).rejects.toThrow(BlockedRequestError);
  });
});
