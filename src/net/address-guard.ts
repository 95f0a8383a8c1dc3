import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges that are not global unicast, from IANA's IPv4 special-purpose registry
 * (https://www.iana.org/assignments/iana-ipv4-special-registry): this host, private, shared (CGNAT), loopback,
 * link-local (cloud metadata), IETF protocol assignments, documentation, the retired 6to4 relay anycast,
 * benchmarking, multicast and reserved (which includes the broadcast address).
 */
const REFUSED_V4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/**
 * IPv6 spellings that carry an IPv4 address in their last 32 bits and reach it: IPv4-mapped (::ffff:0:0/96),
 * IPv4-translated (::ffff:0:0:0/96, RFC 6145) and the NAT64 well-known prefix (64:ff9b::/96, RFC 6052). Each is
 * judged by the IPv4 address it carries; DNS64 resolvers answer NAT64 addresses for IPv4-only hosts.
 */
const TRANSLATED_V6 = ['::ffff:', '::ffff:0:', '64:ff9b::'] as const;

/**
 * Inside global unicast (2000::/3) but not a public destination: IETF protocol assignments with Teredo
 * (2001::/23), documentation (2001:db8::/32 and 3fff::/20, RFC 9637). Everything outside 2000::/3 is refused
 * too, apart from the translated forms above: unspecified, loopback, IPv4-compatible (::/96, deprecated by
 * RFC 4291), discard-only (100::/64), local-use NAT64 (64:ff9b:1::/48), unique local (fc00::/7), link-local
 * (fe80::/10), site-local (fec0::/10) and multicast (ff00::/8).
 */
const REFUSED_IN_GLOBAL_V6: readonly (readonly [string, number])[] = [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['3fff::', 20],
];

const refusedV4 = new BlockList();
const refusedV6 = new BlockList();
const translatedV6 = new BlockList();
const globalUnicastV6 = new BlockList();
globalUnicastV6.addSubnet('2000::', 3, 'ipv6');
for (const prefix of TRANSLATED_V6) translatedV6.addSubnet(`${prefix}0.0.0.0`, 96, 'ipv6');
for (const [net, bits] of REFUSED_IN_GLOBAL_V6) refusedV6.addSubnet(net, bits, 'ipv6');
for (const [net, bits] of REFUSED_V4) {
  refusedV4.addSubnet(net, bits, 'ipv4');
  // The same range in every IPv6 form that would reach it.
  for (const prefix of TRANSLATED_V6) refusedV6.addSubnet(`${prefix}${net}`, 96 + bits, 'ipv6');
  refusedV6.addSubnet(sixToFour(net), 16 + bits, 'ipv6');
}

/** 6to4 (2002::/16, RFC 3056) carries the IPv4 address in bits 16 to 47: 2002:AABB:CCDD::. */
function sixToFour(ipv4: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = ipv4.split('.').map(Number);
  return `2002:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}::`;
}

/**
 * True unless the address is global unicast: every range above is refused, in whatever spelling the address
 * comes (BlockList compares the parsed bytes, so `::ffff:7f00:1` and `::FFFF:127.0.0.1` are the same address).
 * Anything that is not an IP address counts as refused.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refusedV4.check(address, 'ipv4');
  if (family !== 6) return true;
  if (refusedV6.check(address, 'ipv6')) return true;
  if (translatedV6.check(address, 'ipv6')) return false;
  return !globalUnicastV6.check(address, 'ipv6');
}
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export type AddressCheck =
  | { ok: true; address: string; family: number }
  /** unresolved: the lookup failed (maybe for a moment), as opposed to answering a refused address */
  | { ok: false; reason: string; unresolved?: true };

/**
 * Resolves a webhook host once and returns the address to connect to (pinned, so a second lookup
 * cannot swap in a private address). Refuses when any answer is private, unless allowed.
 */
export async function resolvePublicAddress(hostname: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<AddressCheck> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let answers: { address: string; family: number }[];
  if (isIP(host)) answers = [{ address: host, family: isIP(host) }];
  else {
    try {
      answers = await resolve(host);
    } catch {
      return { ok: false, reason: `the host ${host} does not resolve`, unresolved: true };
    }
  }
  const first = answers[0];
  if (!first) return { ok: false, reason: `the host ${host} does not resolve`, unresolved: true };
  if (!allowPrivate) {
    const bad = answers.find((a) => isPrivateAddress(a.address));
    if (bad) return { ok: false, reason: `the host resolves to a private or reserved address (${bad.address})` };
  }
  return { ok: true, address: first.address, family: first.family };
}
