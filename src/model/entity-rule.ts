/**
 * The rules of one `source` / `destination` entity rule that need no knowledge of the rest of the
 * rule (model.md §9.5 rules 6–7, §9.6): network entries, port entries, selector fields, the
 * service-account selector and the exclusivity of `services`.
 *
 * Cross-field rules that involve the enclosing rule (protocol and ports, address families,
 * services and ports, the direction a `services` match may appear in) are in `rule.ts` and
 * `policy-spec.ts`.
 *
 * @module
 */
import { childPath, type ReportFn } from './field-report.js';
import { parseIPNetwork, type IPFamily, type IPNetwork } from './net.js';
import { parsePort, type Port } from './numorstring.js';
import { checkSelectorField } from './policy-selectors.js';

type Rec = Record<string, unknown>;

/** A plain object, or `undefined` for anything else. */
export function asRecord(value: unknown): Rec | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : undefined;
}

/** The network list fields of an entity rule. */
export const ENTITY_NET_FIELDS = ['nets', 'notNets'] as const;

/** The port list fields of an entity rule. */
export const ENTITY_PORT_FIELDS = ['ports', 'notPorts'] as const;

/** The fields that cannot be combined with `services` in one entity rule. */
export const SERVICES_EXCLUSIVE_FIELDS = ['selector', 'notSelector', 'namespaceSelector', 'nets', 'notNets', 'serviceAccounts'] as const;

/** A list field's entries, or an empty list when the field is not an array. */
export function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Reports every entry of a list that repeats an earlier one, at the entry's index, with the index
 * it repeats (`spec.types[1]`: duplicates item 0). Entries are compared by value for strings,
 * numbers and booleans, by identity otherwise.
 *
 * @param value The list field's value (anything else is ignored).
 * @param path Path of the list.
 * @param report Receives one `duplicate` per repeated entry.
 */
export function reportDuplicates(value: unknown, path: string, report: ReportFn): void {
  const first = new Map<unknown, number>();
  listOf(value).forEach((entry, i) => {
    const earlier = first.get(entry);
    if (earlier === undefined) first.set(entry, i);
    else report(childPath(path, i), 'duplicate', `duplicates item ${earlier}`);
  });
}

function shortValue(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return typeof value === 'string' && value.length <= 128 ? value : undefined;
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

/**
 * Parses a rule network entry as Calico's rule check does: `address/prefix`, an explicit prefix
 * required. Host bits are allowed here (the result says whether they are zero).
 *
 * @param value The entry.
 * @return The network, or `undefined` when it does not parse as `address/prefix`.
 */
export function parseRuleNet(value: unknown): IPNetwork | undefined {
  return typeof value === 'string' ? parseIPNetwork(value) : undefined;
}

function checkNetEntry(value: unknown, path: string, negated: boolean, report: ReportFn): void {
  if (typeof value !== 'string') return;
  const network = parseRuleNet(value);
  if (!network) {
    const bare = parseIPNetwork(value, { allowBareAddress: true });
    report(path, 'invalid', bare ? 'must be a CIDR with an explicit prefix length (address/length)' : 'must be a valid CIDR', shortValue(value));
    return;
  }
  if (!network.hostBitsZero) {
    report(path, 'invalid', `must be strictly masked (host bits zero), for example ${network.text}`, shortValue(value));
    return;
  }
  if (negated && network.prefixLength === 0) {
    report(path, 'invalid', 'a catch-all network in notNets matches no traffic', shortValue(value));
  }
}

/** Parses every entry of a port list and reports the invalid ones at their index. */
function checkPortEntries(ports: unknown, path: string, report: ReportFn): void {
  listOf(ports).forEach((entry, i) => {
    if (typeof entry !== 'number' && typeof entry !== 'string') return;
    const parsed = parsePort(entry);
    if (!parsed.ok) report(childPath(path, i), 'invalid', parsed.reason, shortValue(entry));
  });
}

/**
 * The ports of a list that parse, in order; entries that do not parse are skipped (they are
 * reported by {@link checkEntityRule}).
 *
 * @param ports The list field's value.
 * @return The parsed ports.
 */
export function parsedPorts(ports: unknown): Port[] {
  const out: Port[] = [];
  for (const entry of listOf(ports)) {
    const parsed = parsePort(entry);
    if (parsed.ok) out.push(parsed.value);
  }
  return out;
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return true;
}

function checkServices(entity: Rec, path: string, report: ReportFn): void {
  const services = asRecord(entity.services);
  if (!services) return;
  const servicesPath = childPath(path, 'services');
  if (services.name === undefined || services.name === null || services.name === '') {
    report(childPath(servicesPath, 'name'), 'required', 'a services match must name the Service');
  }
  for (const field of SERVICES_EXCLUSIVE_FIELDS) {
    if (isSet(entity[field])) report(childPath(path, field), 'forbidden', `cannot be combined with services in the same entity rule`);
  }
}

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
 */
export function checkEntityRule(entity: unknown, path: string, report: ReportFn): void {
  const e = asRecord(entity);
  if (!e) return;
  for (const field of ENTITY_NET_FIELDS) {
    const fieldPath = childPath(path, field);
    listOf(e[field]).forEach((entry, i) => checkNetEntry(entry, childPath(fieldPath, i), field === 'notNets', report));
  }
  for (const field of ENTITY_PORT_FIELDS) checkPortEntries(e[field], childPath(path, field), report);
  checkSelectorField(e.selector, childPath(path, 'selector'), { global: 'forbidden' }, report);
  checkSelectorField(e.notSelector, childPath(path, 'notSelector'), { global: 'allowed' }, report);
  checkSelectorField(e.namespaceSelector, childPath(path, 'namespaceSelector'), { global: 'sole' }, report);
  const serviceAccounts = asRecord(e.serviceAccounts);
  if (serviceAccounts) {
    checkSelectorField(serviceAccounts.selector, childPath(childPath(path, 'serviceAccounts'), 'selector'), { global: 'allowed', capped: false }, report);
  }
  checkServices(e, path, report);
}
