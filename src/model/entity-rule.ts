/**
 * The rules of one `source` / `destination` entity rule that need no knowledge of the rest of the
 * rule (model.md §9.5 rules 6–7, §9.6): network entries, port entries, selector fields, the
 * service-account selector and the exclusivity of `services`.
 *
 * The check also returns what the enclosing rule's cross-field rules need (address families,
 * numeric ports), so that each entry is parsed once. Those rules (protocol and ports, address
 * families, services and ports) are in `rule.ts`; where a `services` match may appear is in
 * `policy-spec.ts`.
 *
 * @module
 */
import { childPath, type ReportFn } from './field-report.js';
import { parseIPNetwork, type IPFamily, type IPNetwork } from './net.js';
import { parsePort } from './numorstring.js';
import { checkSelectorField } from './policy-selectors.js';
import { asRecord, listOf, shortValue } from './policy-values.js';

/** The network list fields of an entity rule. */
export const ENTITY_NET_FIELDS = ['nets', 'notNets'] as const;

/** The port list fields of an entity rule. */
export const ENTITY_PORT_FIELDS = ['ports', 'notPorts'] as const;

/** The fields that cannot be combined with `services` in one entity rule. */
export const SERVICES_EXCLUSIVE_FIELDS = ['selector', 'notSelector', 'namespaceSelector', 'nets', 'notNets', 'serviceAccounts'] as const;

/** A network list field of an entity rule. */
export type EntityNetField = (typeof ENTITY_NET_FIELDS)[number];

/** A port list field of an entity rule. */
export type EntityPortField = (typeof ENTITY_PORT_FIELDS)[number];

/** Family bits in {@link EntityRuleFacts}: IPv4. */
export const FAMILY_V4 = 1;
/** Family bits in {@link EntityRuleFacts}: IPv6. */
export const FAMILY_V6 = 2;

/**
 * What {@link checkEntityRule} learnt about one entity rule, for the rule-level checks (one flat
 * object, as it is made for every entity rule checked).
 */
export interface EntityRuleFacts {
  /** Families in `nets`: {@link FAMILY_V4} and/or {@link FAMILY_V6} bits of the entries that parse as `address/prefix`. */
  readonly nets: number;
  /** Families in `notNets`, as for `nets`. */
  readonly notNets: number;
  /** Number of `ports` entries, valid or not. */
  readonly ports: number;
  /** Number of `notPorts` entries, valid or not. */
  readonly notPorts: number;
  /** Whether `ports` lists a port number or range (that parses). */
  readonly numericPorts: boolean;
  /** Whether `notPorts` lists a port number or range. */
  readonly numericNotPorts: boolean;
  /** Whether `services` is an object. */
  readonly hasServices: boolean;
}

/**
 * The address family Calico gives a rule network: an IPv4-mapped IPv6 network counts as IPv4
 * (Go's `To4()`), anything else its own family.
 *
 * @param network A parsed network.
 * @return 4 or 6.
 */
export function ruleNetFamily(network: IPNetwork): IPFamily {
  return network.address.ipv4Mapped ? 4 : network.family;
}

/** What a rule network entry is, as far as the rules are concerned. */
interface RuleNetInfo {
  /** The family when the entry parses as `address/prefix` (see {@link ruleNetFamily}). */
  readonly family: IPFamily | undefined;
  /** Why the entry is rejected in `nets`, if it is. */
  readonly problem: string | undefined;
  /** True for a prefix length of 0 (a catch-all, rejected in `notNets`). */
  readonly catchAll: boolean;
}

/** Parsed rule networks by text: policies repeat the same few networks, and parsing is the costly part. */
const NET_CACHE = new Map<string, RuleNetInfo>();
const NET_CACHE_SIZE = 4096;

function ruleNetInfo(text: string): RuleNetInfo {
  const hit = NET_CACHE.get(text);
  if (hit !== undefined) return hit;
  const network = parseIPNetwork(text);
  let info: RuleNetInfo;
  if (!network) {
    const bare = parseIPNetwork(text, { allowBareAddress: true });
    info = { family: undefined, catchAll: false, problem: bare ? 'must be a CIDR with an explicit prefix length (address/length)' : 'must be a valid CIDR' };
  } else {
    const problem = network.hostBitsZero ? undefined : `must be strictly masked (host bits zero), for example ${network.text}`;
    info = { family: ruleNetFamily(network), catchAll: network.prefixLength === 0, problem };
  }
  if (text.length <= 64) {
    if (NET_CACHE.size >= NET_CACHE_SIZE) NET_CACHE.clear();
    NET_CACHE.set(text, info);
  }
  return info;
}

/** Checks one `nets` / `notNets` entry; returns its family when it parses as `address/prefix`. */
function checkNetEntry(value: unknown, field: EntityNetField, index: number, path: string, report: ReportFn): IPFamily | undefined {
  if (typeof value !== 'string') return undefined;
  const info = ruleNetInfo(value);
  if (info.problem !== undefined) report(childPath(childPath(path, field), index), 'invalid', info.problem, shortValue(value));
  else if (field === 'notNets' && info.catchAll) report(childPath(childPath(path, field), index), 'invalid', 'a catch-all network in notNets matches no traffic', shortValue(value));
  return info.family;
}

function checkNets(e: Record<string, unknown>, field: EntityNetField, path: string, report: ReportFn): number {
  let bits = 0;
  const list = listOf(e[field]);
  for (let i = 0; i < list.length; i++) {
    const family = checkNetEntry(list[i], field, i, path, report);
    if (family === 4) bits |= FAMILY_V4;
    else if (family === 6) bits |= FAMILY_V6;
  }
  return bits;
}

/** Parses every entry of a port list, reports the invalid ones at their index, and says whether a number or range is listed. */
function checkPorts(e: Record<string, unknown>, field: EntityPortField, path: string, report: ReportFn): boolean {
  let numeric = false;
  const list = listOf(e[field]);
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (typeof entry !== 'number' && typeof entry !== 'string') continue;
    const parsed = parsePort(entry);
    if (!parsed.ok) report(childPath(childPath(path, field), i), 'invalid', parsed.reason, shortValue(entry));
    else if (parsed.value.kind !== 'named') numeric = true;
  }
  return numeric;
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return true;
}

function checkServices(e: Record<string, unknown>, path: string, report: ReportFn): boolean {
  const services = asRecord(e.services);
  if (!services) return false;
  if (services.name === undefined || services.name === null || services.name === '') {
    report(childPath(childPath(path, 'services'), 'name'), 'required', 'a services match must name the Service');
  }
  for (const field of SERVICES_EXCLUSIVE_FIELDS) {
    if (isSet(e[field])) report(childPath(path, field), 'forbidden', 'cannot be combined with services in the same entity rule');
  }
  return true;
}

const NO_FACTS: EntityRuleFacts = Object.freeze({ nets: 0, notNets: 0, ports: 0, notPorts: 0, numericPorts: false, numericNotPorts: false, hasServices: false });

/**
 * Checks one entity rule (`source` or `destination`) on its own: `nets` / `notNets` entries are
 * strictly masked CIDRs with an explicit prefix and `notNets` holds no catch-all (reported per
 * entry, `...nets[1]`); port entries parse (per entry); `selector` (≤ 1024, no `global(`),
 * `notSelector` (≤ 1024), `namespaceSelector` (≤ 1024, `global()` only as the whole expression)
 * and `serviceAccounts.selector` (no cap) are valid selectors; `services` names a Service and is
 * not combined with `selector`, `notSelector`, `namespaceSelector`, `nets`, `notNets` or
 * `serviceAccounts` (each conflicting field is reported, type `forbidden`). Never throws; values
 * of the wrong type are left to the schema.
 *
 * ## Example
 * ```ts
 * checkEntityRule({ nets: ['10.0.0.1/8'], services: { name: 'api' } }, 'spec.egress[0].destination', report);
 * // spec.egress[0].destination.nets[0] (invalid: host bits), spec.egress[0].destination.nets (forbidden: with services)
 * ```
 * @param entity The entity rule.
 * @param path Its path, e.g. `spec.ingress[0].source`.
 * @param report Receives one call per failing field.
 * @return The families and ports found, for the rule-level checks.
 */
export function checkEntityRule(entity: unknown, path: string, report: ReportFn): EntityRuleFacts {
  const e = asRecord(entity);
  if (!e) return NO_FACTS;
  const nets = checkNets(e, 'nets', path, report);
  const notNets = checkNets(e, 'notNets', path, report);
  const numericPorts = checkPorts(e, 'ports', path, report);
  const numericNotPorts = checkPorts(e, 'notPorts', path, report);
  if (e.selector !== undefined) checkSelectorField(e.selector, childPath(path, 'selector'), { global: 'forbidden' }, report);
  if (e.notSelector !== undefined) checkSelectorField(e.notSelector, childPath(path, 'notSelector'), { global: 'allowed' }, report);
  if (e.namespaceSelector !== undefined) checkSelectorField(e.namespaceSelector, childPath(path, 'namespaceSelector'), { global: 'sole' }, report);
  const serviceAccounts = asRecord(e.serviceAccounts);
  if (serviceAccounts && serviceAccounts.selector !== undefined) {
    checkSelectorField(serviceAccounts.selector, childPath(childPath(path, 'serviceAccounts'), 'selector'), { global: 'allowed', capped: false }, report);
  }
  const hasServices = e.services !== undefined && checkServices(e, path, report);
  return { nets, notNets, ports: listOf(e.ports).length, notPorts: listOf(e.notPorts).length, numericPorts, numericNotPorts, hasServices };
}
