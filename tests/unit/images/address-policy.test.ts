import { describe, expect, it } from 'vitest';
import { classifyAddress, describeBlockedHost, isPublicAddress } from '@/lib/images/address-policy';

describe('isPublicAddress', () => {
  it.each([
    // IPv4
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified (0/8)'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.254', 'benchmarking'],
    ['192.0.2.1', 'documentation TEST-NET-1'],
    ['198.51.100.1', 'documentation TEST-NET-2'],
    ['203.0.113.1', 'documentation TEST-NET-3'],
    ['192.0.0.1', 'IETF protocol assignments'],
    ['192.88.99.1', '6to4 relay anycast'],
    // IPv6
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['febf::1', 'link-local (end of fe80::/10)'],
    ['fc00::1', 'unique-local'],
    ['fd12::1', 'unique-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'IPv4-mapped private, long form'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::8.8.8.8', 'IPv4-compatible (deprecated) even if public'],
    ['::ffff:0:7f00:1', 'IPv4-translated'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['64:ff9b::10.0.0.1', 'NAT64 of 10.0.0.1, dotted form'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated, dotted form'],
    ['64:ff9b:1::808:808', 'local-use NAT64 prefix'],
    ['2002:7f00:1::1', '6to4 (refused outright)'],
    ['2002:808:808::1', '6to4 of a public address (refused outright)'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo (refused outright)'],
    ['2001:db8::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['100::1', 'discard-only'],
    ['4000::1', 'outside 2000::/3'],
    // Not addresses at all
    ['', 'empty'],
    ['localhost', 'a name'],
    ['999.1.1.1', 'not an address'],
  ])('refuses %s (%s)', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '2606:4700::1111',
    '2a00:1450:4001:80b::200e',
    '[2606:4700::1111]',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '64:ff9b::8.8.8.8',
  ])('allows the public address %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe('classifyAddress and describeBlockedHost', () => {
  it('names the range', () => {
    expect(classifyAddress('127.0.0.1')).toBe('loopback');
    expect(classifyAddress('::ffff:10.0.0.1')).toBe('ipv4Mapped:private');
    expect(classifyAddress('64:ff9b::a00:1')).toBe('nat64:private');
    expect(classifyAddress('8.8.8.8')).toBe('unicast');
  });

  it('describes a blocked address in words', () => {
    expect(describeBlockedHost('127.0.0.1')).toBe('127.0.0.1 is a loopback address');
    expect(describeBlockedHost('169.254.169.254')).toBe('169.254.169.254 is a link-local address');
    expect(describeBlockedHost('::ffff:10.0.0.1')).toBe(
      '::ffff:10.0.0.1 is an IPv4-mapped address embedding a private IPv4 address',
    );
    expect(describeBlockedHost('64:ff9b::7f00:1')).toBe(
      '64:ff9b::7f00:1 is a NAT64 address embedding a loopback IPv4 address',
    );
  });
});
