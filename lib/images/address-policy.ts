import ipaddr from 'ipaddr.js';

/**
 * Which addresses Iris may connect to when fetching a caller's image URL: only globally routable
 * unicast. Everything else (this host, the LAN, cloud metadata, tunnels that can smuggle one of
 * those) is refused. ipaddr.js's range() does the classification; the few rules below cover what
 * it leaves as 'unicast' but must not be.
 */

/** The range an address falls in, in ipaddr.js's vocabulary plus a few of our own; 'unicast' is the only public one. */
export function classifyAddress(ip: string): string {
  const bare = hexTail(ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip);
  if (!ipaddr.isValid(bare)) return 'invalid';
  const address = ipaddr.parse(bare);
  if (address.kind() === 'ipv4') return address.range();
  return classifyIPv6(address as ipaddr.IPv6);
}

export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip) === 'unicast';
}

/**
 * ipaddr.js reads every IPv6 address with a dotted tail ('::8.8.8.8', '64:ff9b::10.0.0.1') as
 * IPv4-mapped, dropping the prefix. Rewriting the tail as two hex groups keeps the prefix in play.
 */
function hexTail(ip: string): string {
  const match = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(%.*)?$/.exec(ip);
  if (!match?.[1] || !match[2] || !ipaddr.IPv4.isValidFourPartDecimal(match[2])) return ip;
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(match[2]).octets;
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}${match[3] ?? ''}`;
}

const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

function classifyIPv6(address: ipaddr.IPv6): string {
  // ::ffff:a.b.c.d reaches a.b.c.d on a dual-stack socket, so the embedded IPv4 address is what counts.
  if (address.isIPv4MappedAddress()) {
    const embedded = address.toIPv4Address().range();
    return embedded === 'unicast' ? 'unicast' : `ipv4Mapped:${embedded}`;
  }
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = address.parts;
  // ::/96 holds ::, ::1 and the deprecated IPv4-compatible form ::a.b.c.d; none is a host to fetch from.
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0) {
    const range = address.range();
    return range === 'unicast' ? 'ipv4Compatible' : range;
  }
  // The well-known NAT64 prefix is how an IPv6-only host reaches the IPv4 internet, so judge the
  // embedded address instead of refusing it; the local-use NAT64 prefix stays refused as 'rfc6052'.
  if (address.match(NAT64_WELL_KNOWN)) {
    const bytes = address.toByteArray().slice(12);
    const embedded = ipaddr.fromByteArray(bytes).range();
    return embedded === 'unicast' ? 'unicast' : `nat64:${embedded}`;
  }
  // 6to4 and Teredo embed an IPv4 address too, but as a relay or NAT, so what they reach is not
  // knowable here: refuse them outright (range() names them '6to4' and 'teredo').
  const range = address.range();
  // Only 2000::/3 is allocated for global unicast; ipaddr.js calls the unallocated rest 'unicast' too.
  if (range === 'unicast' && !address.match(GLOBAL_UNICAST)) return 'unallocated';
  return range;
}

const RANGE_WORDS: ReadonlyMap<string, string> = new Map([
  ['unspecified', 'an unspecified'],
  ['broadcast', 'a broadcast'],
  ['multicast', 'a multicast'],
  ['linkLocal', 'a link-local'],
  ['loopback', 'a loopback'],
  ['carrierGradeNat', 'a carrier-grade NAT'],
  ['private', 'a private'],
  ['reserved', 'a reserved'],
  ['benchmarking', 'a benchmarking'],
  ['uniqueLocal', 'a unique-local'],
  ['deprecatedSiteLocal', 'a site-local'],
  ['6to4', 'a 6to4'],
  ['teredo', 'a Teredo'],
  ['rfc6052', 'a NAT64'],
  ['rfc6145', 'an IPv4-translated'],
  ['ipv4Compatible', 'an IPv4-compatible'],
  ['unallocated', 'an unallocated'],
  ['invalid', 'an invalid'],
  ['unicast', 'a public'],
]);

/** "127.0.0.1 is a loopback address": for messages about an address the caller wrote themselves. */
export function describeBlockedHost(ip: string): string {
  const range = classifyAddress(ip);
  const [kind = range, embedded] = range.split(':');
  if (embedded !== undefined) {
    const via = kind === 'nat64' ? 'a NAT64 address' : 'an IPv4-mapped address';
    return `${ip} is ${via} embedding ${RANGE_WORDS.get(embedded) ?? 'a special-purpose'} IPv4 address`;
  }
  return `${ip} is ${RANGE_WORDS.get(kind) ?? 'a special-purpose'} address`;
}
