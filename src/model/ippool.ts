/**
 * IPPool defaults and rules (model.md §6): canonical CIDR, block size by family, encapsulation
 * modes, allowed uses and the selectors, plus the checks that need the other pools or the stored
 * pool (overlap on create, immutable fields on update).
 *
 * Defaults run before validation, so the checks see defaulted values; they are also applied to
 * everything read from a datastore, since pools written by older Calico versions lack some
 * fields. The checks never throw: a field of the wrong type (which the JSON schema reports) is
 * skipped, and a CIDR that does not parse disables the checks that depend on it.
 *
 * @module
 */
import { SelectorParseError, type FieldError } from '../errors.js';
import { collectFieldErrors, type ReportFn } from './field-report.js';
import { LINK_LOCAL, networksOverlap, parseIPNetwork, type IPFamily, type IPNetwork } from './net.js';
import { parseSelector } from './selector/index.js';
import type { IPPool } from './types.generated.js';
import { asRecord } from './plain-object.js';

/** Allowed uses when `spec.allowedUses` is absent or empty, in Calico's order. */
export const DEFAULT_IPPOOL_ALLOWED_USES: readonly string[] = Object.freeze(['Workload', 'Tunnel']);

/** `nodeSelector` when absent or empty: every node. */
export const DEFAULT_IPPOOL_NODE_SELECTOR = 'all()';

/** Longest selector string accepted in `nodeSelector` / `namespaceSelector`. */
export const MAX_SELECTOR_LENGTH = 1024;

/** Default block size (prefix length of a per-node block) by address family: 26 / 122. */
export const DEFAULT_BLOCK_SIZE: Readonly<Record<IPFamily, number>> = Object.freeze({ 4: 26, 6: 122 });

/** Allowed block sizes by family, inclusive: IPv4 20–32, IPv6 116–128. */
export const BLOCK_SIZE_RANGE: Readonly<Record<IPFamily, readonly [number, number]>> = Object.freeze({
  4: Object.freeze([20, 32] as const),
  6: Object.freeze([116, 128] as const),
});

/** A parsed pool CIDR. */
export interface PoolCIDR {
  /** The network as written, host bits possibly set (check {@link IPNetwork.hostBitsZero}). */
  network: IPNetwork;
  /** Canonical text of the masked network: what the client stores. */
  text: string;
}

/** Result of {@link parsePoolCIDR}. */
export type PoolCIDRResult = { ok: true; value: PoolCIDR } | { ok: false; reason: string };

type Rec = Record<string, unknown>;

/**
 * Parses an IPPool CIDR: `address/prefix` with an explicit prefix. Host bits are allowed here
 * (the result says whether they are zero). As in Go, an IPv4-mapped IPv6 network with a prefix of
 * at least 96 (`::ffff:10.0.0.0/104`) is read as the IPv4 network it maps (`10.0.0.0/8`).
 *
 * ## Example
 * ```ts
 * parsePoolCIDR('FD00:0:0::/64'); // { ok: true, value: { text: 'fd00::/64', … } }
 * parsePoolCIDR('10.0.0.0');      // { ok: false, reason: '… prefix length …' }
 * ```
 * @param text The CIDR text.
 * @return The network and its canonical text, or why it does not parse.
 */
export function parsePoolCIDR(text: unknown): PoolCIDRResult {
  if (typeof text !== 'string' || text === '') return { ok: false, reason: 'IPPool CIDR must be specified' };
  let network = parseIPNetwork(text);
  if (!network) {
    return parseIPNetwork(text, { allowBareAddress: true })
      ? { ok: false, reason: 'IPPool CIDR must include a prefix length (address/length)' }
      : { ok: false, reason: 'IPPool CIDR must be a valid subnet' };
  }
  if (network.address.ipv4Mapped && network.prefixLength >= 96) {
    const mapped = parseIPNetwork(`${network.address.bytes.slice(12).join('.')}/${network.prefixLength - 96}`);
    if (mapped) network = mapped;
  }
  return { ok: true, value: { network, text: network.text } };
}

/**
 * True for an encapsulation mode that is enabled: `Always` or `CrossSubnet` (`Never`, the empty
 * string and absence mean disabled).
 *
 * @param mode The `ipipMode` or `vxlanMode` value.
 * @return Whether traffic is encapsulated in any case.
 */
export function isEncapsulationEnabled(mode: unknown): boolean {
  return mode === 'Always' || mode === 'CrossSubnet';
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function effectiveAllowedUses(spec: Rec): string[] {
  const uses = stringList(spec.allowedUses);
  return uses.length > 0 ? uses : [...DEFAULT_IPPOOL_ALLOWED_USES];
}

function effectiveBlockSize(spec: Rec, family: IPFamily): unknown {
  return isUnset(spec.blockSize) || spec.blockSize === 0 ? DEFAULT_BLOCK_SIZE[family] : spec.blockSize;
}

/**
 * Applies Calico's IPPool defaults, on write and on read (model.md §6.1, §6.3): the CIDR in
 * canonical text (only when it is strictly masked, so that host bits are still reported),
 * `blockSize` 26 / 122 by family when absent or 0, `ipipMode` / `vxlanMode` `Never` when absent
 * or empty, `nodeSelector` `all()` when absent or empty, `allowedUses` `[Workload, Tunnel]` when
 * absent or empty, `assignmentMode` `Automatic` when absent. Pure and idempotent.
 *
 * ## Example
 * ```ts
 * applyIPPoolDefaults({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool',
 *   metadata: { name: 'p' }, spec: { cidr: 'FD00:10:0::/48' } }).spec;
 * // { cidr: 'fd00:10::/48', blockSize: 122, ipipMode: 'Never', vxlanMode: 'Never',
 * //   nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: 'Automatic' }
 * ```
 * @param pool The pool; not modified.
 * @return A defaulted deep copy.
 */
export function applyIPPoolDefaults<T>(pool: T): T {
  const out = structuredClone(pool);
  const spec = asRecord(asRecord(out)?.spec);
  if (!spec) return out;
  const cidr = parsePoolCIDR(spec.cidr);
  if (cidr.ok && cidr.value.network.hostBitsZero) spec.cidr = cidr.value.text;
  if (cidr.ok && (isUnset(spec.blockSize) || spec.blockSize === 0)) spec.blockSize = DEFAULT_BLOCK_SIZE[cidr.value.network.family];
  if (isUnset(spec.ipipMode)) spec.ipipMode = 'Never';
  if (isUnset(spec.vxlanMode)) spec.vxlanMode = 'Never';
  if (isUnset(spec.nodeSelector)) spec.nodeSelector = DEFAULT_IPPOOL_NODE_SELECTOR;
  if (spec.allowedUses === undefined || spec.allowedUses === null || (Array.isArray(spec.allowedUses) && spec.allowedUses.length === 0)) {
    spec.allowedUses = [...DEFAULT_IPPOOL_ALLOWED_USES];
  }
  if (spec.assignmentMode === undefined || spec.assignmentMode === null) spec.assignmentMode = 'Automatic';
  return out;
}

/**
 * Checks one selector field of an IPPool: at most 1024 characters, no `global(` anywhere (a plain
 * substring test, as Calico does), and valid selector syntax. Reports at most one problem.
 */
function checkPoolSelector(value: unknown, path: string, report: ReportFn): void {
  if (typeof value !== 'string' || value === '') return;
  if (value.length > MAX_SELECTOR_LENGTH) {
    report(path, 'tooLong', `must be at most ${MAX_SELECTOR_LENGTH} characters`);
    return;
  }
  if (value.includes('global(')) {
    report(path, 'invalid', 'global() is not valid in an IPPool selector', value);
    return;
  }
  try {
    parseSelector(value);
  } catch (e) {
    const reason = e instanceof SelectorParseError ? `${e.reason} at position ${e.position}` : 'does not parse';
    report(path, 'invalid', `invalid selector: ${reason}`, value);
  }
}

function checkCIDR(spec: Rec, report: ReportFn): IPNetwork | undefined {
  if (typeof spec.cidr !== 'string' || spec.cidr === '') return undefined;
  const parsed = parsePoolCIDR(spec.cidr);
  if (!parsed.ok) {
    report('spec.cidr', 'invalid', parsed.reason, spec.cidr);
    return undefined;
  }
  const { network } = parsed.value;
  if (!network.hostBitsZero) {
    report('spec.cidr', 'invalid', `IPPool CIDR must be strictly masked (host bits zero), for example ${network.text}`, spec.cidr);
  }
  const linkLocal = LINK_LOCAL[network.family];
  if (networksOverlap(network, linkLocal)) {
    report('spec.cidr', 'invalid', `IPPool CIDR overlaps with the IPv${network.family} link-local range ${linkLocal.text}`, spec.cidr);
  }
  return network;
}

function checkBlockSize(spec: Rec, network: IPNetwork, report: ReportFn): void {
  const size = effectiveBlockSize(spec, network.family);
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 128) return;
  const [min, max] = BLOCK_SIZE_RANGE[network.family];
  if (size < min || size > max) {
    report('spec.blockSize', 'invalid', `blockSize must be between ${min} and ${max} for IPv${network.family} pools`, spec.blockSize);
  }
  if (spec.disabled !== true && network.prefixLength > size) {
    report('spec.cidr', 'invalid', `IP pool size is too small for use with Calico IPAM: the prefix length must be at most the block size (${size})`, spec.cidr);
  }
}

function checkAllowedUses(spec: Rec, report: ReportFn): void {
  const uses = effectiveAllowedUses(spec);
  if (uses.includes('LoadBalancer')) {
    if (uses.includes('Workload') || uses.includes('Tunnel')) {
      report('spec.allowedUses', 'forbidden', 'LoadBalancer cannot be combined with Workload or Tunnel allowed uses', spec.allowedUses);
    }
    if (isEncapsulationEnabled(spec.ipipMode)) report('spec.ipipMode', 'forbidden', 'a LoadBalancer IP pool cannot have IPIP enabled', spec.ipipMode);
    if (isEncapsulationEnabled(spec.vxlanMode)) report('spec.vxlanMode', 'forbidden', 'a LoadBalancer IP pool cannot have VXLAN enabled', spec.vxlanMode);
    if (spec.disableBGPExport === true) report('spec.disableBGPExport', 'forbidden', 'a LoadBalancer IP pool cannot disable BGP export', true);
    const nodeSelector = isUnset(spec.nodeSelector) ? DEFAULT_IPPOOL_NODE_SELECTOR : spec.nodeSelector;
    if (nodeSelector !== DEFAULT_IPPOOL_NODE_SELECTOR) {
      report('spec.nodeSelector', 'invalid', 'an IP pool with allowed use LoadBalancer must have nodeSelector set to all()', nodeSelector);
    }
  }
  if (uses.includes('Tunnel') && typeof spec.namespaceSelector === 'string' && spec.namespaceSelector !== '') {
    report(
      'spec.namespaceSelector',
      'forbidden',
      'an IP pool with allowed use Tunnel cannot have a namespaceSelector (set allowedUses without Tunnel, for example [Workload])',
      spec.namespaceSelector,
    );
  }
}

/**
 * Checks the semantic ([V]) rules of an IPPool (model.md §6.2) on a defaulted pool: the CIDR parses
 * with an explicit prefix, is strictly masked and does not overlap the link-local range; the block
 * size fits the family and the pool holds a block (unless disabled); IPIP and VXLAN are not both
 * enabled and IPIP is not used on IPv6; LoadBalancer pools stand alone, without encapsulation,
 * without `disableBGPExport`, with `nodeSelector: all()`; no `namespaceSelector` with `Tunnel`;
 * selectors parse, have no `global(` and are at most 1024 characters. Schema rules (types, enums,
 * required, list sizes) are left to the schema.
 *
 * ## Example
 * ```ts
 * const { errors, report } = collectFieldErrors();
 * checkIPPool(applyIPPoolDefaults(pool), report);
 * ```
 * @param pool The pool (already defaulted).
 * @param report Receives one call per failing field.
 */
export function checkIPPool(pool: IPPool, report: ReportFn): void {
  const spec = specOf(pool);
  if (!spec) return;
  const network = checkCIDR(spec, report);
  if (network) {
    checkBlockSize(spec, network, report);
    if (network.family === 6 && isEncapsulationEnabled(spec.ipipMode)) {
      report('spec.ipipMode', 'forbidden', 'IPIP is not supported on IPv6 pools', spec.ipipMode);
    }
  }
  if (isEncapsulationEnabled(spec.ipipMode) && isEncapsulationEnabled(spec.vxlanMode)) {
    report('spec.vxlanMode', 'forbidden', 'ipipMode and vxlanMode cannot both be enabled', spec.vxlanMode);
  }
  checkAllowedUses(spec, report);
  checkPoolSelector(spec.nodeSelector, 'spec.nodeSelector', report);
  checkPoolSelector(spec.namespaceSelector, 'spec.namespaceSelector', report);
}

function nameOf(pool: IPPool): string {
  const name = asRecord(asRecord(pool)?.metadata)?.name;
  return typeof name === 'string' ? name : '';
}

/** A pool's network for comparisons: parsed leniently (host bits allowed), or `undefined`. */
function specNetwork(spec: Rec | undefined): IPNetwork | undefined {
  const parsed = parsePoolCIDR(spec?.cidr);
  return parsed.ok ? parsed.value.network : undefined;
}

function specOf(pool: unknown): Rec | undefined {
  return asRecord(asRecord(pool)?.spec);
}

/**
 * The create-time check that reads the other pools (model.md §6.2, [D]): the new pool's CIDR must
 * not overlap (contain, or lie inside) the CIDR of any existing pool. A pool with the same name is
 * skipped (the create then fails with *already exists*); pools whose CIDR does not parse are
 * skipped. Messages name the other pool, never its stored CIDR.
 *
 * ## Example
 * ```ts
 * checkIPPoolAgainstExisting(newPool, existingPools);
 * // [{ path: 'spec.cidr', type: 'invalid', message: 'IPPool CIDR overlaps with the CIDR of IPPool(pool-a)', … }]
 * ```
 * @param pool The pool being created (defaulted).
 * @param existing Every stored pool.
 * @return One error per overlapping pool; empty when none (or when the new CIDR does not parse).
 */
export function checkIPPoolAgainstExisting(pool: IPPool, existing: readonly IPPool[]): FieldError[] {
  const { errors, report } = collectFieldErrors();
  const mine = specNetwork(specOf(pool));
  if (!mine) return errors;
  const name = nameOf(pool);
  for (const other of existing) {
    const otherName = nameOf(other);
    if (otherName === name) continue;
    const theirs = specNetwork(specOf(other));
    if (theirs && networksOverlap(mine, theirs)) {
      report('spec.cidr', 'invalid', `IPPool CIDR overlaps with the CIDR of IPPool(${otherName})`, specOf(pool)?.cidr);
    }
  }
  return errors;
}

function sameNetwork(a: IPNetwork, b: IPNetwork): boolean {
  return a.family === b.family && a.prefixLength === b.prefixLength && a.text === b.text;
}

/**
 * The update-time checks against the stored pool (model.md §6.2, [D]): the CIDR must denote the
 * same network (another spelling is fine: it is stored canonically), the block size cannot change,
 * and a pool that allows `LoadBalancer` may only keep `LoadBalancer`. Both pools are compared with
 * their defaults applied, so a stored pool that predates a default compares equal to its defaulted
 * update.
 *
 * ## Example
 * ```ts
 * checkIPPoolUpdate(next, stored);
 * // [{ path: 'spec.blockSize', type: 'immutable', message: 'IPPool blockSize cannot be changed; …' }]
 * ```
 * @param next The updated pool (defaulted).
 * @param stored The pool as stored.
 * @return The errors; empty when the update is allowed.
 */
export function checkIPPoolUpdate(next: IPPool, stored: IPPool): FieldError[] {
  const { errors, report } = collectFieldErrors();
  const nextSpec = specOf(applyIPPoolDefaults(next)) ?? {};
  const storedSpec = specOf(applyIPPoolDefaults(stored)) ?? {};
  const nextNet = specNetwork(nextSpec);
  const storedNet = specNetwork(storedSpec);
  if (nextNet !== undefined) {
    const unchanged = storedNet ? sameNetwork(nextNet, storedNet) : nextSpec.cidr === storedSpec.cidr;
    if (!unchanged) {
      report('spec.cidr', 'immutable', 'IPPool CIDR cannot be changed to a different network; follow the IP pool migration guide', nextSpec.cidr);
    }
  }
  if (nextSpec.blockSize !== storedSpec.blockSize) {
    report('spec.blockSize', 'immutable', 'IPPool blockSize cannot be changed; follow the IP pool migration guide', nextSpec.blockSize);
  }
  if (stringList(storedSpec.allowedUses).includes('LoadBalancer') && effectiveAllowedUses(nextSpec).some((u) => u !== 'LoadBalancer')) {
    report('spec.allowedUses', 'forbidden', 'IPPool allowed use cannot be changed from LoadBalancer to Workload or Tunnel', nextSpec.allowedUses);
  }
  return errors;
}
