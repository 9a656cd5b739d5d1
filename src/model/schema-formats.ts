/**
 * The string formats the schemas in `schemas/` use, with Go's `net` parsing rules (from
 * {@link ./net.ts}). ajv-formats has no `cidr` and its `ipv4`/`ipv6` do not match Go (the IPv4-mapped
 * form, zones), so every address format is defined here; only `date-time` comes from ajv-formats.
 *
 * Formats check syntax only. Host bits, families across fields, overlaps and block sizes are the
 * per-kind semantic rules.
 *
 * @module
 */
import { isIPAddress, isIPv4Address, isIPv6Address, isLooseCidr, isMACAddress, isStrictNet, parseIPNetwork } from './net.js';

/** One format: its name in the schemas, the check, and the reason shown when it fails. */
export interface SchemaFormat {
  /** Name used in `"format"` in the schemas. */
  readonly name: string;
  /** True when the string has the format. */
  readonly validate: (value: string) => boolean;
  /** Reason for a failing value, phrased to follow the field path (`must be ...`). */
  readonly message: string;
}

/** Results kept per format; format checks are pure, and the same addresses recur across documents. */
const FORMAT_CACHE_SIZE = 4096;

/** Wraps a pure string check with a bounded cache (cleared when full). */
function memoized(check: (value: string) => boolean): (value: string) => boolean {
  const cache = new Map<string, boolean>();
  return (value) => {
    let result = cache.get(value);
    if (result === undefined) {
      result = check(value);
      if (cache.size >= FORMAT_CACHE_SIZE) cache.clear();
      if (value.length <= 256) cache.set(value, result);
    }
    return result;
  };
}

/**
 * Every custom format, keyed by name:
 *
 * | name | accepts |
 * |---|---|
 * | `cidr` | `address/prefix`, host bits allowed (Go `net.ParseCIDR`) |
 * | `calico-net` | a bare address or `address/prefix` with no host bits (Calico `net`) |
 * | `calico-cidr` | a bare address or `address/prefix`, host bits allowed (Calico `cidr`) |
 * | `calico-cidrv4` / `calico-cidrv6` | as `calico-cidr`, one family |
 * | `calico-ip` | one address of either family |
 * | `ipv4` / `ipv6` | one address of that family (an IPv4-mapped IPv6 address counts as IPv4) |
 * | `mac` | what Go's `net.ParseMAC` accepts |
 */
export const SCHEMA_FORMATS: Readonly<Record<string, SchemaFormat>> = Object.freeze(
  Object.fromEntries(
    [
      { name: 'cidr', validate: (s: string) => parseIPNetwork(s) !== undefined, message: 'must be a CIDR (address/prefix length)' },
      { name: 'calico-net', validate: isStrictNet, message: 'must be an IP address or a network with no host bits set' },
      { name: 'calico-cidr', validate: (s: string) => isLooseCidr(s), message: 'must be an IP address or CIDR' },
      { name: 'calico-cidrv4', validate: (s: string) => isLooseCidr(s, 4), message: 'must be an IPv4 address or CIDR' },
      { name: 'calico-cidrv6', validate: (s: string) => isLooseCidr(s, 6), message: 'must be an IPv6 address or CIDR' },
      { name: 'calico-ip', validate: isIPAddress, message: 'must be an IP address' },
      { name: 'ipv4', validate: isIPv4Address, message: 'must be an IPv4 address' },
      { name: 'ipv6', validate: isIPv6Address, message: 'must be an IPv6 address' },
      { name: 'mac', validate: isMACAddress, message: 'must be a MAC address' },
    ].map((f) => [f.name, Object.freeze({ ...f, validate: memoized(f.validate) })]),
  ),
);

/** Reasons for the ajv-formats formats the schemas use. */
export const STANDARD_FORMAT_MESSAGES: Readonly<Record<string, string>> = Object.freeze({
  'date-time': 'must be an RFC 3339 date-time',
});

/**
 * The reason to show when a value fails `format`.
 *
 * @param name The format name.
 * @return A message such as `must be an IPv4 address`.
 */
export function formatMessage(name: string): string {
  return SCHEMA_FORMATS[name]?.message ?? STANDARD_FORMAT_MESSAGES[name] ?? `must have format ${name}`;
}
