/**
 * Number-or-string values (model.md §5.3–5.5): protocol, port and AS number parsing and their
 * JSON forms, compared with Calico's numorstring package.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPort,
  isValidPortName,
  parseASNumber,
  parsePort,
  parseProtocol,
  PROTOCOL_NUMBERS,
  protocolNumber,
  protocolSupportsPorts,
} from '../../src/model/numorstring.js';

describe('parseProtocol', () => {
  it.each([
    [1, 1],
    [255, 255],
    ['6', 6],
    ['06', 6],
    ['255', 255],
    ['TCP', 'TCP'],
    ['UDP', 'UDP'],
    ['ICMP', 'ICMP'],
    ['ICMPv6', 'ICMPv6'],
    ['SCTP', 'SCTP'],
    ['UDPLite', 'UDPLite'],
  ])('%j → %j', (input, expected) => {
    expect(parseProtocol(input)).toEqual({ ok: true, value: expected });
  });

  it.each([0, 256, -1, 1.5, '0', '256', 'tcp', 'Tcp', 'icmpv6', ' 6', '+6', '', 'GRE', null, true, {}])('rejects %j', (input) => {
    const result = parseProtocol(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/protocol/);
  });

  it('maps names to IANA numbers and knows which protocols take ports', () => {
    expect(PROTOCOL_NUMBERS).toEqual({ TCP: 6, UDP: 17, ICMP: 1, ICMPv6: 58, SCTP: 132, UDPLite: 136 });
    expect(protocolNumber('SCTP')).toBe(132);
    expect(protocolNumber(47)).toBe(47);
    for (const p of ['TCP', 'UDP', 'SCTP', 6, 17, 132] as const) expect(protocolSupportsPorts(p)).toBe(true);
    for (const p of ['ICMP', 'ICMPv6', 'UDPLite', 1, 58, 136, 47] as const) expect(protocolSupportsPorts(p)).toBe(false);
  });
});

describe('parsePort', () => {
  it.each([
    [80, { kind: 'single', port: 80 }],
    ['80', { kind: 'single', port: 80 }],
    ['080', { kind: 'single', port: 80 }],
    [65535, { kind: 'single', port: 65535 }],
    ['1:65535', { kind: 'range', min: 1, max: 65535 }],
    ['80:80', { kind: 'single', port: 80 }],
    ['http', { kind: 'named', name: 'http' }],
    ['h2-c', { kind: 'named', name: 'h2-c' }],
    ['abcdefghijklmno', { kind: 'named', name: 'abcdefghijklmno' }],
  ])('%j → %o', (input, expected) => {
    expect(parsePort(input)).toEqual({ ok: true, value: expected });
  });

  it.each([0, 65536, -1, 8.5, '0', '65536', '0:10', '10:65536', '100:50', 'HTTP', 'my_port', '100-200', 'verylongportname1', '-http', 'http-', 'ht--tp', '', ':80', '80:', null, []])(
    'rejects %j',
    (input) => {
      expect(parsePort(input).ok).toBe(false);
    },
  );

  it('writes single ports as numbers, ranges as "min:max" and names as strings', () => {
    expect(formatPort({ kind: 'single', port: 80 })).toBe(80);
    expect(formatPort({ kind: 'range', min: 1, max: 2 })).toBe('1:2');
    expect(formatPort({ kind: 'named', name: 'dns' })).toBe('dns');
  });

  it('formats then parses back to the same port', () => {
    const port = fc.integer({ min: 1, max: 65535 });
    fc.assert(
      fc.property(port, port, (a, b) => {
        const input = `${Math.min(a, b)}:${Math.max(a, b)}`;
        const parsed = parsePort(input);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const again = parsePort(formatPort(parsed.value));
        expect(again).toEqual(parsed);
        expect(formatPort(parsed.value)).toBe(a === b ? a : input);
      }),
    );
  });
});

describe('isValidPortName (IANA service name)', () => {
  it('needs 1-15 of a-z, 0-9 and -, a letter, no "--" and no dash at either end', () => {
    expect(isValidPortName('a')).toBe(true);
    expect(isValidPortName('1a')).toBe(true);
    expect(isValidPortName('123')).toBe(false);
    expect(isValidPortName('a'.repeat(16))).toBe(false);
    expect(isValidPortName('a-b-c')).toBe(true);
  });
});

describe('parseASNumber', () => {
  it.each([
    [0, 0],
    [64512, 64512],
    ['64512', 64512],
    ['0.64512', 64512],
    ['1.10', 65546],
    ['65535.65535', 4294967295],
    [4294967295, 4294967295],
    ['4294967295', 4294967295],
    ['00064512', 64512],
  ])('%j → %d', (input, expected) => {
    expect(parseASNumber(input)).toEqual({ ok: true, value: expected });
  });

  it.each([4294967296, '4294967296', -1, 1.5, '65536.1', '1.65536', '1.2.3', '.1', '1.', '', 'as64512', ' 1', null])('rejects %j', (input) => {
    expect(parseASNumber(input).ok).toBe(false);
  });

  it('asdot H.L is H*65536+L', () => {
    const half = fc.integer({ min: 0, max: 65535 });
    fc.assert(
      fc.property(half, half, (h, l) => {
        expect(parseASNumber(`${h}.${l}`)).toEqual({ ok: true, value: h * 65536 + l });
      }),
    );
  });
});
