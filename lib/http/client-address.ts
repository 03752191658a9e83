import ipaddr from 'ipaddr.js';
import type { TrustProxy } from '@/lib/config';

/**
 * The address a request came from, as far as TRUST_PROXY lets Iris believe X-Forwarded-For. Next's route handlers
 * see no socket: `next start` fills X-Forwarded-For in with the connection's address only when the request brought
 * none, and passes a client's own header on untouched. So without a trusted proxy the last entry is the
 * connection's address, unless the client wrote the header itself (and so picked its own address).
 *
 * IPv6 addresses are taken by their /64, which one subscriber usually holds whole.
 */
export function clientAddress(request: Request, trust: TrustProxy): string {
  const chain = forwardedChain(request.headers.get('x-forwarded-for'));
  if (chain.length === 0) return 'unknown';
  const pick = (): ipaddr.IPv4 | ipaddr.IPv6 => {
    switch (trust.mode) {
      case 'none':
        return chain[chain.length - 1] as ipaddr.IPv4 | ipaddr.IPv6;
      case 'all':
        return chain[0] as ipaddr.IPv4 | ipaddr.IPv6;
      case 'hops':
        // Each of `hops` proxies appended the address it saw: the client is that many from the end.
        return chain[Math.max(0, chain.length - Math.max(1, trust.hops))] as ipaddr.IPv4 | ipaddr.IPv6;
      case 'ranges': {
        for (let i = chain.length - 1; i >= 0; i--) {
          const address = chain[i] as ipaddr.IPv4 | ipaddr.IPv6;
          if (!trust.ranges.some((range) => inRange(address, range))) return address;
        }
        return chain[0] as ipaddr.IPv4 | ipaddr.IPv6;
      }
    }
  };
  return bucketOf(pick());
}

/** The header's addresses, nearest hop last; entries that are no address (or carry a port) are dropped. */
function forwardedChain(header: string | null): (ipaddr.IPv4 | ipaddr.IPv6)[] {
  if (!header) return [];
  const chain: (ipaddr.IPv4 | ipaddr.IPv6)[] = [];
  for (const raw of header.split(',')) {
    const entry = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (!ipaddr.isValid(entry)) continue;
    // An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d.
    chain.push(ipaddr.process(entry));
  }
  return chain;
}

function inRange(address: ipaddr.IPv4 | ipaddr.IPv6, range: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  return address.kind() === range[0].kind() && address.match(range);
}

function bucketOf(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}
