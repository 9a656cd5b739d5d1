/**
 * Node defaults and rules (model.md §7). A Node has no defaults except that its AS number is
 * stored as a JSON number; its rules are address formats (each field has its own: single
 * addresses, loose CIDRs of one family, MACs), a non-empty `spec.bgp` when present, the list
 * entries of §7.3 and the WireGuard public keys in `status`.
 *
 * The checks never throw: a field of the wrong type (which the JSON schema reports) is skipped.
 *
 * @module
 */
import { childPath, type ReportFn } from './field-report.js';
import { isIPAddress, isIPv4Address, isIPv6Address, isLooseCidr, isMACAddress } from './net.js';
import { parseASNumber } from './numorstring.js';
import type { Node } from './types.generated.js';
import { asRecord } from './plain-object.js';

/** Node address types accepted in `spec.addresses[].type`. */
export const NODE_ADDRESS_TYPES: readonly string[] = Object.freeze(['CalicoNodeIP', 'InternalIP', 'ExternalIP']);

type Rec = Record<string, unknown>;

/** Calico's `name` format for names inside specs: a lowercase DNS-1123 subdomain pattern. */
const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Standard base64 (with padding) of exactly 32 bytes: 43 characters and one `=`. */
const WIREGUARD_KEY_RE = /^[A-Za-z0-9+/]{43}=$/;

/**
 * True for a valid WireGuard public key: standard base64 (with `=` padding) of exactly 32 bytes.
 *
 * @param key The key text.
 */
export function isWireguardPublicKey(key: string): boolean {
  return WIREGUARD_KEY_RE.test(key);
}

/**
 * Applies the Node defaults: the only one is that `spec.bgp.asNumber` is stored as a JSON number
 * (`"64512"`, `"0.64512"` and `64512` all become `64512`; `"1.10"` becomes `65546`). An AS number
 * that does not parse is left as it is for the check to report. Pure and idempotent.
 *
 * ## Example
 * ```ts
 * applyNodeDefaults({ kind: 'Node', metadata: { name: 'n1' }, spec: { bgp: { asNumber: '1.10' } } }).spec;
 * // { bgp: { asNumber: 65546 } }
 * ```
 * @param node The node; not modified.
 * @return A defaulted deep copy.
 */
export function applyNodeDefaults<T>(node: T): T {
  const out = structuredClone(node);
  const bgp = asRecord(asRecord(asRecord(out)?.spec)?.bgp);
  if (bgp && bgp.asNumber !== undefined && bgp.asNumber !== null) {
    const parsed = parseASNumber(bgp.asNumber);
    if (parsed.ok) bgp.asNumber = parsed.value;
  }
  return out;
}

type Format = (value: string) => boolean;

interface FieldFormat {
  field: string;
  valid: Format;
  message: string;
}

const IPV4: Format = isIPv4Address;
const IPV6: Format = isIPv6Address;
const MAC: Format = isMACAddress;
const IPV4_MESSAGE = 'must be a single IPv4 address (no prefix length)';
const IPV6_MESSAGE = 'must be a single IPv6 address (no prefix length)';
const MAC_MESSAGE = 'must be a MAC address';

const BGP_FORMATS: readonly FieldFormat[] = [
  { field: 'ipv4Address', valid: (v) => isLooseCidr(v, 4), message: 'must be an IPv4 address, optionally with a prefix length' },
  { field: 'ipv6Address', valid: (v) => isLooseCidr(v, 6), message: 'must be an IPv6 address, optionally with a prefix length' },
  { field: 'ipv4IPIPTunnelAddr', valid: IPV4, message: IPV4_MESSAGE },
  { field: 'routeReflectorClusterID', valid: IPV4, message: 'must be an IPv4 address in dotted-quad form' },
];

const SPEC_FORMATS: readonly FieldFormat[] = [
  { field: 'ipv4VXLANTunnelAddr', valid: IPV4, message: IPV4_MESSAGE },
  { field: 'vxlanTunnelMACAddr', valid: MAC, message: MAC_MESSAGE },
  { field: 'ipv6VXLANTunnelAddr', valid: IPV6, message: IPV6_MESSAGE },
  { field: 'vxlanTunnelMACAddrV6', valid: MAC, message: MAC_MESSAGE },
];

const WIREGUARD_FORMATS: readonly FieldFormat[] = [
  { field: 'interfaceIPv4Address', valid: IPV4, message: IPV4_MESSAGE },
  { field: 'interfaceIPv6Address', valid: IPV6, message: IPV6_MESSAGE },
];

const STATUS_FORMATS: readonly FieldFormat[] = [
  { field: 'wireguardPublicKey', valid: isWireguardPublicKey, message: 'must be a WireGuard public key (base64 of 32 bytes)' },
  { field: 'wireguardPublicKeyV6', valid: isWireguardPublicKey, message: 'must be a WireGuard public key (base64 of 32 bytes)' },
];

/** Checks string fields that are optional (empty means unset, as Go's `omitempty`). */
function checkFormats(obj: Rec, path: string, formats: readonly FieldFormat[], report: ReportFn): void {
  for (const { field, valid, message } of formats) {
    const value = obj[field];
    if (typeof value === 'string' && value !== '' && !valid(value)) report(childPath(path, field), 'invalid', message, value);
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function checkBGP(bgp: Rec, report: ReportFn): void {
  // Go compares the struct with its zero value: empty strings are unset, an asNumber of 0 is set.
  if (!['asNumber', 'ipv4Address', 'ipv6Address', 'ipv4IPIPTunnelAddr', 'routeReflectorClusterID'].some((f) => isSet(bgp[f]))) {
    report('spec.bgp', 'invalid', 'spec.bgp must not be empty: set at least one field or omit it');
  }
  if (bgp.asNumber !== undefined && bgp.asNumber !== null && (typeof bgp.asNumber === 'number' || typeof bgp.asNumber === 'string')) {
    const parsed = parseASNumber(bgp.asNumber);
    if (!parsed.ok) report('spec.bgp.asNumber', 'invalid', parsed.reason, bgp.asNumber);
  }
  checkFormats(bgp, 'spec.bgp', BGP_FORMATS, report);
}

function checkAddresses(addresses: unknown[], report: ReportFn): void {
  addresses.forEach((entry, i) => {
    const address = asRecord(entry);
    if (!address) return;
    const path = childPath('spec.addresses', i);
    // Calico writes every entry's address (no omitempty) and never checks it: empty means unset.
    if (typeof address.address === 'string' && address.address !== '' && !isLooseCidr(address.address)) {
      report(`${path}.address`, 'invalid', 'must be an IP address, optionally with a prefix length', address.address);
    }
    if (typeof address.type === 'string' && address.type !== '' && !NODE_ADDRESS_TYPES.includes(address.type)) {
      report(`${path}.type`, 'notSupported', `must be one of ${NODE_ADDRESS_TYPES.join(', ')}`, address.type);
    }
  });
}

function checkInterfaces(interfaces: unknown[], report: ReportFn): void {
  interfaces.forEach((entry, i) => {
    const iface = asRecord(entry);
    if (!iface) return;
    const path = childPath('spec.interfaces', i);
    if (typeof iface.name === 'string' && iface.name !== '' && !NAME_RE.test(iface.name)) {
      report(`${path}.name`, 'invalid', 'must consist of lower case alphanumeric characters, - and . (a DNS-1123 subdomain)', iface.name);
    }
    if (Array.isArray(iface.addresses)) {
      iface.addresses.forEach((a, j) => {
        if (typeof a === 'string' && !isIPAddress(a)) {
          report(childPath(`${path}.addresses`, j), 'invalid', 'must be a single IP address (no prefix length)', a);
        }
      });
    }
  });
}

/**
 * Checks the rules of a Node (model.md §7): `spec.bgp`, when present, is not empty and its AS
 * number and addresses have the right formats (`ipv4Address` / `ipv6Address` are loose CIDRs of
 * their family, host bits allowed; tunnel addresses and `routeReflectorClusterID` are single
 * addresses); VXLAN and WireGuard addresses and MACs; the list entries of §7.3 (`addresses`,
 * `interfaces`; `orchRefs[].orchestrator` has no rule, as in Calico); and the WireGuard public keys in `status`. Empty strings mean unset.
 *
 * ## Example
 * ```ts
 * const { errors, report } = collectFieldErrors();
 * checkNode({ spec: { bgp: {} } }, report);
 * // errors: [{ path: 'spec.bgp', type: 'invalid', … }]
 * ```
 * @param node The node (already defaulted).
 * @param report Receives one call per failing field.
 */
export function checkNode(node: Node, report: ReportFn): void {
  const root = asRecord(node);
  const spec = asRecord(root?.spec);
  if (spec) {
    const bgp = asRecord(spec.bgp);
    if (bgp) checkBGP(bgp, report);
    checkFormats(spec, 'spec', SPEC_FORMATS, report);
    const wireguard = asRecord(spec.wireguard);
    if (wireguard) checkFormats(wireguard, 'spec.wireguard', WIREGUARD_FORMATS, report);
    if (Array.isArray(spec.addresses)) checkAddresses(spec.addresses, report);
    if (Array.isArray(spec.interfaces)) checkInterfaces(spec.interfaces, report);
  }
  const status = asRecord(root?.status);
  if (status) checkFormats(status, 'status', STATUS_FORMATS, report);
}
