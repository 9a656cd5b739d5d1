/**
 * Valid documents of every kind, and fast-check arbitraries that generate valid documents, for the
 * validation, defaulting and serialisation tests.
 */
import fc from 'fast-check';
import type {
  EntityRule,
  GlobalNetworkPolicy,
  IPPool,
  NetworkPolicy,
  Node,
  Rule,
  Tier,
  WorkloadEndpoint,
} from '../../../src/model/types.generated.js';

export const API = 'projectcalico.org/v3' as const;

/** One small valid document per kind (before defaulting). */
export function validDocs(): {
  IPPool: IPPool;
  Node: Node;
  WorkloadEndpoint: WorkloadEndpoint;
  NetworkPolicy: NetworkPolicy;
  GlobalNetworkPolicy: GlobalNetworkPolicy;
  Tier: Tier;
} {
  return {
    IPPool: { apiVersion: API, kind: 'IPPool', metadata: { name: 'pool-a' }, spec: { cidr: '10.10.0.0/16', natOutgoing: true } },
    Node: {
      apiVersion: API,
      kind: 'Node',
      metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' } },
      spec: { bgp: { ipv4Address: '10.0.0.5/24', asNumber: 64512 }, vxlanTunnelMACAddr: '66:cf:23:df:22:07' },
    },
    WorkloadEndpoint: {
      apiVersion: API,
      kind: 'WorkloadEndpoint',
      metadata: { name: 'worker--1-k8s-cart--7f9-eth0', namespace: 'shop', labels: { app: 'cart' } },
      spec: {
        orchestrator: 'k8s',
        node: 'worker-1',
        pod: 'cart-7f9',
        endpoint: 'eth0',
        interfaceName: 'cali1a2b3c4d5e6',
        ipNetworks: ['10.244.3.17/32'],
        profiles: ['kns.shop'],
        ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
      },
    },
    NetworkPolicy: {
      apiVersion: API,
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-frontend', namespace: 'shop' },
      spec: {
        selector: 'app == "cart"',
        ingress: [
          {
            action: 'Allow',
            protocol: 'TCP',
            source: { selector: 'app == "frontend"' },
            destination: { ports: [8080, '9000:9100', 'http'] },
          },
        ],
      },
    },
    GlobalNetworkPolicy: {
      apiVersion: API,
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'deny-egress' },
      spec: { selector: 'all()', order: 100, egress: [{ action: 'Deny', destination: { nets: ['10.0.0.0/8'] } }] },
    },
    Tier: { apiVersion: API, kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Pass' } },
  };
}

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?)?$/);
const labels = fc.dictionary(fc.oneof(label, fc.tuple(label, label).map(([p, n]) => `${p}.io/${n}`)), labelValue, { maxKeys: 4 });
const annotations = fc.dictionary(fc.oneof(label, fc.constantFrom('Example.com/Owner', 'note')), fc.string({ maxLength: 40 }), { maxKeys: 3 });

const metadataFor = (namespaced: boolean, name: fc.Arbitrary<string>) =>
  fc.record(
    {
      name,
      labels,
      annotations,
      ...(namespaced ? { namespace: label } : {}),
    },
    { requiredKeys: namespaced ? ['name', 'namespace'] : ['name'] },
  );

const octet = fc.integer({ min: 0, max: 255 });
const v4Net = fc
  .tuple(octet, octet, fc.integer({ min: 8, max: 24 }))
  .filter(([a]) => a !== 169 && a !== 0)
  .map(([a, b, len]) => {
    const bytes = [a, b, 0, 0];
    const value = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16);
    const masked = len === 0 ? 0 : (value & (~0 << (32 - len))) >>> 0;
    return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`;
  });

export const ipPoolArb: fc.Arbitrary<IPPool> = fc
  .record(
    {
      metadata: metadataFor(false, label),
      cidr: fc.oneof(v4Net, fc.constantFrom('fd00:10::/48', 'FD00:0:0::/64', '2001:db8::/64')),
      natOutgoing: fc.boolean(),
      disabled: fc.boolean(),
      encap: fc.constantFrom<[string, string]>(['Never', 'Never'], ['Always', 'Never'], ['Never', 'Always'], ['Never', 'CrossSubnet']),
      nodeSelector: fc.constantFrom('', 'all()', 'zone == "a"', 'has(edge)'),
      assignmentMode: fc.constantFrom(undefined, 'Automatic', 'Manual'),
    },
    { requiredKeys: ['metadata', 'cidr', 'encap'] },
  )
  .map((r) => {
    const v6 = r.cidr.includes(':');
    const [ipip, vxlan] = v6 ? ['Never', r.encap[1]] : r.encap;
    const spec: IPPool['spec'] = { cidr: r.cidr, ipipMode: ipip as 'Never', vxlanMode: vxlan as 'Never' };
    if (r.natOutgoing !== undefined) spec.natOutgoing = r.natOutgoing;
    if (r.disabled !== undefined) spec.disabled = r.disabled;
    if (r.nodeSelector !== undefined) spec.nodeSelector = r.nodeSelector;
    if (r.assignmentMode !== undefined) spec.assignmentMode = r.assignmentMode as 'Manual';
    return { apiVersion: API, kind: 'IPPool', metadata: r.metadata, spec };
  });

export const nodeArb: fc.Arbitrary<Node> = fc
  .record(
    {
      metadata: metadataFor(false, label),
      ipv4Address: fc.constantFrom('10.0.0.5/24', '192.168.1.10', '172.16.0.1/12'),
      asNumber: fc.oneof(fc.integer({ min: 0, max: 4294967295 }), fc.constantFrom('64512', '1.10', '0.64512')),
      tunnel: fc.constantFrom('10.1.0.1', '192.168.100.1'),
      mac: fc.constantFrom('66:cf:23:df:22:07', '00-00-5e-00-53-01', '0000.5e00.5301'),
    },
    { requiredKeys: ['metadata'] },
  )
  .map((r) => {
    const bgp: NonNullable<NonNullable<Node['spec']>['bgp']> = {};
    if (r.ipv4Address !== undefined) bgp.ipv4Address = r.ipv4Address;
    if (r.asNumber !== undefined) bgp.asNumber = r.asNumber;
    const spec: NonNullable<Node['spec']> = {};
    if (Object.keys(bgp).length > 0) spec.bgp = bgp;
    if (r.tunnel !== undefined) spec.ipv4VXLANTunnelAddr = r.tunnel;
    if (r.mac !== undefined) spec.vxlanTunnelMACAddr = r.mac;
    return { apiVersion: API, kind: 'Node', metadata: r.metadata, spec };
  });

export const workloadEndpointArb: fc.Arbitrary<WorkloadEndpoint> = fc
  .record({
    metadata: metadataFor(true, fc.constant('')),
    node: label,
    pod: label,
    endpoint: fc.constantFrom('eth0', 'eth1'),
    interfaceName: fc.constantFrom('cali0123456789a', '*', 'tap1'),
    ip: fc.tuple(octet, octet).map(([a, b]) => `10.${a}.${b}.7`),
  })
  .map((r) => ({
    apiVersion: API,
    kind: 'WorkloadEndpoint',
    metadata: { ...r.metadata, name: '' },
    spec: {
      orchestrator: 'k8s',
      node: r.node,
      pod: r.pod,
      endpoint: r.endpoint,
      interfaceName: r.interfaceName,
      ipNetworks: [`${r.ip}/32`],
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    },
  }));

const selector = fc.constantFrom('', 'all()', 'app == "web"', 'has(role) && env != "dev"', 'tier in {"a", "b"}');
const entityRule: fc.Arbitrary<EntityRule> = fc.record(
  {
    selector: fc.constantFrom('app == "db"', 'has(x)'),
    nets: fc.uniqueArray(v4Net, { maxLength: 3 }),
    ports: fc.array(fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('8000:9000', '443')), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const rule: fc.Arbitrary<Rule> = fc
  .record(
    { action: fc.constantFrom('Allow', 'Deny', 'Log', 'Pass'), source: entityRule, destination: entityRule },
    { requiredKeys: ['action'] },
  )
  .map((r) => {
    const out: Rule = { action: r.action as Rule['action'] };
    if (r.source) out.source = { ...r.source, ports: [] };
    if (r.destination) out.destination = r.destination;
    // Numeric ports need a protocol that has ports.
    if (r.destination?.ports?.length) out.protocol = 'TCP';
    return out;
  });

const policyCommon = fc.record(
  {
    tier: fc.constantFrom('default', 'security'),
    order: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constant(0.5)),
    selector,
    ingress: fc.array(rule, { maxLength: 3 }),
    egress: fc.array(rule, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

export const networkPolicyArb: fc.Arbitrary<NetworkPolicy> = fc
  .tuple(metadataFor(true, fc.oneof(label, fc.tuple(label, label).map(([a, b]) => `${a}.${b}`))), policyCommon)
  .map(([metadata, spec]) => ({ apiVersion: API, kind: 'NetworkPolicy', metadata, spec }));

export const globalNetworkPolicyArb: fc.Arbitrary<GlobalNetworkPolicy> = fc
  .tuple(metadataFor(false, label), policyCommon, fc.constantFrom('', 'kubernetes.io/metadata.name == "prod"'))
  .map(([metadata, spec, namespaceSelector]) => ({
    apiVersion: API,
    kind: 'GlobalNetworkPolicy',
    metadata,
    spec: { ...spec, namespaceSelector },
  }));

export const tierArb: fc.Arbitrary<Tier> = fc
  .record(
    {
      metadata: metadataFor(false, label.filter((n) => !['default', 'kube-admin', 'kube-baseline'].includes(n))),
      order: fc.integer({ min: 0, max: 5_000_000 }),
      defaultAction: fc.constantFrom('Deny', 'Pass'),
    },
    { requiredKeys: ['metadata'] },
  )
  .map((r) => {
    const spec: Tier['spec'] = {};
    if (r.order !== undefined) spec.order = r.order;
    if (r.defaultAction !== undefined) spec.defaultAction = r.defaultAction as 'Deny';
    return { apiVersion: API, kind: 'Tier', metadata: r.metadata, spec };
  });

/** A valid document of any kind, before defaulting. */
export const anyValidDocArb = fc.oneof(ipPoolArb, nodeArb, workloadEndpointArb, networkPolicyArb, globalNetworkPolicyArb, tierArb);
