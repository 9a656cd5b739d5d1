/**
 * serializeResource(): Go omitempty normalisation and canonical number-or-string forms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../src/model/defaults.js';
import { serializeResource, serializeResourceJSON } from '../../../src/model/serialize.js';
import { validate } from '../../../src/model/validate.js';
import { API, anyValidDocArb } from './fixtures.js';

describe('serializeResource', () => {
  it('drops empty strings, false, empty lists, empty objects and nulls', () => {
    const out = serializeResource({
      apiVersion: API,
      kind: 'IPPool',
      metadata: { name: 'p', namespace: '', labels: {}, annotations: {}, finalizers: [] },
      spec: { cidr: '10.0.0.0/16', natOutgoing: false, disabled: true, nodeSelector: '', allowedUses: [], ipipMode: '' },
      status: {},
    });
    expect(out).toEqual({ apiVersion: API, kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', disabled: true } });
    expect(Object.keys(out)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('drops zero only where Go does: blockSize and QoS counters, not order, ICMP type/code or hostPort', () => {
    const pool = serializeResource({ apiVersion: API, kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', blockSize: 0 } });
    expect(pool.spec).toEqual({ cidr: '10.0.0.0/16' });
    const policy = serializeResource({
      apiVersion: API,
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'g' },
      spec: { order: 0, ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 0, code: 0 }, notICMP: { type: 0 } }] },
    });
    expect(policy.spec).toEqual({ order: 0, ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 0, code: 0 }, notICMP: { type: 0 } }] });
    const tier = serializeResource({ apiVersion: API, kind: 'Tier', metadata: { name: 't' }, spec: { order: 0 } });
    expect(tier.spec).toEqual({ order: 0 });
    const wep = serializeResource({
      apiVersion: API,
      kind: 'WorkloadEndpoint',
      metadata: { name: 'w', namespace: 'n' },
      spec: { orchestrator: 'k8s', node: 'n', pod: 'p', endpoint: 'e', interfaceName: 'i', ports: [{ name: 'h', protocol: 'TCP', port: 80, hostPort: 0 }], qosControls: { ingressBandwidth: 0, egressBurst: 0, dscp: 0 } },
    });
    // hostPort has no omitempty in Go: a 0 that is present stays.
    expect(wep.spec.ports).toEqual([{ name: 'h', protocol: 'TCP', port: 80, hostPort: 0 }]);
    expect(wep.spec.qosControls).toEqual({ dscp: 0 });
  });

  it('omits an empty source or destination, also after emptying its parts', () => {
    const out = serializeResource({
      apiVersion: API,
      kind: 'NetworkPolicy',
      metadata: { name: 'a', namespace: 'b' },
      spec: { ingress: [{ action: 'Deny', source: {}, destination: { nets: [], selector: '', serviceAccounts: { names: [] } } }] },
    });
    expect(out.spec.ingress).toEqual([{ action: 'Deny' }]);
  });

  it('keeps label and annotation entries, even empty values, and unknown fields as they are', () => {
    const out = serializeResource({
      apiVersion: API,
      kind: 'Node',
      metadata: { name: 'n', labels: { flag: '' }, annotations: { note: '' } },
      spec: { futureField: { enabled: false, items: [] } },
      extra: '',
    } as never) as unknown as Record<string, Record<string, unknown>>;
    expect(out.metadata).toEqual({ name: 'n', labels: { flag: '' }, annotations: { note: '' } });
    expect(out.spec).toEqual({ futureField: { enabled: false, items: [] } });
    expect(out.extra).toBe('');
  });

  it('writes protocols, ports and AS numbers in canonical form', () => {
    const policy = serializeResource({
      apiVersion: API,
      kind: 'NetworkPolicy',
      metadata: { name: 'a', namespace: 'b' },
      spec: { ingress: [{ action: 'Allow', protocol: '6', notProtocol: 'UDP', destination: { ports: ['80:80', '80', 443, '1:2', 'http'], notPorts: ['0:10'] } }] },
    });
    expect(policy.spec.ingress).toEqual([{ action: 'Allow', protocol: 6, notProtocol: 'UDP', destination: { ports: [80, 80, 443, '1:2', 'http'], notPorts: ['0:10'] } }]);
    const node = serializeResource({ apiVersion: API, kind: 'Node', metadata: { name: 'n' }, spec: { bgp: { asNumber: '1.10' } } });
    expect(node.spec?.bgp?.asNumber).toBe(65546);
  });

  it('keeps spec even when empty, copies unknown kinds, never touches its input', () => {
    const node = { apiVersion: API, kind: 'Node', metadata: { name: 'n' }, spec: {} } as const;
    expect(serializeResource(node)).toEqual(node);
    const other = { apiVersion: API, kind: 'BGPPeer', metadata: { name: 'x' }, spec: { a: '' } };
    expect(serializeResource(other)).toEqual(other);
    expect(serializeResource(other)).not.toBe(other);
    const input = { apiVersion: API, kind: 'Tier', metadata: { name: 't', labels: {} }, spec: { order: 1 } };
    const before = structuredClone(input);
    serializeResource(input);
    expect(input).toEqual(before);
  });

  it('is byte-stable: serialise → parse → serialise gives the same JSON, which still validates (property)', () => {
    fc.assert(
      fc.property(anyValidDocArb, (doc) => {
        const stored = applyDefaults(doc);
        const first = serializeResourceJSON(stored);
        const second = serializeResourceJSON(JSON.parse(first));
        expect(second).toBe(first);
        expect(validate(JSON.parse(first)).errors).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });
});
