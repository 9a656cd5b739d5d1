/**
 * Kubernetes `networking.k8s.io/v1` NetworkPolicy → Calico NetworkPolicy conversion (Calico
 * `K8sNetworkPolicyToCalico`, backends spec §3.6): selectors, peers, ports grouped by protocol
 * and coalesced, policy types, order 1000 in the default tier.
 *
 * @module
 */
import { ParseError } from '../../errors.js';
import { CALICO_API_VERSION } from '../../model/kinds.js';
import { parseIPNetwork } from '../../model/net.js';
import { formatPort, parsePort, type Port } from '../../model/numorstring.js';
import type { EntityRule, NetworkPolicy, PolicyType, Rule } from '../../model/types.generated.js';
import type { KubeLabelSelector, KubeNetworkPolicy, KubeNetworkPolicyPeer, KubeNetworkPolicyPort } from './kube-types.js';
import { objectPath, wireTimestamp } from './meta.js';
import { tryConvertUID } from './uid.js';

/** Name prefix Calico ≤ 3.31 gave converted Kubernetes policies. */
export const KNP_LEGACY_PREFIX = 'knp.default.';
/** Order of every converted policy. */
export const KNP_ORDER = 1000;
const ORCHESTRATOR_TERM = "projectcalico.org/orchestrator == 'k8s'";
const CALICO_PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'];

/** Options of {@link kubeNetworkPolicyToCalico}. */
export interface KubeNetworkPolicyConversionOptions {
  /**
   * Name the result `knp.default.<name>` as Calico ≤ 3.31 did (and as kube-controllers still
   * writes into etcd), instead of keeping the Kubernetes name.
   * @default false
   */
  legacyName?: boolean;
  /** Receives a message for every rule that could not be converted and was dropped. */
  onWarning?: (message: string) => void;
}

/**
 * Converts a Kubernetes label selector to a Calico selector. Pod selectors start with the
 * orchestrator term (so they never match host endpoints); a present but empty namespace
 * selector is `all()`, an absent one is empty.
 *
 * ## Example
 * ```ts
 * kubeSelectorToCalico({ matchLabels: { tier: 'fe', app: 'web' } }, 'pod');
 * // "projectcalico.org/orchestrator == 'k8s' && app == 'web' && tier == 'fe'"
 * ```
 * @param selector The Kubernetes selector (absent or `null` allowed).
 * @param type Whether it selects Pods or Namespaces.
 * @return The Calico selector.
 */
export function kubeSelectorToCalico(selector: KubeLabelSelector | null | undefined, type: 'pod' | 'namespace'): string {
  const terms: string[] = type === 'pod' ? [ORCHESTRATOR_TERM] : [];
  if (!selector) return terms.join(' && ');
  const labels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  const keys = Object.keys(labels).sort();
  if (type === 'namespace' && keys.length === 0 && expressions.length === 0) return 'all()';
  for (const k of keys) terms.push(`${k} == '${labels[k] ?? ''}'`);
  for (const e of expressions) {
    const values = (e.values ?? []).join("', '");
    if (e.operator === 'In') terms.push(`${e.key} in { '${values}' }`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} not in { '${values}' }`);
    else if (e.operator === 'Exists') terms.push(`has(${e.key})`);
    else if (e.operator === 'DoesNotExist') terms.push(`! has(${e.key})`);
  }
  return terms.join(' && ');
}

/** Calico's canonical spelling of a protocol name (`tcp` → `TCP`), or the text as given. */
function calicoProtocol(name: string): string {
  return CALICO_PROTOCOLS.find((p) => p.toLowerCase() === name.toLowerCase()) ?? name;
}

/**
 * Calico's `SimplifyPorts`: with two or more numeric ports, named ports first (in order), then the
 * numeric ports sorted and coalesced into ranges; otherwise the list unchanged.
 */
function simplifyPorts(ports: readonly Port[]): Port[] {
  const named = ports.filter((p) => p.kind === 'named');
  const intervals = ports.flatMap((p) => (p.kind === 'single' ? [[p.port, p.port] as [number, number]] : p.kind === 'range' ? [[p.min, p.max] as [number, number]] : []));
  const numericCount = intervals.reduce((n, [a, b]) => n + (b - a + 1), 0);
  if (ports.length <= 1 || numericCount <= 1) return [...ports];
  intervals.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const [a, b] of intervals) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return [...named, ...merged.map(([a, b]): Port => (a === b ? { kind: 'single', port: a } : { kind: 'range', min: a, max: b }))];
}

/** One peer as a Calico entity rule, or undefined when it cannot be converted. */
function peerEntity(peer: KubeNetworkPolicyPeer | undefined): EntityRule | undefined {
  if (!peer) return {};
  if (peer.ipBlock) {
    const net = parseIPNetwork(peer.ipBlock.cidr);
    if (!net) return undefined;
    const entity: EntityRule = { nets: [net.text] };
    const except: string[] = [];
    for (const e of peer.ipBlock.except ?? []) {
      const n = parseIPNetwork(e);
      if (!n) return undefined;
      except.push(n.text);
    }
    if (except.length > 0) entity.notNets = except;
    return entity;
  }
  const entity: EntityRule = { selector: kubeSelectorToCalico(peer.podSelector, 'pod') };
  const ns = kubeSelectorToCalico(peer.namespaceSelector, 'namespace');
  if (ns !== '') entity.namespaceSelector = ns;
  return entity;
}

/**
 * The ports of one rule grouped by protocol (`''` = any protocol, any port); `null` ports mean
 * "all ports" of that protocol. Undefined when a port cannot be converted.
 */
function portsByProtocol(ports: readonly KubeNetworkPolicyPort[]): Map<string, Port[] | null> | undefined {
  const groups = new Map<string, Port[] | null>();
  if (ports.length === 0) return new Map([['', null]]);
  for (const p of ports) {
    const protocol = calicoProtocol(p.protocol ?? 'TCP');
    if (p.port === undefined || p.port === null) {
      groups.set(protocol, null);
      continue;
    }
    const text = p.endPort !== undefined && p.endPort !== null ? `${p.port}:${p.endPort}` : String(p.port);
    const parsed = parsePort(text);
    if (!parsed.ok) return undefined;
    const existing = groups.get(protocol);
    if (existing === null) continue;
    groups.set(protocol, [...(existing ?? []), parsed.value]);
  }
  return groups;
}

function compact(entity: EntityRule): EntityRule | undefined {
  return Object.keys(entity).length > 0 ? entity : undefined;
}

/** Converts one Kubernetes rule into Calico rules, or undefined when it cannot be converted. */
function convertRule(peers: readonly KubeNetworkPolicyPeer[], ports: readonly KubeNetworkPolicyPort[], ingress: boolean): Rule[] | undefined {
  const groups = portsByProtocol(ports);
  if (!groups) return undefined;
  const entities: EntityRule[] = [];
  for (const peer of peers.length > 0 ? peers : [undefined]) {
    const e = peerEntity(peer);
    if (!e) return undefined;
    entities.push(e);
  }
  const rules: Rule[] = [];
  for (const protocol of [...groups.keys()].sort()) {
    const list = groups.get(protocol);
    const calicoPorts = list ? simplifyPorts(list).map(formatPort) : [];
    for (const entity of entities) {
      const rule: Rule = { action: 'Allow' };
      if (protocol !== '') rule.protocol = protocol;
      const portMatch: EntityRule = calicoPorts.length > 0 ? { ports: calicoPorts } : {};
      if (ingress) {
        const source = compact(entity);
        const destination = compact(portMatch);
        if (source) rule.source = source;
        if (destination) rule.destination = destination;
      } else {
        const destination = compact({ ...entity, ...portMatch });
        if (destination) rule.destination = destination;
      }
      rules.push(rule);
    }
  }
  return rules;
}

/**
 * Converts a Kubernetes NetworkPolicy to the Calico NetworkPolicy Calico enforces for it
 * (backends spec §3.6): the Kubernetes name (or `knp.default.<name>` with `legacyName`), tier
 * `default` with the `projectcalico.org/tier` label, order 1000, the pod selector as the policy
 * selector, `types` from `policyTypes` (default `[Ingress]`), and one Allow rule per protocol and
 * peer. A rule that cannot be converted is dropped (reported through `onWarning`); the rest of the
 * policy stands. Accepts wire JSON and client-node's typed objects alike.
 *
 * ## Example
 * ```ts
 * const np = kubeNetworkPolicyToCalico({
 *   metadata: { name: 'allow-web', namespace: 'shop' },
 *   spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }, { port: 81 }] }] },
 * });
 * np.spec.selector; // "projectcalico.org/orchestrator == 'k8s' && app == 'web'"
 * np.spec.ingress;  // [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['80:81'] } }]
 * ```
 * @param np The Kubernetes NetworkPolicy.
 * @param options See {@link KubeNetworkPolicyConversionOptions}.
 * @return The Calico NetworkPolicy.
 * @throws ParseError naming the policy's path when its uid is not a UUID.
 */
export function kubeNetworkPolicyToCalico(np: KubeNetworkPolicy, options: KubeNetworkPolicyConversionOptions = {}): NetworkPolicy {
  const meta = np.metadata ?? {};
  const key = objectPath('/apis/networking.k8s.io/v1', 'networkpolicies', np);
  const spec = np.spec ?? {};
  const convert = (direction: 'ingress' | 'egress'): Rule[] => {
    const out: Rule[] = [];
    (spec[direction] ?? []).forEach((r, i) => {
      const peers = (direction === 'ingress' ? (r as { from?: KubeNetworkPolicyPeer[] | null }).from : (r as { to?: KubeNetworkPolicyPeer[] | null }).to) ?? [];
      const rules = convertRule(peers, r.ports ?? [], direction === 'ingress');
      if (rules) out.push(...rules);
      else options.onWarning?.(`${key}: dropped spec.${direction}[${i}], which cannot be converted`);
    });
    return out;
  };
  const ingress = convert('ingress');
  const egress = convert('egress');
  const policyTypes = spec.policyTypes ?? [];
  const types: PolicyType[] = [];
  if (policyTypes.includes('Ingress')) types.push('Ingress');
  if (policyTypes.includes('Egress')) types.push('Egress');
  if (types.length === 0) types.push('Ingress');

  const name = meta.name ?? '';
  const policy: NetworkPolicy = {
    apiVersion: CALICO_API_VERSION,
    kind: 'NetworkPolicy',
    metadata: { name: options.legacyName ? `${KNP_LEGACY_PREFIX}${name}` : name, labels: { 'projectcalico.org/tier': 'default' } },
    spec: { tier: 'default', order: KNP_ORDER, selector: kubeSelectorToCalico(spec.podSelector, 'pod'), types },
  };
  if (meta.namespace) policy.metadata.namespace = meta.namespace;
  if (meta.uid) {
    const uid = tryConvertUID(meta.uid);
    if (uid === undefined) throw new ParseError(key, { reason: 'metadata.uid is not a UUID' });
    policy.metadata.uid = uid;
  }
  const created = wireTimestamp(meta.creationTimestamp);
  if (created !== undefined) policy.metadata.creationTimestamp = created;
  if (meta.resourceVersion) policy.metadata.resourceVersion = meta.resourceVersion;
  if (ingress.length > 0) policy.spec.ingress = ingress;
  if (egress.length > 0) policy.spec.egress = egress;
  return policy;
}
