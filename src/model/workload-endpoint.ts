/**
 * WorkloadEndpoint defaults and rules (model.md §8): the name computed from the spec, the labels
 * Calico owns, identifier formats, the interface name, the endpoint's addresses (single
 * addresses only), 1:1 NATs inside those addresses, gateways, named ports and QoS DSCP.
 *
 * The checks never throw: a field of the wrong type (which the JSON schema reports) is skipped.
 *
 * @module
 */
import type { FieldError } from '../errors.js';
import { childPath, collectFieldErrors, type ReportFn } from './field-report.js';
import { isIPv4Address, isIPv6Address, isLooseCidr, isMACAddress, isStrictNet, networkContainsAddress, parseIPAddress, parseIPNetwork, type IPAddress, type IPNetwork } from './net.js';
import { isValidPortName, parseProtocol, protocolSupportsPorts } from './numorstring.js';
import type { WorkloadEndpoint } from './types.generated.js';
import { computeWorkloadEndpointName, nameSegmentFields, type WorkloadEndpointIdentifierField } from './workload-endpoint-name.js';
import { asRecord } from './plain-object.js';

/** Label Calico sets on every WorkloadEndpoint to its namespace. */
export const LABEL_NAMESPACE = 'projectcalico.org/namespace';
/** Label Calico sets on every WorkloadEndpoint to its orchestrator. */
export const LABEL_ORCHESTRATOR = 'projectcalico.org/orchestrator';

/** DSCP names and their values (numorstring.DSCP); matched case-insensitively. */
export const DSCP_VALUES: Readonly<Record<string, number>> = Object.freeze({
  DF: 0,
  EF: 46,
  AF11: 10,
  AF12: 12,
  AF13: 14,
  AF21: 18,
  AF22: 20,
  AF23: 22,
  AF31: 26,
  AF32: 28,
  AF33: 30,
  AF41: 34,
  AF42: 36,
  AF43: 38,
  CS0: 0,
  CS1: 8,
  CS2: 16,
  CS3: 24,
  CS4: 32,
  CS5: 40,
  CS6: 48,
});

type Rec = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONTAINER_ID_RE = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const INTERFACE_RE = /^[a-zA-Z0-9_.-]{1,15}$/;
const DECIMAL_RE = /^\d+$/;
const NAME_MESSAGE = 'must consist of lower case alphanumeric characters, - and . (a DNS-1123 subdomain)';

/**
 * True for Calico's `name` format used by identifiers inside specs (a lowercase DNS-1123
 * subdomain pattern, no length cap).
 *
 * @param value The identifier.
 */
export function isValidSpecName(value: string): boolean {
  return NAME_RE.test(value);
}

/**
 * True for Calico's container-ID format: alphanumerics and inner dashes, upper case allowed.
 *
 * @param value The container ID.
 */
export function isValidContainerID(value: string): boolean {
  return CONTAINER_ID_RE.test(value);
}

/**
 * True for a valid WorkloadEndpoint `interfaceName`: `*`, or 1–15 characters of `[A-Za-z0-9_.-]`.
 *
 * @param value The interface name.
 */
export function isValidInterfaceName(value: string): boolean {
  return value === '*' || INTERFACE_RE.test(value);
}

/**
 * Parses a DSCP value: an integer 0–63, a decimal string of one, or a DSCP name (`EF`, `AF11`…,
 * case-insensitive, surrounding spaces ignored). Names are returned in their canonical upper
 * case, numbers as numbers.
 *
 * @param value The JSON value.
 * @return The DSCP as stored, or `undefined` when invalid.
 */
export function parseDSCP(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 63 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (DECIMAL_RE.test(value)) return parseDSCP(Number(value));
  const name = value.trim().toUpperCase();
  return Object.hasOwn(DSCP_VALUES, name) ? name : undefined;
}

function identifiersOf(spec: Rec): Record<WorkloadEndpointIdentifierField, string> {
  return {
    node: str(spec.node),
    orchestrator: str(spec.orchestrator),
    endpoint: str(spec.endpoint),
    pod: str(spec.pod),
    containerID: str(spec.containerID),
    workload: str(spec.workload),
  };
}

/**
 * Applies the WorkloadEndpoint defaults (model.md §8.3): an empty `metadata.name` is replaced by
 * the name computed from the spec (left empty when it cannot be computed, for the check to
 * report), and the labels `projectcalico.org/namespace` / `projectcalico.org/orchestrator` are
 * set to `metadata.namespace` / `spec.orchestrator`, whatever the caller sent. Number-or-string
 * values are written in Calico's JSON form: a port protocol `"6"` becomes `6`, a DSCP `"10"`
 * becomes `10` and a DSCP name its upper-case spelling. Pure and idempotent.
 *
 * ## Example
 * ```ts
 * applyWorkloadEndpointDefaults({ kind: 'WorkloadEndpoint', metadata: { namespace: 'shop' },
 *   spec: { orchestrator: 'k8s', node: 'worker-1', pod: 'cart-7f9', endpoint: 'eth0', interfaceName: 'cali0' } }).metadata;
 * // { namespace: 'shop', name: 'worker--1-k8s-cart--7f9-eth0',
 * //   labels: { 'projectcalico.org/namespace': 'shop', 'projectcalico.org/orchestrator': 'k8s' } }
 * ```
 * @param wep The endpoint; not modified.
 * @return A defaulted deep copy.
 */
export function applyWorkloadEndpointDefaults<T>(wep: T): T {
  const out = structuredClone(wep);
  const root = asRecord(out);
  if (!root) return out;
  const spec = asRecord(root.spec) ?? {};
  if (root.metadata === undefined || root.metadata === null) root.metadata = {};
  const metadata = asRecord(root.metadata);
  if (!metadata) return out;
  if (metadata.name === undefined || metadata.name === null || metadata.name === '') {
    const computed = computeWorkloadEndpointName(identifiersOf(spec));
    if (computed.ok) metadata.name = computed.name;
  }
  const labels = asRecord(metadata.labels) ?? {};
  labels[LABEL_NAMESPACE] = str(metadata.namespace);
  labels[LABEL_ORCHESTRATOR] = str(spec.orchestrator);
  metadata.labels = labels;
  normaliseNumOrString(spec);
  return out;
}

function normaliseNumOrString(spec: Rec): void {
  if (Array.isArray(spec.ports)) {
    for (const entry of spec.ports) {
      const port = asRecord(entry);
      if (port && typeof port.protocol === 'string') {
        const parsed = parseProtocol(port.protocol);
        if (parsed.ok) port.protocol = parsed.value;
      }
    }
  }
  const qos = asRecord(spec.qosControls);
  if (qos && typeof qos.dscp === 'string') {
    const dscp = parseDSCP(qos.dscp);
    if (dscp !== undefined) qos.dscp = dscp;
  }
}

function checkIdentifiers(spec: Rec, metadata: Rec | undefined, report: ReportFn): void {
  const ids = identifiersOf(spec);
  const computed = computeWorkloadEndpointName(ids);
  const badFormat = new Set<string>();
  for (const field of ['node', 'orchestrator', 'workload', 'pod', 'endpoint', 'serviceAccountName'] as const) {
    const value = spec[field];
    if (typeof value === 'string' && value !== '' && !NAME_RE.test(value)) {
      report(`spec.${field}`, 'invalid', NAME_MESSAGE, value);
      badFormat.add(field);
    }
  }
  if (typeof spec.containerID === 'string' && spec.containerID !== '' && !CONTAINER_ID_RE.test(spec.containerID)) {
    report('spec.containerID', 'invalid', 'must consist of alphanumeric characters and -, starting and ending with an alphanumeric character', spec.containerID);
    badFormat.add('containerID');
  }
  if (!computed.ok) {
    for (const p of computed.problems) {
      if (!badFormat.has(p.field)) report(`spec.${p.field}`, p.type, p.message, spec[p.field]);
    }
    return;
  }
  const name = metadata?.name;
  if (typeof name === 'string' && name !== '' && name !== computed.name) {
    report('metadata.name', 'invalid', `the name does not match the identifiers in the spec: expected ${computed.name}`, name);
  }
}

function checkInterfaceName(spec: Rec, report: ReportFn): void {
  const name = spec.interfaceName;
  if (name === undefined || name === null || name === '') {
    report('spec.interfaceName', 'required', 'interfaceName must be set');
  } else if (typeof name === 'string' && !isValidInterfaceName(name)) {
    report('spec.interfaceName', 'invalid', 'must be * or 1-15 characters of letters, digits, _, . and -', name);
  }
}

/** An address with an IPv4-mapped IPv6 address read as IPv4, as Go's `Version()` does. */
function effective(address: IPAddress): IPAddress {
  if (address.family !== 6 || !address.ipv4Mapped) return address;
  const bytes = address.bytes.slice(12);
  return { family: 4, bytes, ipv4Mapped: false, text: bytes.join('.') };
}

function effectiveNetwork(network: IPNetwork): IPNetwork {
  if (!network.address.ipv4Mapped || network.prefixLength < 96) return network;
  return parseIPNetwork(`${effective(network.address).text}/${network.prefixLength - 96}`) ?? network;
}

function checkIPNetworks(spec: Rec, report: ReportFn): IPNetwork[] {
  const networks: IPNetwork[] = [];
  if (!Array.isArray(spec.ipNetworks)) return networks;
  spec.ipNetworks.forEach((entry, i) => {
    if (typeof entry !== 'string') return;
    const path = childPath('spec.ipNetworks', i);
    const parsed = parseIPNetwork(entry, { allowBareAddress: true });
    if (!parsed) {
      report(path, 'invalid', 'must be a single IP address, optionally with /32 (IPv4) or /128 (IPv6)', entry);
      return;
    }
    networks.push(effectiveNetwork(parsed));
    const full = parsed.family === 4 ? 32 : 128;
    if (parsed.prefixLength !== full) report(path, 'invalid', 'IP network contains multiple addresses: use a single address (/32 or /128)', entry);
  });
  return networks;
}

function checkIPNATs(spec: Rec, networks: readonly IPNetwork[], report: ReportFn): void {
  if (!Array.isArray(spec.ipNATs)) return;
  spec.ipNATs.forEach((entry, i) => {
    const nat = asRecord(entry);
    if (!nat) return;
    const path = childPath('spec.ipNATs', i);
    const addresses: Partial<Record<'internalIP' | 'externalIP', IPAddress>> = {};
    for (const field of ['internalIP', 'externalIP'] as const) {
      const value = nat[field];
      if (value !== undefined && typeof value !== 'string') continue;
      const parsed = typeof value === 'string' ? parseIPAddress(value) : undefined;
      if (parsed) addresses[field] = effective(parsed);
      else report(`${path}.${field}`, value === undefined || value === '' ? 'required' : 'invalid', 'must be a single IP address', value);
    }
    const { internalIP, externalIP } = addresses;
    if (internalIP && externalIP && internalIP.family !== externalIP.family) {
      report(`${path}.externalIP`, 'invalid', 'internalIP and externalIP must be of the same IP version', nat.externalIP);
    }
    if (internalIP && !networks.some((n) => networkContainsAddress(n, internalIP))) {
      report(`${path}.internalIP`, 'invalid', 'the internal IP is not in the endpoint ipNetworks', nat.internalIP);
    }
  });
}

function checkAddressFields(spec: Rec, report: ReportFn): void {
  if (typeof spec.ipv4Gateway === 'string' && spec.ipv4Gateway !== '' && !isIPv4Address(spec.ipv4Gateway)) {
    report('spec.ipv4Gateway', 'invalid', 'must be a single IPv4 address', spec.ipv4Gateway);
  }
  if (typeof spec.ipv6Gateway === 'string' && spec.ipv6Gateway !== '' && !isIPv6Address(spec.ipv6Gateway)) {
    report('spec.ipv6Gateway', 'invalid', 'must be a single IPv6 address', spec.ipv6Gateway);
  }
  if (typeof spec.mac === 'string' && spec.mac !== '' && !isMACAddress(spec.mac)) {
    report('spec.mac', 'invalid', 'must be a MAC address', spec.mac);
  }
  if (Array.isArray(spec.allowSpoofedSourcePrefixes)) {
    spec.allowSpoofedSourcePrefixes.forEach((p, i) => {
      if (typeof p === 'string' && !isLooseCidr(p)) {
        report(childPath('spec.allowSpoofedSourcePrefixes', i), 'invalid', 'must be an IP address or CIDR', p);
      }
    });
  }
  if (Array.isArray(spec.profiles)) {
    spec.profiles.forEach((p, i) => {
      if (typeof p === 'string' && !NAME_RE.test(p)) report(childPath('spec.profiles', i), 'invalid', NAME_MESSAGE, p);
    });
  }
}

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function checkPort(port: Rec, path: string, report: ReportFn): void {
  const name = port.name;
  if (typeof name === 'string' && name !== '' && !isValidPortName(name)) {
    report(`${path}.name`, 'invalid', 'must be a valid IANA service name (1-15 of a-z, 0-9 and -, with a letter)', name);
  }
  if ((name === undefined || name === '') && (port.hostPort === undefined || port.hostPort === 0)) {
    report(`${path}.name`, 'required', 'name must be set when no hostPort is given');
  }
  if (port.protocol === undefined || port.protocol === '') {
    report(`${path}.protocol`, 'required', 'protocol must be set');
  } else if (typeof port.protocol === 'number' || typeof port.protocol === 'string') {
    const protocol = parseProtocol(port.protocol);
    if (!protocol.ok) report(`${path}.protocol`, 'invalid', protocol.reason, port.protocol);
    else if (!protocolSupportsPorts(protocol.value)) report(`${path}.protocol`, 'invalid', 'protocol does not support ports: use TCP, UDP or SCTP', port.protocol);
  }
  if (port.port === undefined || (typeof port.port === 'number' && !isInteger(port.port, 1, 65535))) {
    report(`${path}.port`, port.port === undefined ? 'required' : 'invalid', 'port must be from 1 to 65535', port.port);
  }
  if (typeof port.hostPort === 'number' && !isInteger(port.hostPort, 0, 65535)) {
    report(`${path}.hostPort`, 'invalid', 'hostPort must be from 0 to 65535', port.hostPort);
  }
  if (typeof port.hostIP === 'string' && port.hostIP !== '' && !isStrictNet(port.hostIP)) {
    report(`${path}.hostIP`, 'invalid', 'must be an IP address (a network with host bits zero is also accepted)', port.hostIP);
  }
}

/**
 * Checks the rules of a WorkloadEndpoint (model.md §8.4) on a defaulted endpoint: the identifiers
 * the name is computed from are present and well formed and `metadata.name`, when set, equals the
 * computed name; `interfaceName` is set and valid; `ipNetworks` hold single addresses; each
 * `ipNATs` pair is of one family and its internal address lies in `ipNetworks`; gateways, MAC,
 * spoofing prefixes and profile names have their formats; ports have a name (unless a host port
 * is given), a protocol that supports ports and a port 1–65535; `qosControls.dscp` is 0–63 or a
 * DSCP name. Namespace and label rules belong to the metadata check.
 *
 * ## Example
 * ```ts
 * const { errors, report } = collectFieldErrors();
 * checkWorkloadEndpoint(applyWorkloadEndpointDefaults(wep), report);
 * ```
 * @param wep The endpoint (already defaulted).
 * @param report Receives one call per failing field.
 */
export function checkWorkloadEndpoint(wep: WorkloadEndpoint, report: ReportFn): void {
  const root = asRecord(wep);
  const spec = asRecord(root?.spec);
  if (!spec) return;
  checkIdentifiers(spec, asRecord(root?.metadata), report);
  checkInterfaceName(spec, report);
  const networks = checkIPNetworks(spec, report);
  checkIPNATs(spec, networks, report);
  checkAddressFields(spec, report);
  if (Array.isArray(spec.ports)) {
    spec.ports.forEach((entry, i) => {
      const port = asRecord(entry);
      if (port) checkPort(port, childPath('spec.ports', i), report);
    });
  }
  const qos = asRecord(spec.qosControls);
  if (qos && qos.dscp !== undefined && qos.dscp !== null && parseDSCP(qos.dscp) === undefined) {
    report('spec.qosControls.dscp', 'invalid', `DSCP must be from 0 to 63 or one of ${Object.keys(DSCP_VALUES).join(', ')}`, qos.dscp);
  }
}

/**
 * The update-time check against the stored endpoint: the identifiers that make up the name
 * cannot change (the name is the storage key, so an update with other identifiers would describe
 * another endpoint). Normally the name check already catches this; this check also covers
 * stored data whose name and spec disagree.
 *
 * @param next The updated endpoint (defaulted).
 * @param stored The endpoint as stored.
 * @return One `immutable` error per changed identifier; empty when none changed.
 */
export function checkWorkloadEndpointUpdate(next: WorkloadEndpoint, stored: WorkloadEndpoint): FieldError[] {
  const { errors, report } = collectFieldErrors();
  const nextIds = identifiersOf(asRecord(asRecord(next)?.spec) ?? {});
  const storedIds = identifiersOf(asRecord(asRecord(stored)?.spec) ?? {});
  const fields = new Set(nameSegmentFields(storedIds.orchestrator));
  for (const field of fields) {
    if (nextIds[field] !== storedIds[field]) {
      report(`spec.${field}`, 'immutable', `${field} is part of the WorkloadEndpoint name and cannot be changed`, nextIds[field]);
    }
  }
  return errors;
}
