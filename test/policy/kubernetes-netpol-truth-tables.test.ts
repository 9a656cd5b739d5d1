/**
 * Kubernetes NetworkPolicy semantics against the truth tables of Kubernetes' e2e network-policy
 * suite (kubernetes test/e2e/network/netpol/network_policy.go): namespaces x, y, z, each with pods
 * a, b, c labelled `pod=<name>`, namespaces labelled `ns=<name>` and
 * `kubernetes.io/metadata.name=<name>`, servers on ports 80 and 81 (TCP and UDP) with named ports
 * `serve-<port>-<proto>`. Each case writes the upstream policy, converts it with the library's
 * Kubernetes conversion, and checks every cell of the 9 × 9 reachability matrix.
 */
import { describe, expect, it } from 'vitest';
import { createPolicyView, explainFlow, type AnyResource } from '../../src/policy/index.js';
import { pod } from './builders.js';

const NAMESPACES = ['x', 'y', 'z'] as const;
const PODS = ['a', 'b', 'c'] as const;
type Ns = (typeof NAMESPACES)[number];
type PodName = (typeof PODS)[number];
interface Peer {
  ns: Ns;
  pod: PodName;
}
const ALL: Peer[] = NAMESPACES.flatMap((ns) => PODS.map((p) => ({ ns, pod: p })));
const ipOf = (p: Peer): string => `10.0.${NAMESPACES.indexOf(p.ns) + 1}.${PODS.indexOf(p.pod) + 1}`;

const cluster: AnyResource[] = [
  ...NAMESPACES.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { ns: n, 'kubernetes.io/metadata.name': n } } })),
  ...ALL.map((p) =>
    pod(p.ns, p.pod, {
      labels: { pod: p.pod },
      ip: ipOf(p),
      ports: [80, 81].flatMap((port) => ['TCP', 'UDP'].map((protocol) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, protocol, port }))),
    }),
  ),
];

function knp(namespace: string, name: string, spec: Record<string, unknown>): AnyResource {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

interface Case {
  name: string;
  policies: AnyResource[];
  port?: number;
  protocol?: string;
  expect: (from: Peer, to: Peer) => boolean;
}

const is = (p: Peer, ns: Ns, name?: PodName): boolean => p.ns === ns && (name === undefined || p.pod === name);
const podA = { matchLabels: { pod: 'a' } };
const nsY = { matchLabels: { ns: 'y' } };
const notInX = { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] };
const cidr = (p: Peer): string => `${ipOf(p)}/32`;

const CASES: Case[] = [
  { name: "should support a 'default-deny-ingress' policy", policies: [knp('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })], expect: (_f, t) => !is(t, 'x') },
  { name: "should support a 'default-deny-all' policy", policies: [knp('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })], expect: (f, t) => !is(f, 'x') && !is(t, 'x') },
  { name: 'should support allow-all policy', policies: [knp('x', 'allow-all', { podSelector: {}, ingress: [{}] })], expect: () => true },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    policies: [knp('x', 'x-a-allows-x-b', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || is(f, 'x', 'b'),
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    policies: [knp('x', 'allow-client-a-via-ns-selector', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: nsY }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || is(f, 'y'),
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    policies: [knp('x', 'allow-b', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || is(f, 'x', 'b'),
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    policies: [knp('x', 'allow-not-x', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: notInX }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || !is(f, 'x'),
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    policies: [knp('x', 'or', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: notInX }, { podSelector: { matchLabels: { pod: 'b' } } }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || !is(f, 'x') || is(f, 'x', 'b'),
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    policies: [knp('x', 'and', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: notInX, podSelector: { matchLabels: { pod: 'b' } } }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || (f.ns !== 'x' && f.pod === 'b'),
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    policies: [knp('x', 'multi', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: notInX, podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || (f.ns !== 'x' && f.pod !== 'a'),
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    policies: [knp('x', 'y-a', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: nsY, podSelector: podA }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || is(f, 'y', 'a'),
  },
  {
    name: 'should enforce policy based on Ports (port 80 closed)',
    policies: [knp('x', 'port-81', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: nsY }], ports: [{ port: 81, protocol: 'TCP' }] }] })],
    port: 80,
    expect: (_f, t) => !is(t, 'x', 'a'),
  },
  {
    name: 'should enforce policy based on Ports (port 81 open from y)',
    policies: [knp('x', 'port-81', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: nsY }], ports: [{ port: 81, protocol: 'TCP' }] }] })],
    port: 81,
    expect: (f, t) => !is(t, 'x', 'a') || is(f, 'y'),
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors',
    policies: [
      knp('x', 'port-81', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: nsY }], ports: [{ port: 81, protocol: 'TCP' }] }] }),
      knp('x', 'port-80', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: nsY }], ports: [{ port: 80, protocol: 'TCP' }] }] }),
    ],
    port: 80,
    expect: (f, t) => !is(t, 'x', 'a') || is(f, 'y'),
  },
  {
    name: 'should allow ingress access on one named port (81 open)',
    policies: [knp('x', 'named-81', { podSelector: podA, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })],
    port: 81,
    expect: () => true,
  },
  {
    name: 'should allow ingress access on one named port (80 closed)',
    policies: [knp('x', 'named-81', { podSelector: podA, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })],
    port: 80,
    expect: (_f, t) => !is(t, 'x', 'a'),
  },
  {
    name: 'should allow ingress access from namespace on one named port',
    policies: [knp('x', 'ns-named-80', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: nsY }], ports: [{ port: 'serve-80-tcp' }] }] })],
    port: 80,
    expect: (f, t) => !is(t, 'x', 'a') || is(f, 'y'),
  },
  {
    name: 'should allow egress access on one named port',
    policies: [knp('x', 'egress-named-80', { podSelector: podA, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })],
    port: 81,
    expect: (f) => !is(f, 'x', 'a'),
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    policies: [knp('x', 'to-y-a', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: nsY, podSelector: podA }] }] })],
    expect: (f, t) => !is(f, 'x', 'a') || is(t, 'y', 'a'),
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol (TCP policy, UDP traffic)',
    policies: [knp('x', 'tcp-any', { podSelector: podA, ingress: [{ ports: [{ protocol: 'TCP' }] }] })],
    protocol: 'UDP',
    expect: (_f, t) => !is(t, 'x', 'a'),
  },
  {
    name: 'should not allow access by TCP when a policy specifies only UDP',
    policies: [knp('x', 'udp-81', { podSelector: podA, ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] })],
    port: 81,
    expect: (_f, t) => !is(t, 'x', 'a'),
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    policies: [knp('x', 'only-80', { podSelector: podA, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] }), knp('x', 'allow-all', { podSelector: {}, ingress: [{}] })],
    port: 81,
    expect: () => true,
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence',
    policies: [knp('x', 'only-80', { podSelector: podA, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] }), knp('x', 'allow-all', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })],
    port: 81,
    expect: () => true,
  },
  {
    name: 'should allow egress access to server in CIDR block',
    policies: [knp('x', 'to-y-b', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: cidr({ ns: 'y', pod: 'b' }) } }] }] })],
    expect: (f, t) => !is(f, 'x', 'a') || is(t, 'y', 'b'),
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    policies: [knp('x', 'except-x-b', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: [cidr({ ns: 'x', pod: 'b' })] } }] }] })],
    expect: (f, t) => !is(f, 'x', 'a') || !is(t, 'x', 'b'),
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed',
    policies: [
      knp('x', 'except-x-b', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: [cidr({ ns: 'x', pod: 'b' })] } }] }] }),
      knp('x', 'allow-x-b', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: cidr({ ns: 'x', pod: 'b' }) } }] }] }),
    ],
    expect: () => true,
  },
  {
    name: 'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    policies: [knp('x', 'default-ns-label', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] })],
    expect: (f, t) => !is(t, 'x', 'a') || is(f, 'y'),
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    policies: [
      knp('x', 'x-a-egress-to-y', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: nsY }] }] }),
      knp('y', 'y-a-from-x-a', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'x' } }, podSelector: podA }] }] }),
      knp('z', 'z-a-from-x-a', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'x' } }, podSelector: podA }] }] }),
    ],
    expect: (f, t) => (!is(f, 'x', 'a') || is(t, 'y')) && (!is(t, 'y', 'a') || is(f, 'x', 'a')) && (!is(t, 'z', 'a') || is(f, 'x', 'a')),
  },
  {
    name: 'should work with Ingress, Egress specified together',
    policies: [knp('x', 'both', { podSelector: podA, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }], egress: [{ to: [{ namespaceSelector: nsY }] }] })],
    expect: (f, t) => (!is(t, 'x', 'a') || is(f, 'x', 'b')) && (!is(f, 'x', 'a') || is(t, 'y')),
  },
];

describe('Kubernetes NetworkPolicy truth tables (kubernetes test/e2e/network/netpol)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const view = createPolicyView([...cluster, ...c.policies]);
      const got: string[] = [];
      const want: string[] = [];
      for (const from of ALL) {
        for (const to of ALL) {
          const v = explainFlow(view, { source: `${from.ns}/${from.pod}`, destination: `${to.ns}/${to.pod}`, protocol: c.protocol ?? 'TCP', port: c.port ?? 80 }).verdict;
          got.push(`${from.ns}/${from.pod}->${to.ns}/${to.pod}:${v}`);
          want.push(`${from.ns}/${from.pod}->${to.ns}/${to.pod}:${c.expect(from, to) ? 'allow' : 'deny'}`);
        }
      }
      expect(got).toEqual(want);
    });
  }
});
