/**
 * Number-or-string values of the Calico model: protocols, ports and AS numbers (Calico's
 * `numorstring` package). Each parser accepts what Calico accepts and reports why it rejects
 * anything else; each formatter writes the JSON form Calico writes.
 *
 * @module
 */

/** Protocol names Calico v3 accepts (case-sensitive) and their IANA numbers. */
export const PROTOCOL_NUMBERS = {
  TCP: 6,
  UDP: 17,
  ICMP: 1,
  ICMPv6: 58,
  SCTP: 132,
  UDPLite: 136,
} as const;

/** One of the protocol names in {@link PROTOCOL_NUMBERS}. */
export type ProtocolName = keyof typeof PROTOCOL_NUMBERS;

/** A parse result: the value, or why it was rejected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const DECIMAL_RE = /^\d+$/;

/**
 * Parses a protocol: an integer 1–255, a decimal string of one, or one of the names.
 * `"6"` becomes `6`.
 *
 * @param value The JSON value.
 * @return The protocol as Calico stores it (number or name).
 */
export function parseProtocol(value: unknown): Parsed<number | ProtocolName> {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 255) return { ok: false, reason: 'protocol number must be an integer from 1 to 255' };
    return { ok: true, value };
  }
  if (typeof value !== 'string') return { ok: false, reason: 'protocol must be a number or a string' };
  if (DECIMAL_RE.test(value)) return parseProtocol(Number(value));
  if (Object.hasOwn(PROTOCOL_NUMBERS, value)) return { ok: true, value: value as ProtocolName };
  return { ok: false, reason: `protocol must be one of ${Object.keys(PROTOCOL_NUMBERS).join(', ')} or a number from 1 to 255` };
}

/** The IANA number of a parsed protocol. */
export function protocolNumber(protocol: number | ProtocolName): number {
  return typeof protocol === 'number' ? protocol : PROTOCOL_NUMBERS[protocol];
}

/** True for TCP, UDP and SCTP (by name or number): the protocols whose rules may list ports. */
export function protocolSupportsPorts(protocol: number | ProtocolName): boolean {
  const n = protocolNumber(protocol);
  return n === 6 || n === 17 || n === 132;
}

/** A parsed port: one number, an inclusive range, or a named port. */
export type Port =
  | { kind: 'single'; port: number }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'named'; name: string };

const RANGE_RE = /^(\d+):(\d+)$/;

/**
 * True for a valid IANA service name: 1–15 characters of `a-z`, `0-9`, `-`, at least one letter,
 * no `--`, not starting or ending with `-`.
 */
export function isValidPortName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= 15 &&
    /^[a-z0-9-]+$/.test(name) &&
    /[a-z]/.test(name) &&
    !name.includes('--') &&
    !name.startsWith('-') &&
    !name.endsWith('-')
  );
}

function portNumber(text: string | number): Parsed<number> {
  const n = typeof text === 'number' ? text : Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) return { ok: false, reason: 'port must be from 1 to 65535' };
  return { ok: true, value: n };
}

/**
 * Parses a port: an integer, a string of digits, `"min:max"`, or an IANA service name.
 *
 * @param value The JSON value.
 * @return The parsed port, or why it is invalid.
 */
export function parsePort(value: unknown): Parsed<Port> {
  if (typeof value === 'number') {
    const n = portNumber(value);
    return n.ok ? { ok: true, value: { kind: 'single', port: n.value } } : n;
  }
  if (typeof value !== 'string') return { ok: false, reason: 'port must be a number or a string' };
  if (DECIMAL_RE.test(value)) return parsePort(Number(value));
  const range = RANGE_RE.exec(value);
  if (range) {
    const min = portNumber(range[1] as string);
    const max = portNumber(range[2] as string);
    if (!min.ok) return min;
    if (!max.ok) return max;
    if (min.value > max.value) return { ok: false, reason: 'port range minimum is greater than its maximum' };
    return { ok: true, value: min.value === max.value ? { kind: 'single', port: min.value } : { kind: 'range', min: min.value, max: max.value } };
  }
  if (!isValidPortName(value)) return { ok: false, reason: 'named port must be a valid IANA service name (1-15 of a-z, 0-9, -)' };
  return { ok: true, value: { kind: 'named', name: value } };
}

/** JSON form of a port: a number, `"min:max"`, or the name. */
export function formatPort(port: Port): number | string {
  switch (port.kind) {
    case 'single':
      return port.port;
    case 'range':
      return `${port.min}:${port.max}`;
    case 'named':
      return port.name;
  }
}

const AS_MAX = 4294967295;
const ASDOT_RE = /^(\d+)\.(\d+)$/;

/**
 * Parses an AS number: an integer 0–4294967295, a decimal string of one, or asdot `H.L`
 * (`"1.10"` is 65546).
 */
export function parseASNumber(value: unknown): Parsed<number> {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > AS_MAX) return { ok: false, reason: 'AS number must be from 0 to 4294967295' };
    return { ok: true, value };
  }
  if (typeof value !== 'string') return { ok: false, reason: 'AS number must be a number or a string' };
  if (DECIMAL_RE.test(value)) return parseASNumber(Number(value));
  const dot = ASDOT_RE.exec(value);
  if (dot) {
    const high = Number(dot[1]);
    const low = Number(dot[2]);
    if (high > 65535 || low > 65535) return { ok: false, reason: 'asdot halves must each be from 0 to 65535' };
    return { ok: true, value: high * 65536 + low };
  }
  return { ok: false, reason: 'AS number must be a number or asdot notation H.L' };
}
