/**
 * One example of every cross-field violation a policy rule can have, and how to slip one into a
 * valid policy, for the "reported at exactly its path" properties.
 */
export type Loose = Record<string, unknown>;

/** One violation: the rule to insert, its direction, and the path (relative to the rule) that must be reported. */
export interface Violation {
  name: string;
  direction: 'ingress' | 'egress';
  rule: Loose;
  path: string;
  /** Only in a GlobalNetworkPolicy. */
  globalOnly?: boolean;
}

/** One example of every cross-field violation a rule can have. */
export const VIOLATIONS: readonly Violation[] = [
  { name: 'rule 1: numeric port without protocol', direction: 'ingress', rule: { action: 'Allow', destination: { ports: [80] } }, path: 'destination.ports' },
  { name: 'rule 1: range in notPorts without protocol', direction: 'egress', rule: { action: 'Deny', source: { notPorts: ['1:1024'] } }, path: 'source.notPorts' },
  { name: 'rule 2: named port with ICMP', direction: 'ingress', rule: { action: 'Allow', protocol: 'ICMP', source: { ports: ['http'] } }, path: 'source.ports' },
  { name: 'rule 2: port with UDPLite', direction: 'egress', rule: { action: 'Allow', protocol: 'UDPLite', destination: { ports: [53] } }, path: 'destination.ports' },
  { name: 'rule 3: icmp with TCP', direction: 'ingress', rule: { action: 'Allow', protocol: 'TCP', icmp: { type: 8 } }, path: 'icmp' },
  { name: 'rule 3: icmp without protocol', direction: 'egress', rule: { action: 'Allow', icmp: { type: 0, code: 0 } }, path: 'icmp' },
  { name: 'rule 4: ICMP with ipVersion 6', direction: 'ingress', rule: { action: 'Allow', protocol: 'ICMP', ipVersion: 6 }, path: 'protocol' },
  { name: 'rule 4: notProtocol ICMPv6 with ipVersion 4', direction: 'egress', rule: { action: 'Allow', notProtocol: 'ICMPv6', ipVersion: 4 }, path: 'notProtocol' },
  {
    name: 'rule 5: IPv4 source and IPv6 destination',
    direction: 'ingress',
    rule: { action: 'Allow', source: { nets: ['10.0.0.0/8'] }, destination: { nets: ['fd00::/8'] } },
    path: 'destination.nets',
  },
  { name: 'rule 5: ipVersion 6 with an IPv4 net', direction: 'egress', rule: { action: 'Allow', ipVersion: 6, destination: { notNets: ['10.0.0.0/8'] } }, path: 'destination.notNets' },
  { name: 'rule 6: bare address', direction: 'ingress', rule: { action: 'Allow', source: { nets: ['10.0.0.1'] } }, path: 'source.nets[0]' },
  { name: 'rule 6: host bits', direction: 'egress', rule: { action: 'Allow', destination: { nets: ['10.0.0.0/8', '10.0.0.1/8'] } }, path: 'destination.nets[1]' },
  { name: 'rule 7: catch-all notNets', direction: 'ingress', rule: { action: 'Allow', source: { notNets: ['::/0'] } }, path: 'source.notNets[0]' },
  { name: 'rule 8: http on Deny', direction: 'ingress', rule: { action: 'Deny', http: { methods: ['GET'] } }, path: 'http' },
  { name: 'rule 8: http with UDP', direction: 'ingress', rule: { action: 'Allow', protocol: 'UDP', http: { paths: [{ prefix: '/' }] } }, path: 'http' },
  { name: 'rule 9: services with destination ports', direction: 'egress', rule: { action: 'Allow', protocol: 'TCP', destination: { services: { name: 'api', namespace: 'x' }, ports: [443] } }, path: 'destination.ports' },
  { name: 'services with selector', direction: 'ingress', rule: { action: 'Allow', source: { services: { name: 'api', namespace: 'x' }, selector: 'a == "b"' } }, path: 'source.selector' },
  { name: 'source.services in egress', direction: 'egress', rule: { action: 'Allow', source: { services: { name: 'api', namespace: 'x' } } }, path: 'source.services' },
  { name: 'destination.services in ingress', direction: 'ingress', rule: { action: 'Allow', destination: { services: { name: 'api', namespace: 'x' } } }, path: 'destination.services' },
  { name: 'http in egress', direction: 'egress', rule: { action: 'Allow', http: { methods: ['GET'] } }, path: 'http' },
  { name: 'GNP services without namespace', direction: 'ingress', rule: { action: 'Allow', source: { services: { name: 'api' } } }, path: 'source.services.namespace', globalOnly: true },
  { name: 'entity selector with global()', direction: 'egress', rule: { action: 'Allow', destination: { selector: 'global()' } }, path: 'destination.selector' },
  { name: 'namespaceSelector with global() and more', direction: 'ingress', rule: { action: 'Allow', source: { namespaceSelector: '!global()' } }, path: 'source.namespaceSelector' },
];

/** Inserts `violation.rule` at `index` (clamped) of its direction's rules. */
export function withViolation<T extends { spec: Loose }>(doc: T, violation: Violation, index: number): { doc: T; path: string } {
  const spec = { ...doc.spec };
  const rules = Array.isArray(spec[violation.direction]) ? [...(spec[violation.direction] as unknown[])] : [];
  const at = Math.min(index, rules.length);
  rules.splice(at, 0, violation.rule);
  spec[violation.direction] = rules;
  // Explicit types keep defaulting from turning the new rules into a preDNAT Egress problem.
  if (spec.preDNAT === true && violation.direction === 'egress') {
    delete spec.preDNAT;
    delete spec.applyOnForward;
  }
  return { doc: { ...doc, spec }, path: `spec.${violation.direction}[${at}].${violation.path}` };
}
