import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { clientAddress } from '@/lib/http/client-address';

const trust = (value?: string) => parseConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy;
const from = (forwardedFor?: string) =>
  new Request('http://iris.test/', { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } });

describe('clientAddress', () => {
  it('by default takes the last X-Forwarded-For entry: the connection’s address, which next start fills in', () => {
    expect(clientAddress(from('203.0.113.7'), trust())).toBe('203.0.113.7');
    expect(clientAddress(from('198.51.100.1, 203.0.113.7'), trust('false'))).toBe('203.0.113.7');
  });

  it('with TRUST_PROXY=true takes the first entry, the client the first proxy saw', () => {
    expect(clientAddress(from('198.51.100.1, 10.0.0.2, 10.0.0.3'), trust('true'))).toBe('198.51.100.1');
  });

  it('with a hop count takes the entry that many from the end, so a client cannot pick its own', () => {
    const header = 'forged-but-valid-looking, 198.51.100.1, 10.0.0.2';
    expect(clientAddress(from('6.6.6.6, 198.51.100.1, 10.0.0.2'), trust('2'))).toBe('198.51.100.1');
    expect(clientAddress(from(header), trust('1'))).toBe('10.0.0.2');
    // Fewer entries than hops: the first one there is.
    expect(clientAddress(from('198.51.100.1'), trust('3'))).toBe('198.51.100.1');
  });

  it('with CIDR ranges takes the last entry outside the operator’s own proxies', () => {
    const ranges = trust('10.0.0.0/8, 192.168.1.1, fd00::/8');
    expect(clientAddress(from('6.6.6.6, 198.51.100.1, 10.1.2.3, 192.168.1.1'), ranges)).toBe('198.51.100.1');
    expect(clientAddress(from('198.51.100.9, fd00::1'), ranges)).toBe('198.51.100.9');
    expect(clientAddress(from('10.0.0.1, 10.0.0.2'), ranges)).toBe('10.0.0.1');
  });

  it('counts IPv6 by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(clientAddress(from('2001:db8:1:2:aaaa::1'), trust())).toBe('2001:db8:1:2::/64');
    expect(clientAddress(from('2001:db8:1:2:bbbb::9'), trust())).toBe('2001:db8:1:2::/64');
    expect(clientAddress(from('::ffff:203.0.113.7'), trust())).toBe('203.0.113.7');
    expect(clientAddress(from('[2001:db8::1]'), trust())).toBe('2001:db8:0:0::/64');
  });

  it('is "unknown" without a usable header, and skips entries that are not addresses', () => {
    expect(clientAddress(from(), trust())).toBe('unknown');
    expect(clientAddress(from('not-an-address'), trust())).toBe('unknown');
    expect(clientAddress(from('203.0.113.7, garbage'), trust())).toBe('203.0.113.7');
  });
});

describe('TRUST_PROXY', () => {
  it('accepts false, true, a hop count and a list of addresses or ranges, and names a bad entry', () => {
    expect(trust()).toEqual({ mode: 'none' });
    expect(trust('0')).toEqual({ mode: 'none' });
    expect(trust('TRUE')).toEqual({ mode: 'all' });
    expect(trust('2')).toEqual({ mode: 'hops', hops: 2 });
    expect(trust('10.0.0.0/8,::1').mode).toBe('ranges');
    expect(() => trust('10.0.0.0/99')).toThrow(/TRUST_PROXY: "10.0.0.0\/99" is not an address or CIDR range/);
    expect(() => trust('yes')).toThrow(/TRUST_PROXY/);
  });
});
