/**
 * IP address, network (CIDR) and MAC parsing with the same acceptance rules as Go's `net` package,
 * which Calico uses: IPv4 in dotted decimal without leading zeros, IPv6 without zones, prefix
 * lengths 0–32 / 0–128. Parsing is done by ipaddr.js; this module adds Go's stricter edges and the
 * network arithmetic the model rules need (host bits, containment, overlap, canonical text).
 *
 * @module
 */
import ipaddr from 'ipaddr.js';

/** IP address family. */
export type IPFamily = 4 | 6;

/** A parsed single IP address. */
export interface IPAddress {
  /** 4 for dotted-decimal IPv4, 6 for anything written in IPv6 syntax. */
  family: IPFamily;
  /** 4 bytes (IPv4) or 16 bytes (IPv6), network order. */
  bytes: readonly number[];
  /** True for the IPv4-mapped IPv6 form `::ffff:a.b.c.d`, which Go treats as IPv4 in most checks. */
  ipv4Mapped: boolean;
  /** Canonical text: dotted decimal, or RFC 5952 IPv6. */
  text: string;
}

/** A parsed network: an address plus a prefix length. */
export interface IPNetwork {
  /** The address as written (host bits may be set). */
  address: IPAddress;
  /** Prefix length, 0–32 or 0–128. */
  prefixLength: number;
  /** Family of the network (that of its address). */
  family: IPFamily;
  /** True when every bit after the prefix is zero. */
  hostBitsZero: boolean;
  /** Canonical text of the *masked* network, for example `fd00::/64`. */
  text: string;
}

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Prefix length digits. Go's `net.ParseCIDR` reads them with `dtoi`, which accepts leading zeros (`/08`). */
const PREFIX_RE = /^\d{1,16}$/;

function v4Text(bytes: readonly number[]): string {
  return bytes.join('.');
}

function v6Text(bytes: readonly number[]): string {
  return (ipaddr.fromByteArray([...bytes]) as ipaddr.IPv6).toRFC5952String();
}

/**
 * Parses one IP address (no prefix). Returns `undefined` for anything Go's `net.ParseIP` rejects,
 * and for the empty string.
 *
 * @param text The address text.
 * @return The parsed address, or `undefined`.
 */
export function parseIPAddress(text: string): IPAddress | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
  if (IPV4_RE.test(text)) {
    const bytes = text.split('.').map(Number);
    return { family: 4, bytes, ipv4Mapped: false, text: v4Text(bytes) };
  }
  if (!text.includes(':') || text.includes('%')) return undefined;
  // An embedded IPv4 tail must itself be valid dotted decimal (ipaddr.js accepts leading zeros).
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let v6text = text;
  if (tail.includes('.')) {
    if (!IPV4_RE.test(tail)) return undefined;
    // Rewrite the IPv4 tail as two hex groups: ipaddr.js reads `::a.b.c.d` as IPv4-mapped
    // (`::ffff:a.b.c.d`), whereas Go reads it as the IPv4-compatible `::a.b:c.d`.
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    v6text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  if (!ipaddr.IPv6.isValid(v6text)) return undefined;
  let parsed: ipaddr.IPv6;
  try {
    parsed = ipaddr.IPv6.parse(v6text);
  } catch {
    return undefined;
  }
  const bytes = parsed.toByteArray();
  return { family: 6, bytes, ipv4Mapped: parsed.isIPv4MappedAddress(), text: parsed.toRFC5952String() };
}

function maskBytes(bytes: readonly number[], prefixLength: number): number[] {
  return bytes.map((b, i) => {
    const bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
    return bitsHere === 8 ? b : b & ((0xff << (8 - bitsHere)) & 0xff);
  });
}

function bytesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Options for {@link parseIPNetwork}. */
export interface ParseNetworkOptions {
  /**
   * Accept a bare address and read it as a full-length prefix (/32 or /128).
   * @default false
   */
  allowBareAddress?: boolean;
}

/**
 * Parses `address/prefix` (or, with `allowBareAddress`, a bare address). Host bits may be set;
 * check {@link IPNetwork.hostBitsZero} where the rule needs a strictly masked network.
 *
 * @param text The network text.
 * @param options See {@link ParseNetworkOptions}.
 * @return The parsed network, or `undefined` if it does not parse.
 */
export function parseIPNetwork(text: string, options: ParseNetworkOptions = {}): IPNetwork | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (!options.allowBareAddress) return undefined;
    const address = parseIPAddress(text);
    if (!address) return undefined;
    const len = address.family === 4 ? 32 : 128;
    return { address, prefixLength: len, family: address.family, hostBitsZero: true, text: `${address.text}/${len}` };
  }
  const address = parseIPAddress(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (!address || !PREFIX_RE.test(bits)) return undefined;
  const prefixLength = Number(bits);
  if (prefixLength > (address.family === 4 ? 32 : 128)) return undefined;
  const masked = maskBytes(address.bytes, prefixLength);
  const maskedText = address.family === 4 ? v4Text(masked) : v6Text(masked);
  return {
    address,
    prefixLength,
    family: address.family,
    hostBitsZero: bytesEqual(masked, address.bytes),
    text: `${maskedText}/${prefixLength}`,
  };
}

/**
 * True when `outer` contains every address of `inner` (same family only).
 *
 * @param outer The candidate containing network.
 * @param inner The candidate contained network.
 */
export function networkContains(outer: IPNetwork, inner: IPNetwork): boolean {
  if (outer.family !== inner.family || outer.prefixLength > inner.prefixLength) return false;
  return bytesEqual(maskBytes(outer.address.bytes, outer.prefixLength), maskBytes(inner.address.bytes, outer.prefixLength));
}

/**
 * True when the two networks share at least one address (one contains the other).
 */
export function networksOverlap(a: IPNetwork, b: IPNetwork): boolean {
  return networkContains(a, b) || networkContains(b, a);
}

/**
 * True when `address` lies inside `network`.
 */
export function networkContainsAddress(network: IPNetwork, address: IPAddress): boolean {
  const asNet: IPNetwork = {
    address,
    prefixLength: address.family === 4 ? 32 : 128,
    family: address.family,
    hostBitsZero: true,
    text: '',
  };
  return networkContains(network, asNet);
}

/** Format `ipv4`: one IPv4 address (the IPv4-mapped IPv6 form counts, as in Go). */
export function isIPv4Address(text: string): boolean {
  const a = parseIPAddress(text);
  return a !== undefined && (a.family === 4 || a.ipv4Mapped);
}

/** Format `ipv6`: one IPv6 address that is not IPv4-mapped. */
export function isIPv6Address(text: string): boolean {
  const a = parseIPAddress(text);
  return a !== undefined && a.family === 6 && !a.ipv4Mapped;
}

/** Format `ip`: one address of either family. */
export function isIPAddress(text: string): boolean {
  return parseIPAddress(text) !== undefined;
}

/** Format `net` (strict): a bare address or `addr/len` with all host bits zero. */
export function isStrictNet(text: string): boolean {
  const n = parseIPNetwork(text, { allowBareAddress: true });
  return n !== undefined && n.hostBitsZero;
}

/**
 * Format `cidr` (loose): a bare address or `addr/len`, host bits allowed; optionally one family.
 *
 * @param text The text to check.
 * @param family Restrict to this family (`cidrv4` / `cidrv6`).
 */
export function isLooseCidr(text: string, family?: IPFamily): boolean {
  const n = parseIPNetwork(text, { allowBareAddress: true });
  if (!n) return false;
  if (family === undefined) return true;
  const effective: IPFamily = n.address.ipv4Mapped ? 4 : n.family;
  return effective === family;
}

/**
 * Format `mac`: what Go's `net.ParseMAC` accepts — EUI-48, EUI-64 or 20-octet InfiniBand
 * addresses as hex pairs separated by `:` or `-`, or dot-separated groups of four hex digits.
 */
export function isMACAddress(text: string): boolean {
  if (typeof text !== 'string') return false;
  const octets = [6, 8, 20];
  if (/^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2})+$/.test(text)) {
    const sep = text[2];
    if (!text.split('').every((c, i) => i % 3 !== 2 || c === sep)) return false;
    return octets.includes((text.length + 1) / 3);
  }
  if (/^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4})+$/.test(text)) {
    return octets.includes(((text.length + 1) / 5) * 2);
  }
  return false;
}

/** The link-local range of each family, which IP pools must not overlap. */
export const LINK_LOCAL: Readonly<Record<IPFamily, IPNetwork>> = {
  4: parseIPNetwork('169.254.0.0/16') as IPNetwork,
  6: parseIPNetwork('fe80::/10') as IPNetwork,
};
