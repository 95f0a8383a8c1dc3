import { describe, expect, it } from 'vitest';
import { isPrivateAddress, resolvePublicAddress } from '../../src/net/address-guard.js';

// Ranges from IANA's special-purpose registries (https://www.iana.org/assignments/iana-ipv4-special-registry,
// https://www.iana.org/assignments/iana-ipv6-special-registry) and RFC 4291, 6052, 6145, 3056, 3879, 6666, 9637.
const refused: [string, string][] = [
  ['this network', '0.1.2.3'],
  ['private 10/8', '10.1.2.3'],
  ['shared address space (CGNAT)', '100.64.0.1'],
  ['loopback', '127.0.0.1'],
  ['link-local (cloud metadata)', '169.254.169.254'],
  ['private 172.16/12', '172.31.255.1'],
  ['IETF protocol assignments', '192.0.0.8'],
  ['documentation TEST-NET-1', '192.0.2.1'],
  ['6to4 relay anycast (retired)', '192.88.99.1'],
  ['private 192.168/16', '192.168.1.1'],
  ['benchmarking', '198.18.0.1'],
  ['documentation TEST-NET-2', '198.51.100.7'],
  ['documentation TEST-NET-3', '203.0.113.9'],
  ['multicast', '224.0.0.1'],
  ['broadcast', '255.255.255.255'],
  ['IPv6 unspecified', '::'],
  ['IPv6 loopback', '::1'],
  ['IPv4-compatible loopback, dotted', '::127.0.0.1'],
  ['IPv4-compatible loopback, hex', '::7f00:1'],
  ['IPv4-compatible of a public address (deprecated form)', '::8.8.8.8'],
  ['IPv4-mapped loopback, dotted', '::ffff:127.0.0.1'],
  ['IPv4-mapped loopback, hex', '::ffff:7f00:1'],
  ['IPv4-mapped loopback, upper case and uncompressed', '0:0:0:0:0:FFFF:7F00:0001'],
  ['IPv4-mapped metadata', '::ffff:a9fe:a9fe'],
  ['IPv4-translated loopback (::ffff:0:0:0/96)', '::ffff:0:7f00:1'],
  ['IPv4-translated private, dotted', '::ffff:0:10.0.0.1'],
  ['6to4 of loopback', '2002:7f00:1::'],
  ['6to4 of a private address', '2002:c0a8:101::1'],
  ['NAT64 of loopback', '64:ff9b::7f00:1'],
  ['NAT64 of a private address, dotted', '64:ff9b::10.0.0.1'],
  ['local-use NAT64 prefix', '64:ff9b:1::808:808'],
  ['discard-only', '100::1'],
  ['unique local fc00::/7', 'fc00::1'],
  ['unique local fd00::/8', 'fd12:3456::1'],
  ['link-local', 'fe80::1'],
  ['site-local (deprecated)', 'fec0::1'],
  ['multicast', 'ff02::1'],
  ['Teredo', '2001:0:4136:e378::1'],
  ['benchmarking', '2001:2::1'],
  ['documentation 2001:db8::/32', '2001:db8::1'],
  ['documentation 3fff::/20', '3fff::1'],
  ['not an address', 'localhost'],
];

const allowed: [string, string][] = [
  ['public IPv4', '93.184.215.14'],
  ['public IPv4 next to a private range', '172.32.0.1'],
  ['public IPv6', '2606:4700:4700::1111'],
  ['public IPv6 (Google)', '2a00:1450:4001:82a::200e'],
  ['IPv4-mapped public address', '::ffff:8.8.8.8'],
  ['IPv4-translated public address', '::ffff:0:808:808'],
  ['NAT64 of a public address (DNS64 answers these)', '64:ff9b::808:808'],
  ['6to4 of a public address', '2002:808:808::1'],
];

describe('the webhook address guard allows only global unicast', () => {
  it.each(refused)('refuses %s (%s)', (_label, address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(allowed)('allows %s (%s)', (_label, address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses a bracketed IPv6 literal in a URL host without asking DNS', async () => {
    const asked: string[] = [];
    for (const host of ['[::127.0.0.1]', '[2002:7f00:1::]', '[::ffff:0:7f00:1]', '[fec0::1]', '[100::]']) {
      const check = await resolvePublicAddress(new URL(`https://${host}/hook`).hostname, false, async (h) => {
        asked.push(h);
        return [];
      });
      expect(check).toMatchObject({ ok: false, reason: expect.stringContaining('private or reserved') });
    }
    expect(asked).toEqual([]);
  });
});
