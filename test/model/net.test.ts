/**
 * Address, network and MAC parsing: Go `net` acceptance rules (model.md §5.1–5.2).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isIPAddress,
  isIPv4Address,
  isIPv6Address,
  isLooseCidr,
  isMACAddress,
  isStrictNet,
  LINK_LOCAL,
  networkContains,
  networkContainsAddress,
  networksOverlap,
  parseIPAddress,
  parseIPNetwork,
  type IPNetwork,
} from '../../src/model/net.js';

function net(text: string): IPNetwork {
  const n = parseIPNetwork(text, { allowBareAddress: true });
  if (!n) throw new Error(`test fixture does not parse: ${text}`);
  return n;
}

describe('parseIPAddress', () => {
  it.each([
    ['1.2.3.4', 4, '1.2.3.4'],
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['::', 6, '::'],
    ['::1', 6, '::1'],
    ['1::', 6, '1::'],
    ['FD00::AB', 6, 'fd00::ab'],
    ['0001:0:0:0:0:0:0:0', 6, '1::'],
    ['1:2:3:4:5:6:7:8', 6, '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::', 6, '1:2:3:4:5:6:7:0'],
    ['::1:2:3:4:5:6:7', 6, '0:1:2:3:4:5:6:7'],
    ['1:0:0:1:0:0:0:1', 6, '1:0:0:1::1'],
    ['1:0:1:0:1:0:1:0', 6, '1:0:1:0:1:0:1:0'],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:1.2.3.4', 6, '1:2:3:4:5:6:102:304'],
  ] as const)('accepts %s as IPv%d %s', (text, family, canonical) => {
    expect(parseIPAddress(text)).toMatchObject({ family, text: canonical });
  });

  it.each([
    '',
    '01.2.3.4',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '-1.2.3.4',
    '1.2.3.4 ',
    ' ::1',
    '1.2.3.4/32',
    '0x1.2.3.4',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '1::2::3',
    '1:::2',
    ':1::',
    '1:2:3:4:5:6:7:',
    '12345::',
    'g::',
    'fe80::1%eth0',
    '[::1]',
    '::ffff:01.2.3.4',
    '::ffff:256.1.1.1',
    '::ffff:1.2.3',
    '1.2.3.4::',
    '::1.2.3.4:5',
    '1:2:3:4:5:6:7:1.2.3.4',
    '1:2:3:4:5:6::1.2.3.4',
  ])('rejects %j', (text) => {
    expect(parseIPAddress(text)).toBeUndefined();
    expect(isIPAddress(text)).toBe(false);
  });

  it('distinguishes IPv4-mapped (::ffff:a.b.c.d) from IPv4-compatible (::a.b.c.d) addresses, as Go does', () => {
    expect(parseIPAddress('::ffff:1.2.3.4')).toMatchObject({ family: 6, ipv4Mapped: true, bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4] });
    expect(parseIPAddress('::1.2.3.4')).toMatchObject({ family: 6, ipv4Mapped: false, bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4], text: '::102:304' });
    expect(parseIPAddress('::ffff:102:304')).toMatchObject({ ipv4Mapped: true });
  });
});

describe('address formats', () => {
  it('ipv4 takes an IPv4 address or its IPv4-mapped form', () => {
    expect(isIPv4Address('10.0.0.1')).toBe(true);
    expect(isIPv4Address('::ffff:10.0.0.1')).toBe(true);
    expect(isIPv4Address('fd00::1')).toBe(false);
    expect(isIPv4Address('10.0.0.1/32')).toBe(false);
  });

  it('ipv6 takes an IPv6 address that is not IPv4-mapped', () => {
    expect(isIPv6Address('fd00::1')).toBe(true);
    expect(isIPv6Address('::1.2.3.4')).toBe(true);
    expect(isIPv6Address('::ffff:10.0.0.1')).toBe(false);
    expect(isIPv6Address('10.0.0.1')).toBe(false);
    expect(isIPv6Address('fd00::1/128')).toBe(false);
  });

  it('net (strict) takes an address or a network without host bits', () => {
    for (const ok of ['10.0.0.1', '10.0.0.0/24', '10.0.0.1/32', 'fd00::/64', 'fd00::1']) expect(isStrictNet(ok)).toBe(true);
    for (const bad of ['10.0.0.1/24', 'fd00::1/64', '', 'garbage', '10.0.0.0/33']) expect(isStrictNet(bad)).toBe(false);
  });

  it('cidr (loose) allows host bits and can be restricted to a family', () => {
    expect(isLooseCidr('10.0.0.5/24')).toBe(true);
    expect(isLooseCidr('10.0.0.5')).toBe(true);
    expect(isLooseCidr('10.0.0.5/24', 4)).toBe(true);
    expect(isLooseCidr('10.0.0.5/24', 6)).toBe(false);
    expect(isLooseCidr('fd00::5/64', 6)).toBe(true);
    expect(isLooseCidr('fd00::5/64', 4)).toBe(false);
    expect(isLooseCidr('::ffff:10.0.0.5', 4)).toBe(true);
    expect(isLooseCidr('')).toBe(false);
    expect(isLooseCidr('garbage')).toBe(false);
  });
});

describe('parseIPNetwork', () => {
  it('masks the network text and says whether host bits were set', () => {
    expect(parseIPNetwork('10.0.0.1/24')).toMatchObject({ prefixLength: 24, family: 4, hostBitsZero: false, text: '10.0.0.0/24' });
    expect(parseIPNetwork('10.0.0.0/24')).toMatchObject({ hostBitsZero: true, text: '10.0.0.0/24' });
    expect(parseIPNetwork('FD00:0:0::/64')).toMatchObject({ family: 6, hostBitsZero: true, text: 'fd00::/64' });
    expect(parseIPNetwork('1::/0')).toMatchObject({ hostBitsZero: false, text: '::/0' });
    expect(parseIPNetwork('10.0.0.255/31')).toMatchObject({ hostBitsZero: false, text: '10.0.0.254/31' });
  });

  it('reads a bare address only when asked to', () => {
    expect(parseIPNetwork('10.0.0.1')).toBeUndefined();
    expect(parseIPNetwork('10.0.0.1', { allowBareAddress: true })).toMatchObject({ prefixLength: 32, text: '10.0.0.1/32' });
    expect(parseIPNetwork('fd00::1', { allowBareAddress: true })).toMatchObject({ prefixLength: 128, text: 'fd00::1/128' });
  });

  it('accepts prefix lengths with leading zeros, like Go dtoi', () => {
    expect(parseIPNetwork('10.0.0.0/08')).toMatchObject({ prefixLength: 8, text: '10.0.0.0/8' });
    expect(parseIPNetwork('fd00::/0064')).toMatchObject({ prefixLength: 64 });
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/+8', '10.0.0.0/ 8', '10.0.0.0/8/8', '/8', '010.0.0.0/8', 'fe80::/64%eth0', ''])(
    'rejects %j',
    (text) => {
      expect(parseIPNetwork(text)).toBeUndefined();
    },
  );
});

describe('network arithmetic', () => {
  it('contains, overlaps and contains-address within one family', () => {
    expect(networkContains(net('10.0.0.0/8'), net('10.1.0.0/16'))).toBe(true);
    expect(networkContains(net('10.1.0.0/16'), net('10.0.0.0/8'))).toBe(false);
    expect(networksOverlap(net('10.1.0.0/16'), net('10.0.0.0/8'))).toBe(true);
    expect(networksOverlap(net('10.1.0.0/16'), net('10.2.0.0/16'))).toBe(false);
    expect(networksOverlap(net('0.0.0.0/0'), net('::/0'))).toBe(false);
    expect(networkContainsAddress(net('fd00::/64'), net('fd00::9').address)).toBe(true);
    expect(networkContainsAddress(net('fd00::/64'), net('fd01::9').address)).toBe(false);
    expect(networkContainsAddress(net('10.0.0.0/8'), net('fd00::9').address)).toBe(false);
  });

  it('knows the link-local ranges', () => {
    expect(LINK_LOCAL[4].text).toBe('169.254.0.0/16');
    expect(LINK_LOCAL[6].text).toBe('fe80::/10');
    expect(networksOverlap(net('169.254.3.0/24'), LINK_LOCAL[4])).toBe(true);
    expect(networksOverlap(net('febf::/16'), LINK_LOCAL[6])).toBe(true);
    expect(networksOverlap(net('fec0::/16'), LINK_LOCAL[6])).toBe(false);
  });
});

describe('isMACAddress (Go net.ParseMAC)', () => {
  it.each([
    '00:00:5e:00:53:01',
    '00-00-5E-00-53-01',
    '00:00:5e:00:53:01:02:03',
    '00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01',
    '0000.5e00.5301',
    '0000.5e00.5301.0203',
    '0000.5e00.5301.0203.0405.0607.0809.0a0b.0c0d.0e0f',
  ])('accepts %s', (mac) => {
    expect(isMACAddress(mac)).toBe(true);
  });

  it.each(['', 'zz:00:00:00:00:00', '00:00:5e:00:53', '00:00:5e-00:53:01', '00005e005301', '0:0:5e:0:53:1', '0000.5e00', '00:00:5e:00:53:01:02', '00:00:5e:00:53:01:'])(
    'rejects %j',
    (mac) => {
      expect(isMACAddress(mac)).toBe(false);
    },
  );
});

describe('properties', () => {
  const v4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
  const v6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });

  it('IPv4 dotted decimal round-trips', () => {
    fc.assert(
      fc.property(v4, (bytes) => {
        const text = bytes.join('.');
        expect(parseIPAddress(text)).toMatchObject({ family: 4, bytes, text });
      }),
    );
  });

  it('any IPv6 spelling parses to the same bytes as its canonical text, and canonical text is stable', () => {
    fc.assert(
      fc.property(v6, fc.boolean(), (groups, upper) => {
        const full = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
        const a = parseIPAddress(upper ? full.toUpperCase() : full);
        expect(a?.family).toBe(6);
        const again = parseIPAddress(a?.text ?? '');
        expect(again?.bytes).toEqual(a?.bytes);
        expect(again?.text).toBe(a?.text);
        expect(a?.text).toBe(a?.text.toLowerCase());
        expect(a?.text.includes(':::')).toBe(false);
      }),
    );
  });

  it('a masked network contains its address and the text is its own canonical form', () => {
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 32 }), (bytes, prefix) => {
        const n = net(`${bytes.join('.')}/${prefix}`);
        const masked = net(n.text);
        expect(masked.hostBitsZero).toBe(true);
        expect(masked.text).toBe(n.text);
        expect(networkContainsAddress(masked, n.address)).toBe(true);
        expect(networksOverlap(masked, n)).toBe(true);
      }),
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        expect(() => parseIPNetwork(s, { allowBareAddress: true })).not.toThrow();
        expect(() => isMACAddress(s)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
