import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** One DNS answer, as `dns.lookup(host, { all: true })` gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Turns a host name into every address it has. Injectable so tests can make a name resolve to a
 * private address (or to the fake server) without touching real DNS.
 */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), asking for every address at once. */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

/** Ports a public feed may live on; anything else is refused unless private networks are allowed. */
export const allowedPorts: ReadonlySet<number> = new Set([80, 443, 8080, 8443]);

export interface AddressPolicy {
  /** Let requests reach loopback, private and other special addresses and any port (tests only). */
  allowPrivateNetworks: boolean;
  /**
   * Exact origins (`http://127.0.0.1:4123`) exempt from the address and port rules. Redirects
   * leaving such an origin are checked normally, which is how the tests prove a redirect from a
   * trusted server to `http://10.0.0.1/` is refused.
   */
  trustedOrigins?: readonly string[];
}

/** Why a URL or address may not be fetched; the message is safe to store and show to admins. */
export class BlockedRequestError extends Error {
  override name = 'BlockedRequestError';
}

const blockedV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including 255.255.255.255
];

const blockedV6: readonly (readonly [string, number])[] = [
  ['64:ff9b:1::', 48], // NAT64 local-use prefix: local by definition
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments, Teredo included
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some stacks)
  ['ff00::', 8], // multicast
];

const v4Ranges = blockedV4.map(([address, bits]) => [ipaddr.IPv4.parse(address), bits] as const);
const v6Ranges = blockedV6.map(([address, bits]) => [ipaddr.IPv6.parse(address), bits] as const);
const globalUnicast = [ipaddr.IPv6.parse('2000::'), 3] as const;

/** IPv6 forms that carry an IPv4 address inside; the IPv4 address decides. */
const embeddingV6: readonly { prefix: readonly [ipaddr.IPv6, number]; offset: number }[] = [
  { prefix: [ipaddr.IPv6.parse('::ffff:0:0'), 96], offset: 12 }, // IPv4-mapped
  { prefix: [ipaddr.IPv6.parse('::ffff:0:0:0'), 96], offset: 12 }, // IPv4-translated (RFC 6145)
  { prefix: [ipaddr.IPv6.parse('64:ff9b::'), 96], offset: 12 }, // NAT64 well-known prefix
  { prefix: [ipaddr.IPv6.parse('2002::'), 16], offset: 2 }, // 6to4
  { prefix: [ipaddr.IPv6.parse('::'), 96], offset: 12 }, // IPv4-compatible (deprecated), also :: and ::1
];

/**
 * Why an IP address must not be contacted, or undefined when it is an ordinary public unicast
 * address. IPv6 addresses that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged
 * by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback.
 *
 * @example
 * refusedAddressReason('169.254.169.254'); // 'link-local or reserved address 169.254.169.254'
 * refusedAddressReason('93.184.216.34'); // undefined
 */
export function refusedAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `not an IP address: ${address}`;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') {
    const v4 = parsed as ipaddr.IPv4;
    return v4Ranges.some(([range, bits]) => v4.match(range, bits)) ? `private or reserved address ${v4.toString()}` : undefined;
  }
  const v6 = parsed as ipaddr.IPv6;
  if (v6.zoneId !== undefined) return `scoped address ${address}`;
  for (const { prefix, offset } of embeddingV6) {
    if (!v6.match(prefix[0], prefix[1])) continue;
    const bytes = v6.toByteArray();
    const embedded = new ipaddr.IPv4(bytes.slice(offset, offset + 4));
    const inner = refusedAddressReason(embedded.toString());
    return inner === undefined ? undefined : `${inner} (inside ${v6.toString()})`;
  }
  if (v6Ranges.some(([range, bits]) => v6.match(range, bits))) return `private or reserved address ${v6.toString()}`;
  if (!v6.match(globalUnicast[0], globalUnicast[1])) return `non-global address ${v6.toString()}`;
  return undefined;
}

/** The origin of a URL in the form `trustedOrigins` lists (`http://host:port`, default port omitted). */
function originOf(url: URL): string {
  return url.origin;
}

/**
 * Checks everything about a URL that can be checked without DNS: scheme, credentials, port, and
 * the address when the host is a literal IP. Throws BlockedRequestError with a safe message.
 */
export function assertFetchableUrl(url: URL, policy: AddressPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BlockedRequestError(`scheme ${url.protocol} is not allowed`);
  if (url.username !== '' || url.password !== '') throw new BlockedRequestError('credentials in the URL are not allowed');
  if (url.hostname === '') throw new BlockedRequestError('the URL has no host');
  if (policy.allowPrivateNetworks || isTrustedOrigin(url, policy)) return;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!allowedPorts.has(port)) throw new BlockedRequestError(`port ${String(port)} is not allowed`);
  const literal = literalAddress(url.hostname);
  if (literal !== undefined) {
    const reason = refusedAddressReason(literal);
    if (reason !== undefined) throw new BlockedRequestError(`refused ${reason}`);
  }
}

/** True when the URL's origin is one the policy exempts from address checks. */
export function isTrustedOrigin(url: URL, policy: AddressPolicy): boolean {
  return policy.trustedOrigins?.includes(originOf(url)) ?? false;
}

/** The IP address a URL host names directly (brackets of IPv6 removed), or undefined for names. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? undefined : bare;
}

/**
 * Resolves a host once and returns the addresses the connection may use. If ANY answer is refused
 * the whole host is refused: a name that mixes public and private answers is an attack or a
 * misconfiguration either way. The caller connects to these exact addresses (no second lookup),
 * which is what defeats DNS rebinding.
 *
 * @example
 * const addresses = await resolveCheckedAddresses(new URL('https://example.com/feed'), systemResolver, { allowPrivateNetworks: false });
 */
export async function resolveCheckedAddresses(url: URL, resolver: Resolver, policy: AddressPolicy): Promise<ResolvedAddress[]> {
  const literal = literalAddress(url.hostname);
  if (literal !== undefined) return [{ address: literal, family: isIP(literal) === 6 ? 6 : 4 }];
  const answers = [...(await resolver(url.hostname))];
  if (answers.length === 0) throw new BlockedRequestError(`${url.hostname} has no address`);
  if (policy.allowPrivateNetworks || isTrustedOrigin(url, policy)) return answers;
  for (const answer of answers) {
    const reason = refusedAddressReason(answer.address);
    if (reason !== undefined) throw new BlockedRequestError(`refused ${url.hostname}: it resolves to a ${reason}`);
  }
  return answers;
}
