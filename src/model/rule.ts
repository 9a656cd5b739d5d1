/**
 * Policy rules (model.md §9.5, §9.7): the cross-field rules of one Rule, its ICMP and HTTP
 * matches, its annotations, and the normalised JSON form of its protocols and ports.
 *
 * The rules that depend on where a rule sits (ingress or egress, NetworkPolicy or
 * GlobalNetworkPolicy) are applied by `policy-spec.ts`.
 *
 * @module
 */
import { checkEntityRule, ENTITY_PORT_FIELDS, FAMILY_V4, FAMILY_V6, type EntityRuleFacts } from './entity-rule.js';
import { childPath, type ReportFn } from './field-report.js';
import { checkAnnotations } from './metadata.js';
import { formatPort, parsePort, parseProtocol, protocolNumber, protocolSupportsPorts, type ProtocolName } from './numorstring.js';
import { asRecord, listOf, reportDuplicates, shortValue } from './policy-values.js';

type Rec = Record<string, unknown>;

/** The rule actions, case-sensitive. */
export const RULE_ACTIONS: readonly string[] = Object.freeze(['Allow', 'Deny', 'Log', 'Pass']);

/** The entity rules of a rule, in the order Calico scans them. */
export const RULE_ENTITIES = ['source', 'destination'] as const;

/** Longest HTTP path value. */
export const MAX_HTTP_PATH_LENGTH = 1024;

const ICMP_V4 = 1;
const ICMP_V6 = 58;
const TCP = 6;

type Entities = Record<(typeof RULE_ENTITIES)[number], EntityRuleFacts>;

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** A parsed protocol field: `undefined` when absent, `null` when present but invalid. */
type ParsedProtocol = number | ProtocolName | undefined | null;

function parseProtocolField(rule: Rec, field: 'protocol' | 'notProtocol', path: string, report: ReportFn): ParsedProtocol {
  const value = rule[field];
  if (isAbsent(value)) return undefined;
  const parsed = parseProtocol(value);
  if (parsed.ok) return parsed.value;
  report(childPath(path, field), 'invalid', parsed.reason, shortValue(value));
  return null;
}

/** Rule 4: an ICMP protocol with `ipVersion` set must match that version. */
function checkProtocolVersion(rule: Rec, protocol: ParsedProtocol, field: 'protocol' | 'notProtocol', path: string, report: ReportFn): void {
  const version = rule.ipVersion;
  if (protocol === undefined || protocol === null || (version !== 4 && version !== 6)) return;
  const n = protocolNumber(protocol);
  if (n === ICMP_V4 && version !== 4) report(childPath(path, field), 'invalid', 'protocol ICMP requires ipVersion 4', shortValue(rule[field]));
  if (n === ICMP_V6 && version !== 6) report(childPath(path, field), 'invalid', 'protocol ICMPv6 requires ipVersion 6', shortValue(rule[field]));
}

/** Rules 1 and 2: ports need a protocol that supports them; numeric ports need a protocol at all. */
function checkPortsAgainstProtocol(protocol: ParsedProtocol, entities: Entities, path: string, report: ReportFn): void {
  if (protocol === null) return;
  const portless = protocol !== undefined && !protocolSupportsPorts(protocol);
  for (const entity of RULE_ENTITIES) {
    const facts = entities[entity];
    if (facts.ports === 0 && facts.notPorts === 0) continue;
    for (const field of ENTITY_PORT_FIELDS) {
      if (protocol === undefined && (field === 'ports' ? facts.numericPorts : facts.numericNotPorts)) {
        report(
          childPath(childPath(path, entity), field),
          'invalid',
          'port numbers and ranges need protocol TCP, UDP or SCTP (only named ports can be used without a protocol)',
        );
      } else if (portless && facts[field] > 0) {
        report(childPath(childPath(path, entity), field), 'invalid', `protocol ${String(protocol)} does not support ports (only TCP, UDP and SCTP do)`);
      }
    }
  }
}

/** Rule 5: every network of the rule is of one family, and of `ipVersion` when set (reported on the field that breaks it). */
function checkNetFamilies(rule: Rec, entities: Entities, path: string, report: ReportFn): void {
  const { source, destination } = entities;
  if ((source.nets | source.notNets | destination.nets | destination.notNets) === 0) return;
  const fields = [
    ['source', 'nets', source.nets],
    ['source', 'notNets', source.notNets],
    ['destination', 'nets', destination.nets],
    ['destination', 'notNets', destination.notNets],
  ] as const;
  const version = rule.ipVersion === 4 ? FAMILY_V4 : rule.ipVersion === 6 ? FAMILY_V6 : 0;
  let seen = 0;
  for (const [entity, field, bits] of fields) {
    if (bits === 0) continue;
    if (version !== 0 && (bits & ~version) !== 0) {
      report(childPath(childPath(path, entity), field), 'invalid', `networks must be IPv${version === FAMILY_V4 ? 4 : 6} to match the rule's ipVersion`);
    }
    // Mixed within the field, or a family other than one seen in an earlier field.
    if (bits === (FAMILY_V4 | FAMILY_V6) || (seen !== 0 && (seen | bits) === (FAMILY_V4 | FAMILY_V6))) {
      report(childPath(childPath(path, entity), field), 'invalid', 'a rule cannot mix IPv4 and IPv6 networks');
    }
    seen |= bits;
  }
}

function checkICMPFields(value: unknown, path: string, report: ReportFn): void {
  const icmp = asRecord(value);
  if (!icmp) return;
  const { type, code } = icmp;
  if (typeof type === 'number' && (!Number.isInteger(type) || type < 0 || type > 254)) {
    report(childPath(path, 'type'), 'invalid', 'ICMP type must be an integer from 0 to 254', type);
  }
  if (typeof code === 'number' && (!Number.isInteger(code) || code < 0 || code > 255)) {
    report(childPath(path, 'code'), 'invalid', 'ICMP code must be an integer from 0 to 255', code);
  }
  if (!isAbsent(code) && isAbsent(type)) report(path, 'invalid', 'an ICMP code needs an ICMP type');
}

/** Rule 3: `icmp` needs protocol ICMP or ICMPv6. */
function checkICMPProtocol(rule: Rec, protocol: ParsedProtocol, path: string, report: ReportFn): void {
  if (!asRecord(rule.icmp) || protocol === null) return;
  const n = protocol === undefined ? undefined : protocolNumber(protocol);
  if (n !== ICMP_V4 && n !== ICMP_V6) report(childPath(path, 'icmp'), 'invalid', 'ICMP fields require protocol ICMP or ICMPv6');
}

function checkHTTPPath(entry: unknown, path: string, report: ReportFn): void {
  const p = asRecord(entry);
  if (!p) return;
  const exact = typeof p.exact === 'string' && p.exact !== '' ? p.exact : undefined;
  const prefix = typeof p.prefix === 'string' && p.prefix !== '' ? p.prefix : undefined;
  if (exact !== undefined && prefix !== undefined) {
    report(path, 'invalid', 'exactly one of exact or prefix must be set, not both');
    return;
  }
  if (exact === undefined && prefix === undefined) {
    // An empty string counts as unset (as in Calico) but is reported on its field; other types are the schema's.
    if (p.exact === '' || p.prefix === '') report(childPath(path, p.exact === '' ? 'exact' : 'prefix'), 'invalid', 'must start with / and contain no ?, # or space');
    else if (isAbsent(p.exact) && isAbsent(p.prefix)) report(path, 'invalid', 'exactly one of exact or prefix must be set');
    return;
  }
  const field = exact !== undefined ? 'exact' : 'prefix';
  const value = (exact ?? prefix) as string;
  if (value.length > MAX_HTTP_PATH_LENGTH) {
    report(childPath(path, field), 'tooLong', `must be at most ${MAX_HTTP_PATH_LENGTH} characters`);
  } else if (!value.startsWith('/') || /[?# ]/.test(value)) {
    report(childPath(path, field), 'invalid', 'must start with / and contain no ?, # or space', shortValue(value));
  }
}

/**
 * Checks an HTTP match on its own (model.md §9.7): no duplicate methods; each path has exactly one
 * of `exact` / `prefix`, starting with `/`, without `?`, `#` or a space, at most 1024 characters.
 * Where `http` may appear (Allow rules, TCP, not egress) is checked by {@link checkRule} and the
 * policy check.
 *
 * @param value The `http` field.
 * @param path Its path, e.g. `spec.ingress[0].http`.
 * @param report Receives one call per failing field.
 */
export function checkHTTPMatch(value: unknown, path: string, report: ReportFn): void {
  const http = asRecord(value);
  if (!http) return;
  reportDuplicates(http.methods, childPath(path, 'methods'), report);
  listOf(http.paths).forEach((entry, i) => checkHTTPPath(entry, childPath(childPath(path, 'paths'), i), report));
}

/** Rule 8: `http` only on Allow rules with protocol TCP or none. */
function checkHTTPPlacement(rule: Rec, protocol: ParsedProtocol, path: string, report: ReportFn): void {
  if (!asRecord(rule.http)) return;
  if (typeof rule.action === 'string' && rule.action !== 'Allow') report(childPath(path, 'http'), 'forbidden', 'HTTP match is only valid on Allow rules');
  if (protocol !== undefined && protocol !== null && protocolNumber(protocol) !== TCP) {
    report(childPath(path, 'http'), 'invalid', 'rules with an HTTP match must have protocol TCP or none');
  }
}

/** Rule 9: `destination.services` uses the service's ports, so no ports in the destination. */
function checkServicePorts(destination: EntityRuleFacts, path: string, report: ReportFn): void {
  if (!destination.hasServices) return;
  for (const field of ENTITY_PORT_FIELDS) {
    if (destination[field] > 0) {
      report(childPath(childPath(path, 'destination'), field), 'forbidden', 'cannot be combined with destination.services (the Service defines the ports)');
    }
  }
}

/**
 * Checks one policy rule (model.md §9.5–§9.7) and reports every failing field under `path`:
 * `action` present and one of Allow, Deny, Log, Pass; valid `protocol` / `notProtocol`; ICMP
 * ranges; both entity rules; HTTP match; the rule's annotations; and the cross-field rules 1–9:
 * numeric ports need a protocol, port-less protocols take no ports, `icmp` needs an ICMP
 * protocol, ICMP / ICMPv6 match `ipVersion`, one address family across all nets (and that of
 * `ipVersion`), strictly masked nets with a prefix, no catch-all `notNets`, `http` only on Allow
 * with TCP or no protocol, no destination ports with `destination.services`. Never throws.
 *
 * ## Example
 * ```ts
 * checkRule({ action: 'Allow', destination: { ports: [80] } }, 'spec.ingress[0]', report);
 * // spec.ingress[0].destination.ports: port numbers and ranges need protocol TCP, UDP or SCTP …
 * ```
 * @param rule The rule.
 * @param path Its path, e.g. `spec.ingress[0]`.
 * @param report Receives one call per failing field.
 */
export function checkRule(rule: unknown, path: string, report: ReportFn): void {
  const r = asRecord(rule);
  if (!r) return;
  if (isAbsent(r.action) || r.action === '') report(childPath(path, 'action'), 'required', 'is required (Allow, Deny, Log or Pass)');
  else if (typeof r.action === 'string' && !RULE_ACTIONS.includes(r.action)) {
    report(childPath(path, 'action'), 'notSupported', 'must be one of Allow, Deny, Log, Pass (case-sensitive)', shortValue(r.action));
  }
  const protocol = parseProtocolField(r, 'protocol', path, report);
  const notProtocol = parseProtocolField(r, 'notProtocol', path, report);
  if (r.icmp !== undefined) checkICMPFields(r.icmp, childPath(path, 'icmp'), report);
  if (r.notICMP !== undefined) checkICMPFields(r.notICMP, childPath(path, 'notICMP'), report);
  const entities: Entities = {
    source: checkEntityRule(r.source, childPath(path, 'source'), report),
    destination: checkEntityRule(r.destination, childPath(path, 'destination'), report),
  };
  if (r.http !== undefined) checkHTTPMatch(r.http, childPath(path, 'http'), report);
  const metadata = asRecord(r.metadata);
  if (metadata) checkAnnotations(metadata.annotations, childPath(childPath(path, 'metadata'), 'annotations'), report);

  checkPortsAgainstProtocol(protocol, entities, path, report);
  checkICMPProtocol(r, protocol, path, report);
  checkProtocolVersion(r, protocol, 'protocol', path, report);
  checkProtocolVersion(r, notProtocol, 'notProtocol', path, report);
  checkNetFamilies(r, entities, path, report);
  checkHTTPPlacement(r, protocol, path, report);
  checkServicePorts(entities.destination, path, report);
}

function normalisePorts(entity: unknown): void {
  const e = asRecord(entity);
  if (!e) return;
  for (const field of ENTITY_PORT_FIELDS) {
    const ports = e[field];
    if (!Array.isArray(ports)) continue;
    e[field] = ports.map((p: unknown) => {
      const parsed = parsePort(p);
      return parsed.ok ? formatPort(parsed.value) : p;
    });
  }
}

/**
 * Rewrites a rule's protocols and ports in place to the JSON form Calico stores (model.md §5.3,
 * §5.4): a decimal protocol string becomes a number (`"6"` → `6`), a single-port range a number
 * (`"80:80"` → `80`), a digit string a number (`"443"` → `443`). Values that do not parse are
 * left for validation to report. Idempotent.
 *
 * @param rule The rule (a copy owned by the caller); anything other than an object is ignored.
 */
export function normaliseRule(rule: unknown): void {
  const r = asRecord(rule);
  if (!r) return;
  for (const field of ['protocol', 'notProtocol'] as const) {
    if (isAbsent(r[field])) continue;
    const parsed = parseProtocol(r[field]);
    if (parsed.ok) r[field] = parsed.value;
  }
  for (const entity of RULE_ENTITIES) normalisePorts(r[entity]);
}
