/**
 * Kubernetes NetworkPolicy → Calico NetworkPolicy, per the tables of backends spec §3.6.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeNetworkPolicy, KubeNetworkPolicyPeer, KubeNetworkPolicyPort } from '../../../src/backends/k8s/kube-types.js';
import { kubeNetworkPolicyToCalico, kubeSelectorToCalico } from '../../../src/backends/k8s/network-policy-conversion.js';
import { convertUID } from '../../../src/backends/k8s/uid.js';
import { isParseError } from '../../../src/errors.js';
import { parseSelector } from '../../../src/model/selector/index.js';
import { validate } from '../../../src/model/validate.js';

const ORCH = "projectcalico.org/orchestrator == 'k8s'";
const UID = '0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b';

function knp(spec: KubeNetworkPolicy['spec'], name = 'allow-web'): KubeNetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop', uid: UID, resourceVersion: '77', creationTimestamp: '2025-03-01T09:00:00Z' },
    spec,
  };
}

const ingressRules = (from: KubeNetworkPolicyPeer[] | undefined, ports?: KubeNetworkPolicyPort[]) =>
  kubeNetworkPolicyToCalico(knp({ podSelector: {}, ingress: [{ ...(from ? { from } : {}), ...(ports ? { ports } : {}) }] })).spec.ingress;

describe('metadata and spec', () => {
  it('an empty pod selector with policyTypes [Egress] and no rules (spec §7 invariant, legacy name)', () => {
    const np = kubeNetworkPolicyToCalico(knp({ podSelector: {}, policyTypes: ['Egress'] }), { legacyName: true });
    expect(np).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'knp.default.allow-web',
        namespace: 'shop',
        uid: convertUID(UID),
        creationTimestamp: '2025-03-01T09:00:00Z',
        resourceVersion: '77',
        labels: { 'projectcalico.org/tier': 'default' },
      },
      spec: { tier: 'default', order: 1000, selector: ORCH, types: ['Egress'] },
    });
  });

  it('keeps the Kubernetes name by default (current Calico)', () => {
    expect(kubeNetworkPolicyToCalico(knp({ podSelector: {} })).metadata.name).toBe('allow-web');
  });

  it.each<[string[] | undefined, string[]]>([
    [undefined, ['Ingress']],
    [[], ['Ingress']],
    [['Ingress'], ['Ingress']],
    [['Egress'], ['Egress']],
    [['Egress', 'Ingress'], ['Ingress', 'Egress']],
  ])('policyTypes %j → types %j', (policyTypes, types) => {
    expect(kubeNetworkPolicyToCalico(knp({ podSelector: {}, ...(policyTypes ? { policyTypes } : {}) })).spec.types).toEqual(types);
  });

  it('rejects a uid that is not a UUID', () => {
    let caught: unknown;
    try {
      kubeNetworkPolicyToCalico({ ...knp({}), metadata: { name: 'x', namespace: 'shop', uid: 'nope' } });
    } catch (e) {
      caught = e;
    }
    expect(isParseError(caught)).toBe(true);
  });
});

describe('selectors', () => {
  it.each<[Parameters<typeof kubeSelectorToCalico>[0], 'pod' | 'namespace', string]>([
    [{ matchLabels: { tier: 'fe', app: 'web' } }, 'pod', `${ORCH} && app == 'web' && tier == 'fe'`],
    [{}, 'pod', ORCH],
    [undefined, 'pod', ORCH],
    [null, 'pod', ORCH],
    [{}, 'namespace', 'all()'],
    [undefined, 'namespace', ''],
    [{ matchLabels: { team: 'a' } }, 'namespace', "team == 'a'"],
    [
      {
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'staging'] },
          { key: 'tier', operator: 'NotIn', values: ['db'] },
          { key: 'canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      'pod',
      `${ORCH} && env in { 'prod', 'staging' } && tier not in { 'db' } && has(canary) && ! has(legacy)`,
    ],
  ])('%j as %s selector', (selector, type, expected) => {
    expect(kubeSelectorToCalico(selector, type)).toBe(expected);
  });
});

describe('rules', () => {
  it('no peers and no ports: one allow-all rule', () => {
    expect(ingressRules(undefined)).toEqual([{ action: 'Allow' }]);
  });

  it('peers become sources; ports become destination ports per protocol', () => {
    expect(
      ingressRules(
        [{ podSelector: { matchLabels: { app: 'db' } } }, { namespaceSelector: {} }, { podSelector: {}, namespaceSelector: { matchLabels: { team: 'a' } } }],
        [{ port: 5432 }],
      ),
    ).toEqual([
      { action: 'Allow', protocol: 'TCP', source: { selector: `${ORCH} && app == 'db'` }, destination: { ports: [5432] } },
      { action: 'Allow', protocol: 'TCP', source: { selector: ORCH, namespaceSelector: 'all()' }, destination: { ports: [5432] } },
      { action: 'Allow', protocol: 'TCP', source: { selector: ORCH, namespaceSelector: "team == 'a'" }, destination: { ports: [5432] } },
    ]);
  });

  it('ipBlock peers become masked nets and notNets, with no selector', () => {
    expect(ingressRules([{ ipBlock: { cidr: '10.1.2.3/16', except: ['10.1.5.0/24', 'fd00::1/64'] } }])).toEqual([{ action: 'Allow', source: { nets: ['10.1.0.0/16'], notNets: ['10.1.5.0/24', 'fd00::/64'] } }]);
  });

  it('groups ports by protocol in ascending order, coalesces numeric ports, keeps all-port protocols', () => {
    expect(
      ingressRules(undefined, [
        { protocol: 'UDP', port: 53 },
        { port: 80 },
        { port: 'http' },
        { port: 81 },
        { port: 82, endPort: 85 },
        { port: 9090 },
        { protocol: 'SCTP' },
        { protocol: 'UDP', port: 54 },
      ]),
    ).toEqual([
      { action: 'Allow', protocol: 'SCTP' },
      { action: 'Allow', protocol: 'TCP', destination: { ports: ['http', '80:85', 9090] } },
      { action: 'Allow', protocol: 'UDP', destination: { ports: ['53:54'] } },
    ]);
  });

  it('keeps a single numeric port and a named port in the given order', () => {
    expect(ingressRules(undefined, [{ port: 8080 }, { port: 'metrics' }])).toEqual([{ action: 'Allow', protocol: 'TCP', destination: { ports: [8080, 'metrics'] } }]);
  });

  it('an all-ports entry for a protocol wins over its port list', () => {
    expect(ingressRules(undefined, [{ port: 80 }, { protocol: 'TCP' }, { port: 81 }])).toEqual([{ action: 'Allow', protocol: 'TCP' }]);
  });

  it('a port entry without port defaults to TCP, all ports (as Calico reads it)', () => {
    expect(ingressRules(undefined, [{}])).toEqual([{ action: 'Allow', protocol: 'TCP' }]);
  });

  it('one rule per protocol × peer, protocols outer', () => {
    const rules = ingressRules([{ podSelector: { matchLabels: { a: '1' } } }, { podSelector: { matchLabels: { b: '2' } } }], [{ port: 1, protocol: 'UDP' }, { port: 2 }]);
    expect(rules?.map((r) => `${String(r.protocol)} ${r.source?.selector ?? ''}`)).toEqual([`TCP ${ORCH} && a == '1'`, `TCP ${ORCH} && b == '2'`, `UDP ${ORCH} && a == '1'`, `UDP ${ORCH} && b == '2'`]);
  });

  it('egress rules put the peer and the ports in the destination', () => {
    const np = kubeNetworkPolicyToCalico(knp({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }, {}] }));
    expect(np.spec.egress).toEqual([{ action: 'Allow', protocol: 'TCP', destination: { nets: ['0.0.0.0/0'], ports: [443] } }, { action: 'Allow' }]);
    expect(np.spec.ingress).toBeUndefined();
  });

  it('drops a rule that cannot be converted, reports it, and keeps the others', () => {
    const warnings: string[] = [];
    const np = kubeNetworkPolicyToCalico(
      knp({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'not-a-cidr' } }] }, { ports: [{ port: 'Bad_Name' }] }, { ports: [{ port: 22 }] }] }),
      { onWarning: (m) => warnings.push(m) },
    );
    expect(np.spec.ingress).toEqual([{ action: 'Allow', protocol: 'TCP', destination: { ports: [22] } }]);
    expect(warnings).toEqual([
      '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/allow-web: dropped spec.ingress[0], which cannot be converted',
      '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/allow-web: dropped spec.ingress[1], which cannot be converted',
    ]);
  });
});

describe('property: conversions are valid Calico NetworkPolicies', () => {
  const key = fc.constantFrom('app', 'tier', 'example.com/team', 'env');
  const value = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const selector = fc.record(
    {
      matchLabels: fc.dictionary(key, value, { maxKeys: 3 }),
      matchExpressions: fc.array(
        fc.oneof(
          fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(value, { minLength: 1, maxLength: 3 }) }),
          fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
        ),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: [] },
  );
  const port = fc.record(
    { protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('http', 'dns', 'metrics')) },
    { requiredKeys: [] },
  );
  const peer = fc.oneof(
    fc.record({ podSelector: selector, namespaceSelector: selector }, { requiredKeys: [] }),
    fc.record({ ipBlock: fc.record({ cidr: fc.constantFrom('10.0.0.0/8', '192.168.1.7/24', 'fd00::/64') }) }),
  );
  const rule = fc.record({ peers: fc.array(peer, { maxLength: 3 }), ports: fc.array(port, { maxLength: 4 }) });

  it('every selector parses and the policy validates', () => {
    fc.assert(
      fc.property(selector, fc.array(rule, { maxLength: 3 }), fc.array(rule, { maxLength: 3 }), (podSelector, ingress, egress) => {
        const np = kubeNetworkPolicyToCalico(
          knp({
            podSelector,
            policyTypes: ['Ingress', 'Egress'],
            ingress: ingress.map((r) => ({ from: r.peers, ports: r.ports })),
            egress: egress.map((r) => ({ to: r.peers, ports: r.ports })),
          }),
        );
        expect(() => parseSelector(np.spec.selector ?? '')).not.toThrow();
        for (const r of [...(np.spec.ingress ?? []), ...(np.spec.egress ?? [])]) {
          for (const e of [r.source, r.destination]) {
            if (e?.selector) expect(() => parseSelector(e.selector as string)).not.toThrow();
            if (e?.namespaceSelector) expect(() => parseSelector(e.namespaceSelector as string)).not.toThrow();
          }
        }
        expect(validate(np).errors).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
