import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../src/errors.js';
import { applyDefaults } from '../../../src/model/defaults.js';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import type { WorkloadEndpoint } from '../../../src/model/types.generated.js';
import { validate } from '../../../src/model/validate.js';
import {
  applyWorkloadEndpointDefaults,
  checkWorkloadEndpoint,
  checkWorkloadEndpointUpdate,
  LABEL_NAMESPACE,
  LABEL_ORCHESTRATOR,
  parseDSCP,
} from '../../../src/model/workload-endpoint.js';

const BASE_SPEC = { orchestrator: 'k8s', node: 'worker-1', pod: 'cart-7f9', endpoint: 'eth0', interfaceName: 'cali1a2b3c4d5e6' };

function wep(spec: Record<string, unknown>, metadata: Record<string, unknown> = { namespace: 'shop' }): WorkloadEndpoint {
  return { apiVersion: 'projectcalico.org/v3', kind: 'WorkloadEndpoint', metadata, spec } as unknown as WorkloadEndpoint;
}

function withSpec(extra: Record<string, unknown>, metadata?: Record<string, unknown>): WorkloadEndpoint {
  return wep({ ...BASE_SPEC, ...extra }, metadata);
}

function checkErrors(w: WorkloadEndpoint): FieldError[] {
  const { errors, report } = collectFieldErrors();
  checkWorkloadEndpoint(applyWorkloadEndpointDefaults(w), report);
  return errors;
}

function pipeline(w: WorkloadEndpoint): { valid: boolean; errors: FieldError[]; stored: WorkloadEndpoint } {
  const stored = applyDefaults(w);
  return { ...validate(stored), stored };
}

function paths(errors: readonly FieldError[]): string[] {
  return [...new Set(errors.map((e) => e.path))].sort();
}

/** The rule holds in the semantic check and through validate(), at exactly these paths. */
function expectRejected(w: WorkloadEndpoint, ...expected: string[]): void {
  expect(paths(checkErrors(w))).toEqual([...expected].sort());
  expect(paths(pipeline(w).errors)).toEqual([...expected].sort());
}

function expectAccepted(w: WorkloadEndpoint): void {
  expect(checkErrors(w)).toEqual([]);
  expect(pipeline(w).errors).toEqual([]);
}

describe('the §8.5 example', () => {
  it('is stored under the computed name with the owned labels', () => {
    const input = wep(
      { ...BASE_SPEC, ipNetworks: ['10.244.3.17/32'], profiles: ['kns.shop'], ports: [{ name: 'http', protocol: 'TCP', port: 8080 }] },
      { namespace: 'shop', labels: { app: 'cart' } },
    );
    const before = structuredClone(input);
    const result = pipeline(input);
    expect(result.errors).toEqual([]);
    expect(result.stored.metadata).toEqual({
      name: 'worker--1-k8s-cart--7f9-eth0',
      namespace: 'shop',
      labels: { app: 'cart', [LABEL_NAMESPACE]: 'shop', [LABEL_ORCHESTRATOR]: 'k8s' },
    });
    expect(result.stored.spec).toEqual(input.spec);
    expect(input).toEqual(before);
  });
});

describe('applyWorkloadEndpointDefaults (model.md §8.3)', () => {
  it('overwrites the owned labels whatever the caller sent', () => {
    const out = applyWorkloadEndpointDefaults(withSpec({}, { namespace: 'shop', labels: { [LABEL_NAMESPACE]: 'other', [LABEL_ORCHESTRATOR]: 'cni', keep: 'me' } }));
    expect(out.metadata.labels).toEqual({ [LABEL_NAMESPACE]: 'shop', [LABEL_ORCHESTRATOR]: 'k8s', keep: 'me' });
  });

  it('keeps a supplied name and leaves an uncomputable name empty', () => {
    expect(applyWorkloadEndpointDefaults(withSpec({}, { namespace: 'shop', name: 'x' })).metadata.name).toBe('x');
    expect(applyWorkloadEndpointDefaults(wep({ orchestrator: 'k8s', node: 'n' })).metadata.name).toBeUndefined();
  });

  it('writes number-or-string values in their JSON form', () => {
    const out = applyWorkloadEndpointDefaults(withSpec({ ports: [{ name: 'dns', protocol: '17', port: 53 }, { name: 'x', protocol: 'SCTP', port: 9 }], qosControls: { dscp: 'af11' } }));
    expect(out.spec.ports?.map((p) => p.protocol)).toEqual([17, 'SCTP']);
    expect(out.spec.qosControls?.dscp).toBe('AF11');
    expect(applyWorkloadEndpointDefaults(withSpec({ qosControls: { dscp: '46' } })).spec.qosControls?.dscp).toBe(46);
  });

  it('is idempotent and pure', () => {
    const input = withSpec({ ports: [{ name: 'dns', protocol: '17', port: 53 }] }, { namespace: 'shop', labels: { [LABEL_NAMESPACE]: 'x' } });
    const before = structuredClone(input);
    const once = applyWorkloadEndpointDefaults(input);
    expect(applyWorkloadEndpointDefaults(once)).toEqual(once);
    expect(input).toEqual(before);
  });
});

describe('identifiers and name (model.md §8.2, §13)', () => {
  it.each(['node', 'orchestrator', 'endpoint'])('a missing %s is an error at spec.%s', (field) => {
    const spec: Record<string, unknown> = { ...BASE_SPEC };
    delete spec[field];
    expectRejected(wep(spec), `spec.${field}`);
  });

  it('needs the orchestrator-specific identifier', () => {
    const noIds = { node: 'n1', endpoint: 'eth0', interfaceName: 'tap0' };
    expectRejected(wep({ ...noIds, orchestrator: 'k8s' }), 'spec.pod');
    expectRejected(wep({ ...noIds, orchestrator: 'cni' }), 'spec.containerID');
    expectRejected(wep({ ...noIds, orchestrator: 'openstack' }), 'spec.workload');
    expectAccepted(wep({ ...noIds, orchestrator: 'libnetwork' }));
    expect(pipeline(wep({ ...noIds, orchestrator: 'libnetwork' })).stored.metadata.name).toBe('n1-libnetwork-libnetwork-eth0');
  });

  it('computes a-b / c-d / eth0 as a--b-k8s-c--d-eth0', () => {
    expect(pipeline(wep({ ...BASE_SPEC, node: 'a-b', pod: 'c-d' })).stored.metadata.name).toBe('a--b-k8s-c--d-eth0');
  });

  it.each([
    ['node', '-n'],
    ['pod', 'p-'],
  ])('rejects %s %j (starts or ends with "-")', (field, value) => {
    const errors = checkErrors(withSpec({ [field]: value }));
    expect(paths(errors)).toEqual([`spec.${field}`]);
    expect(pipeline(withSpec({ [field]: value })).valid).toBe(false);
  });

  it('rejects a containerID with a dash at either end', () => {
    expectRejected(wep({ orchestrator: 'cni', node: 'n', containerID: 'abc-', endpoint: 'eth0', interfaceName: 'x' }), 'spec.containerID');
  });

  it('rejects a supplied name that differs from the computed one, stating the expected name', () => {
    const w = withSpec({}, { namespace: 'shop', name: 'worker-1-k8s-cart-7f9-eth0' });
    expectRejected(w, 'metadata.name');
    expect(checkErrors(w)[0]?.message).toContain('worker--1-k8s-cart--7f9-eth0');
    expectAccepted(withSpec({}, { namespace: 'shop', name: 'worker--1-k8s-cart--7f9-eth0' }));
  });

  it('rejects identifiers not in the name format', () => {
    // The name computed from an upper-case pod name is itself invalid: both are reported.
    expect(paths(checkErrors(withSpec({ pod: 'Cart' })))).toEqual(['spec.pod']);
    expect(paths(pipeline(withSpec({ pod: 'Cart' })).errors)).toEqual(['metadata.name', 'spec.pod']);
    expectRejected(withSpec({ serviceAccountName: 'SA' }), 'spec.serviceAccountName');
    expectRejected(withSpec({ profiles: ['kns.shop', 'Bad_Profile'] }), 'spec.profiles[1]');
  });

  it('accepts an upper-case containerID but the computed name then fails the name rule', () => {
    const w = wep({ orchestrator: 'cni', node: 'n', containerID: 'ABC123', endpoint: 'eth0', interfaceName: 'x' });
    expect(checkErrors(w)).toEqual([]);
    expect(paths(pipeline(w).errors)).toEqual(['metadata.name']);
  });

  it('needs a namespace (metadata rule)', () => {
    expect(paths(pipeline(withSpec({}, {})).errors)).toEqual(['metadata.namespace']);
  });
});

describe('interfaceName', () => {
  it.each([
    ['', 'required'],
    ['abcdefghijklmnop', 'invalid'],
    ['cali 1', 'invalid'],
  ])('rejects %j', (interfaceName, type) => {
    expectRejected(withSpec({ interfaceName }), 'spec.interfaceName');
    expect(checkErrors(withSpec({ interfaceName }))[0]?.type).toBe(type);
  });

  it('requires it', () => {
    const spec: Record<string, unknown> = { ...BASE_SPEC };
    delete spec.interfaceName;
    expectRejected(wep(spec), 'spec.interfaceName');
  });

  it.each(['*', 'abcdefghijklmno', 'tap_1.2-3', 'CALI0'])('accepts %j', (interfaceName) => {
    expectAccepted(withSpec({ interfaceName }));
  });
});

describe('addresses', () => {
  it('takes single addresses in ipNetworks', () => {
    expectAccepted(withSpec({ ipNetworks: ['10.0.0.1', '10.0.0.2/32', 'fd00::1/128', 'fd00::2'] }));
    expectRejected(withSpec({ ipNetworks: ['10.0.0.1', '10.0.0.0/24'] }), 'spec.ipNetworks[1]');
    expect(checkErrors(withSpec({ ipNetworks: ['10.0.0.0/24'] }))[0]?.message).toContain('multiple addresses');
    expectRejected(withSpec({ ipNetworks: ['10.0.0.1/24'] }), 'spec.ipNetworks[0]');
    expectRejected(withSpec({ ipNetworks: ['garbage'] }), 'spec.ipNetworks[0]');
  });

  it('needs each NAT inside ipNetworks and of one family', () => {
    const ipNetworks = ['10.0.0.1/32', 'fd00::1'];
    expectAccepted(withSpec({ ipNetworks, ipNATs: [{ internalIP: '10.0.0.1', externalIP: '172.16.0.1' }, { internalIP: 'fd00::1', externalIP: 'fd01::1' }] }));
    expectRejected(withSpec({ ipNetworks, ipNATs: [{ internalIP: '10.0.0.1', externalIP: '172.16.0.1' }, { internalIP: '10.0.0.2', externalIP: '172.16.0.2' }] }), 'spec.ipNATs[1].internalIP');
    expectRejected(withSpec({ ipNetworks, ipNATs: [{ internalIP: '10.0.0.1', externalIP: 'fd01::1' }] }), 'spec.ipNATs[0].externalIP');
    expectRejected(withSpec({ ipNATs: [{ internalIP: '10.0.0.1', externalIP: '172.16.0.1' }] }), 'spec.ipNATs[0].internalIP');
    expectRejected(withSpec({ ipNetworks, ipNATs: [{ internalIP: '10.0.0.1/32', externalIP: '172.16.0.1' }] }), 'spec.ipNATs[0].internalIP');
  });

  it('checks the gateways by family', () => {
    expectRejected(withSpec({ ipv4Gateway: 'fd00::1' }), 'spec.ipv4Gateway');
    expectRejected(withSpec({ ipv6Gateway: '10.0.0.1' }), 'spec.ipv6Gateway');
    expectAccepted(withSpec({ ipv4Gateway: '169.254.1.1', ipv6Gateway: 'fe80::1' }));
  });

  it('checks the MAC and spoofing prefixes', () => {
    expectRejected(withSpec({ mac: 'zz:00:00:00:00:00' }), 'spec.mac');
    expectAccepted(withSpec({ mac: 'ee:ee:ee:ee:ee:ee', allowSpoofedSourcePrefixes: ['10.0.0.1/8', 'fd00::/64', '192.168.0.1'] }));
    expectRejected(withSpec({ allowSpoofedSourcePrefixes: ['10.0.0.0/8', 'nope'] }), 'spec.allowSpoofedSourcePrefixes[1]');
  });
});

describe('ports', () => {
  it('accepts named ports and host-port mappings', () => {
    expectAccepted(withSpec({ ports: [{ name: 'http', protocol: 'TCP', port: 8080 }, { protocol: 'UDP', port: 53, hostPort: 5353, hostIP: '10.0.0.1' }, { name: 'x', protocol: 132, port: 1 }] }));
  });

  it.each([
    [{ protocol: 'TCP', port: 80 }, 'spec.ports[0].name'],
    [{ name: '', protocol: 'TCP', port: 80, hostPort: 0 }, 'spec.ports[0].name'],
    [{ name: 'http', protocol: 'TCP', port: 0 }, 'spec.ports[0].port'],
    [{ name: 'http', protocol: 'TCP', port: 65536 }, 'spec.ports[0].port'],
    [{ name: 'ping', protocol: 'ICMP', port: 80 }, 'spec.ports[0].protocol'],
    [{ name: 'lite', protocol: 'UDPLite', port: 80 }, 'spec.ports[0].protocol'],
    [{ name: 'HTTP', protocol: 'TCP', port: 80 }, 'spec.ports[0].name'],
    [{ name: 'http', protocol: 'TCP', port: 80, hostPort: 70000 }, 'spec.ports[0].hostPort'],
    [{ name: 'http', protocol: 'TCP', port: 80, hostIP: '10.0.0.1/24' }, 'spec.ports[0].hostIP'],
  ])('rejects %o at %s', (port, path) => {
    expectRejected(withSpec({ ports: [port] }), path);
  });

  it('rejects a port without protocol', () => {
    expect(paths(checkErrors(withSpec({ ports: [{ name: 'http', port: 80 }] })))).toEqual(['spec.ports[0].protocol']);
    expect(pipeline(withSpec({ ports: [{ name: 'http', port: 80 }] })).valid).toBe(false);
  });
});

describe('qosControls', () => {
  it.each([0, 63, '10', 'EF', 'af41', 'cs6', 'DF'])('accepts dscp %j', (dscp) => {
    expectAccepted(withSpec({ qosControls: { dscp, ingressBandwidth: 1_000_000, egressPacketRate: 0 } }));
  });

  it.each([64, -1, 'AF44', 'XX', '64'])('rejects dscp %j', (dscp) => {
    expect(parseDSCP(dscp)).toBeUndefined();
    expectRejected(withSpec({ qosControls: { dscp } }), 'spec.qosControls.dscp');
  });
});

describe('checkWorkloadEndpointUpdate', () => {
  it('refuses a change of the identifiers that make up the name', () => {
    const stored = applyWorkloadEndpointDefaults(withSpec({}));
    expect(checkWorkloadEndpointUpdate(applyWorkloadEndpointDefaults(withSpec({ ipNetworks: ['10.0.0.1'] })), stored)).toEqual([]);
    expect(checkWorkloadEndpointUpdate(withSpec({ pod: 'other' }), stored)).toEqual([expect.objectContaining({ path: 'spec.pod', type: 'immutable' })]);
    expect(checkWorkloadEndpointUpdate(withSpec({ node: 'n2', endpoint: 'eth1' }), stored).map((e) => e.path)).toEqual(['spec.node', 'spec.endpoint']);
    // Not part of a k8s name: may change.
    expect(checkWorkloadEndpointUpdate(withSpec({ workload: 'w' }), stored)).toEqual([]);
  });
});

describe('defensive', () => {
  it.each([
    { spec: null },
    { metadata: 'x', spec: { orchestrator: 1, ports: [null, { protocol: {} }], ipNATs: [null, { internalIP: 5 }], ipNetworks: [1], qosControls: [] } },
    { spec: { ports: 'x', ipNATs: {}, profiles: 'p', allowSpoofedSourcePrefixes: [null] } },
    null,
    7,
  ])('never throws on %j', (doc) => {
    const { report } = collectFieldErrors();
    expect(() => checkWorkloadEndpoint(doc as never, report)).not.toThrow();
    expect(() => applyWorkloadEndpointDefaults(doc)).not.toThrow();
  });
});

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/);
const name = fc.array(label, { minLength: 1, maxLength: 2 }).map((p) => p.join('.'));
const octet = fc.integer({ min: 0, max: 255 });

const validWep = fc
  .record({
    orchestrator: fc.constantFrom('k8s', 'cni', 'libnetwork', 'openstack'),
    node: name,
    id: name,
    endpoint: name,
    namespace: label,
    addresses: fc.uniqueArray(fc.tuple(octet, octet), { minLength: 0, maxLength: 3, selector: ([a, b]) => `${a}.${b}` }),
    natCount: fc.integer({ min: 0, max: 3 }),
    labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/), { maxKeys: 3 }),
    ports: fc.array(fc.record({ name: fc.constantFrom('http', 'dns', 'metrics'), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 6, 17, '132'), port: fc.integer({ min: 1, max: 65535 }) }), {
      maxLength: 3,
    }),
  })
  .map((r) => {
    const spec: Record<string, unknown> = { orchestrator: r.orchestrator, node: r.node, endpoint: r.endpoint, interfaceName: 'cali0' };
    if (r.orchestrator === 'k8s') spec.pod = r.id;
    if (r.orchestrator === 'cni') spec.containerID = r.id.replaceAll('.', 'x');
    if (r.orchestrator === 'openstack') spec.workload = r.id;
    const ips = r.addresses.map(([a, b]) => `10.${a}.${b}.1`);
    if (ips.length > 0) spec.ipNetworks = ips.map((ip) => `${ip}/32`);
    const nats = ips.slice(0, r.natCount).map((ip, i) => ({ internalIP: ip, externalIP: `172.16.0.${i + 1}` }));
    if (nats.length > 0) spec.ipNATs = nats;
    if (r.ports.length > 0) spec.ports = r.ports;
    return wep(spec, { namespace: r.namespace, labels: { ...r.labels, [LABEL_NAMESPACE]: 'stale', [LABEL_ORCHESTRATOR]: 'stale' } });
  });

describe('WorkloadEndpoint properties', () => {
  it('random valid endpoints pass validate(applyDefaults(doc)) with owned labels and a computed name', () => {
    fc.assert(
      fc.property(validWep, (w) => {
        const result = pipeline(w);
        expect(result.errors).toEqual([]);
        expect(result.stored.metadata.labels?.[LABEL_NAMESPACE]).toBe(w.metadata.namespace);
        expect(result.stored.metadata.labels?.[LABEL_ORCHESTRATOR]).toBe(w.spec.orchestrator);
        expect(result.stored.metadata.name).not.toBe('');
      }),
      { numRuns: 1000 },
    );
  });

  it('defaults are idempotent and validating a stored endpoint again passes', () => {
    fc.assert(
      fc.property(validWep, (w) => {
        const once = applyDefaults(w);
        const twice = applyDefaults(once);
        expect(twice).toEqual(once);
        expect(validate(twice).errors).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('an ipNATs entry outside ipNetworks is always reported at its internalIP', () => {
    fc.assert(
      fc.property(validWep, octet, (w, x) => {
        const spec = { ...w.spec, ipNATs: [...(w.spec.ipNATs ?? []), { internalIP: `192.168.${x}.9`, externalIP: '172.16.1.1' }] };
        const index = spec.ipNATs.length - 1;
        expect(paths(pipeline({ ...w, spec }).errors)).toEqual([`spec.ipNATs[${index}].internalIP`]);
      }),
      { numRuns: 300 },
    );
  });
});
