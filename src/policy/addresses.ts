/**
 * Address sets for policy evaluation: CIDR lists compiled once into fast containment tests.
 *
 * @module
 */
import { parseIPAddress, parseIPNetwork, type IPAddress, type IPFamily } from '../model/net.js';

/** A parsed address, as the evaluator keeps it: family plus a numeric form for fast tests. */
export interface FlowAddress {
  /** 4 or 6. */
  readonly family: IPFamily;
  /** Canonical text. */
  readonly text: string;
  /** IPv4 as an unsigned 32-bit number; undefined for IPv6. */
  readonly v4?: number;
  /** The 16 bytes of an IPv6 address; undefined for IPv4. */
  readonly v6?: readonly number[];
}

/** One compiled network. */
export interface CompiledNet {
  /** 4 or 6. */
  readonly family: IPFamily;
  /** Canonical masked text (`10.0.0.0/8`). */
  readonly text: string;
  /** Whether the network holds `address` (false across families). */
  contains(address: FlowAddress): boolean;
}

function v4Number(bytes: readonly number[]): number {
  return (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
}

/** Turns a parsed address into a {@link FlowAddress}; IPv4-mapped IPv6 counts as IPv4, as in Go. */
export function toFlowAddress(address: IPAddress): FlowAddress {
  if (address.family === 4) return { family: 4, text: address.text, v4: v4Number(address.bytes) };
  if (address.ipv4Mapped) {
    const b = address.bytes.slice(12);
    return { family: 4, text: b.join('.'), v4: v4Number(b) };
  }
  return { family: 6, text: address.text, v6: address.bytes };
}

/**
 * Parses an address or a single-address network (`10.0.0.1`, `10.0.0.1/32`).
 *
 * @param text The address text.
 * @return The address, or undefined when the text is not one.
 */
export function parseFlowAddress(text: string): FlowAddress | undefined {
  const slash = text.indexOf('/');
  const bare = slash >= 0 ? text.slice(0, slash) : text;
  const address = parseIPAddress(bare);
  return address ? toFlowAddress(address) : undefined;
}

/**
 * Compiles one CIDR (or bare address) as Calico's `ParseCIDROrIP` reads it; undefined when
 * the text is not a network (Calico drops such entries, `ConvertStringsToNets`).
 *
 * @param text The network text.
 * @return The compiled network, or undefined.
 */
export function compileNet(text: string): CompiledNet | undefined {
  const net = parseIPNetwork(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
  if (!net) return undefined;
  const prefix = net.prefixLength;
  if (net.family === 4 || net.address.ipv4Mapped) {
    const base = toFlowAddress(net.address);
    const bits = net.family === 4 ? prefix : Math.max(0, prefix - 96);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const masked = ((base.v4 ?? 0) & mask) >>> 0;
    return { family: 4, text: net.text, contains: (a) => a.v4 !== undefined && ((a.v4 & mask) >>> 0) === masked };
  }
  const bytes = net.address.bytes;
  return {
    family: 6,
    text: net.text,
    contains: (a) => {
      const b = a.v6;
      if (b === undefined) return false;
      let left = prefix;
      for (let i = 0; i < 16 && left > 0; i++, left -= 8) {
        const m = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
        if (((b[i] ?? 0) & m) !== ((bytes[i] ?? 0) & m)) return false;
      }
      return true;
    },
  };
}

/**
 * Compiles a list of networks, dropping entries that are not networks.
 *
 * @param texts The network texts.
 * @return The compiled networks.
 */
export function compileNets(texts: readonly string[] | undefined): CompiledNet[] {
  const out: CompiledNet[] = [];
  for (const t of texts ?? []) {
    const n = compileNet(t);
    if (n) out.push(n);
  }
  return out;
}
