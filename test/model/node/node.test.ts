import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../src/errors.js';
import { applyDefaults } from '../../../src/model/defaults.js';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import { applyNodeDefaults, checkNode, isWireguardPublicKey } from '../../../src/model/node.js';
import type { Node } from '../../../src/model/types.generated.js';
import { validate } from '../../../src/model/validate.js';

function node(spec: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}, name = 'worker-1'): Node {
  return { apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name }, ...(spec === undefined ? {} : { spec }), ...extra } as Node;
}

/** The semantic check alone, after defaults. */
function checkErrors(n: Node): FieldError[] {
  const { errors, report } = collectFieldErrors();
  checkNode(applyNodeDefaults(n), report);
  return errors;
}

/** The full pipeline. */
function pipeline(n: Node): { valid: boolean; errors: FieldError[]; stored: Node } {
  const stored = applyDefaults(n);
  return { ...validate(stored), stored };
}

function paths(errors: readonly FieldError[]): string[] {
  return [...new Set(errors.map((e) => e.path))].sort();
}

/** Asserts the rule both in the semantic check and through validate(). */
function expectRejected(n: Node, path: string): void {
  expect(paths(checkErrors(n))).toEqual([path]);
  expect(paths(pipeline(n).errors)).toEqual([path]);
}

function expectAccepted(n: Node): void {
  expect(checkErrors(n)).toEqual([]);
  expect(pipeline(n).errors).toEqual([]);
}

describe('applyNodeDefaults: AS number as a JSON number (model.md §5.5)', () => {
  it.each([
    [64512, 64512],
    ['64512', 64512],
    ['0.64512', 64512],
    ['1.10', 65546],
    [0, 0],
    ['4294967295', 4294967295],
    ['65535.65535', 4294967295],
  ])('%j → %d', (asNumber, expected) => {
    const input = node({ bgp: { asNumber } });
    const out = applyNodeDefaults(input);
    expect(out.spec?.bgp?.asNumber).toBe(expected);
    expect(input.spec?.bgp?.asNumber).toBe(asNumber);
    expect(pipeline(input).stored.spec?.bgp?.asNumber).toBe(expected);
    expectAccepted(input);
  });

  it.each([4294967296, '4294967296', '65536.1', '1.65536', -1, 1.5, 'as1', ''])('rejects %j at spec.bgp.asNumber', (asNumber) => {
    const n = node({ bgp: { asNumber, ipv4Address: '10.0.0.5/24' } });
    expect(applyNodeDefaults(n).spec?.bgp?.asNumber).toBe(asNumber);
    expect(paths(pipeline(n).errors)).toEqual(['spec.bgp.asNumber']);
    if (asNumber !== '') expect(paths(checkErrors(n))).toEqual(['spec.bgp.asNumber']);
  });

  it('has no other defaults', () => {
    const n = node({ bgp: { ipv4Address: '10.0.0.5/24' }, orchRefs: [{ orchestrator: 'k8s', nodeName: 'w1' }] }, { status: { podCIDRs: ['10.244.1.0/24'] } });
    expect(applyNodeDefaults(n)).toEqual(n);
    expect(applyNodeDefaults(node(undefined))).toEqual(node(undefined));
  });
});

describe('Node rules (model.md §7, §13)', () => {
  it('rejects an empty bgp, including one whose fields are all empty strings', () => {
    expectRejected(node({ bgp: {} }), 'spec.bgp');
    expect(paths(checkErrors(node({ bgp: { ipv4Address: '', ipv6Address: '' } })))).toEqual(['spec.bgp']);
    // An AS number of 0 is set (Go pointer), so bgp is not empty.
    expectAccepted(node({ bgp: { asNumber: 0 } }));
  });

  it('takes IPv4/IPv6 BGP addresses with host bits, of the right family', () => {
    expectAccepted(node({ bgp: { ipv4Address: '10.0.0.5/24' } }));
    expectAccepted(node({ bgp: { ipv4Address: '10.0.0.5' } }));
    expectAccepted(node({ bgp: { ipv6Address: 'fd00::5/64' } }));
    expectRejected(node({ bgp: { ipv4Address: 'fd00::1/64' } }), 'spec.bgp.ipv4Address');
    expectRejected(node({ bgp: { ipv6Address: '10.0.0.5/24' } }), 'spec.bgp.ipv6Address');
    expectRejected(node({ bgp: { ipv4Address: '10.0.0.5/33' } }), 'spec.bgp.ipv4Address');
  });

  it('takes single addresses for tunnel addresses and the route reflector cluster ID', () => {
    expectRejected(node({ bgp: { ipv4IPIPTunnelAddr: '10.0.0.1/32' } }), 'spec.bgp.ipv4IPIPTunnelAddr');
    expectAccepted(node({ bgp: { ipv4IPIPTunnelAddr: '10.0.0.1' } }));
    expectAccepted(node({ bgp: { routeReflectorClusterID: '224.0.0.1' } }));
    expectRejected(node({ bgp: { routeReflectorClusterID: '1' } }), 'spec.bgp.routeReflectorClusterID');
    expectRejected(node({ ipv4VXLANTunnelAddr: 'fd00::1' }), 'spec.ipv4VXLANTunnelAddr');
    expectRejected(node({ ipv6VXLANTunnelAddr: '10.0.0.1' }), 'spec.ipv6VXLANTunnelAddr');
    expectRejected(node({ ipv6VXLANTunnelAddr: '::ffff:10.0.0.1' }), 'spec.ipv6VXLANTunnelAddr');
    expectAccepted(node({ ipv4VXLANTunnelAddr: '10.0.0.1', ipv6VXLANTunnelAddr: 'fd00::1' }));
    expectRejected(node({ wireguard: { interfaceIPv4Address: '10.0.0.1/32' } }), 'spec.wireguard.interfaceIPv4Address');
    expectRejected(node({ wireguard: { interfaceIPv6Address: '10.0.0.1' } }), 'spec.wireguard.interfaceIPv6Address');
    expectAccepted(node({ wireguard: { interfaceIPv4Address: '10.0.0.1', interfaceIPv6Address: 'fd00::1' } }));
  });

  it('checks VXLAN MACs', () => {
    expectRejected(node({ vxlanTunnelMACAddr: 'zz:00:00:00:00:00' }), 'spec.vxlanTunnelMACAddr');
    expectAccepted(node({ vxlanTunnelMACAddr: '66:cf:23:df:22:07', vxlanTunnelMACAddrV6: '66-CF-23-DF-22-08' }));
    expectRejected(node({ vxlanTunnelMACAddrV6: '66:cf:23:df:22' }), 'spec.vxlanTunnelMACAddrV6');
  });

  it('checks the WireGuard public keys in status', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(isWireguardPublicKey(key)).toBe(true);
    expectAccepted(node(undefined, { status: { wireguardPublicKey: key, wireguardPublicKeyV6: key } }));
    for (const bad of [Buffer.alloc(31, 7).toString('base64'), Buffer.alloc(33, 7).toString('base64'), 'not-base64!', key.slice(0, -1)]) {
      expectRejected(node(undefined, { status: { wireguardPublicKey: bad } }), 'status.wireguardPublicKey');
    }
    expectRejected(node(undefined, { status: { wireguardPublicKeyV6: 'x' } }), 'status.wireguardPublicKeyV6');
  });

  it('validates list entries so that Calico-written data round-trips (§7.3)', () => {
    expectAccepted(
      node({
        addresses: [{ address: '10.0.0.5/24', type: 'CalicoNodeIP' }, { address: '192.168.1.7', type: 'InternalIP' }, { address: 'fd00::5/64' }],
        orchRefs: [{ orchestrator: 'k8s', nodeName: 'worker-1' }],
        interfaces: [{ name: 'eth0', addresses: ['10.0.0.5', 'fd00::5'] }, {}],
      }),
    );
    expectRejected(node({ addresses: [{ address: 'garbage' }] }), 'spec.addresses[0].address');
    expectRejected(node({ addresses: [{ address: '10.0.0.5', type: 'Other' }] }), 'spec.addresses[0].type');
    expectRejected(node({ interfaces: [{ name: 'Eth0' }] }), 'spec.interfaces[0].name');
    expectRejected(node({ interfaces: [{ name: 'eth0', addresses: ['10.0.0.5', '10.0.0.0/24'] }] }), 'spec.interfaces[0].addresses[1]');
  });

  it('treats empty strings as unset in the semantic check (Go omitempty; the schema decides on empty strings)', () => {
    expect(checkErrors(node({ ipv4VXLANTunnelAddr: '', vxlanTunnelMACAddr: '', bgp: { ipv4Address: '10.0.0.5/24', ipv6Address: '' } }))).toEqual([]);
  });

  it('rejects upper-case node names (metadata rule)', () => {
    expect(paths(pipeline(node({}, {}, 'Worker1')).errors)).toEqual(['metadata.name']);
    expect(pipeline(node({}, {}, 'worker1.example.com')).valid).toBe(true);
  });

  it('lists every failing field', () => {
    const n = node({ bgp: { ipv4Address: 'fd00::1/64', routeReflectorClusterID: '1' }, vxlanTunnelMACAddr: 'zz' }, { status: { wireguardPublicKey: 'x' } });
    const expected = ['spec.bgp.ipv4Address', 'spec.bgp.routeReflectorClusterID', 'spec.vxlanTunnelMACAddr', 'status.wireguardPublicKey'];
    expect(paths(checkErrors(n))).toEqual(expected);
    expect(paths(pipeline(n).errors)).toEqual(expected);
  });

  it.each([
    { spec: null },
    { spec: { bgp: 'x', addresses: 'x', orchRefs: [null, 1], interfaces: [{ addresses: 'x' }, { addresses: [1] }] } },
    { spec: { bgp: { asNumber: {} } }, status: [] },
    'node',
    null,
  ])('never throws on %j', (doc) => {
    const { report } = collectFieldErrors();
    expect(() => checkNode(doc as never, report)).not.toThrow();
    expect(() => applyNodeDefaults(doc)).not.toThrow();
  });
});

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((b) => b.join('.'));
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const ipv6 = fc.tuple(fc.constant('fd00'), hextet, hextet, hextet).map((g) => `${g.join(':')}::1`);
const mac = fc.array(octet, { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':'));
const asNumber = fc.oneof(
  fc.integer({ min: 0, max: 4294967295 }),
  fc.integer({ min: 0, max: 4294967295 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([h, l]) => `${h}.${l}`),
);

const validNodeSpec = fc.record(
  {
    bgp: fc.record(
      {
        asNumber,
        ipv4Address: fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
        ipv6Address: fc.tuple(ipv6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
        ipv4IPIPTunnelAddr: ipv4,
        routeReflectorClusterID: ipv4,
      },
      { requiredKeys: ['asNumber'] },
    ),
    ipv4VXLANTunnelAddr: ipv4,
    vxlanTunnelMACAddr: mac,
    ipv6VXLANTunnelAddr: ipv6,
    vxlanTunnelMACAddrV6: mac,
    wireguard: fc.record({ interfaceIPv4Address: ipv4, interfaceIPv6Address: ipv6 }, { requiredKeys: [] }),
    addresses: fc.array(fc.record({ address: fc.oneof(ipv4, ipv6), type: fc.constantFrom('CalicoNodeIP', 'InternalIP', 'ExternalIP') }), { maxLength: 3 }),
    orchRefs: fc.array(fc.record({ orchestrator: fc.constantFrom('k8s', 'openstack'), nodeName: fc.constantFrom('a', 'b.c') }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

describe('Node properties', () => {
  it('random valid nodes pass validate(applyDefaults(doc)) and store the AS number as a number', () => {
    fc.assert(
      fc.property(validNodeSpec, (spec) => {
        const result = pipeline(node(spec));
        expect(result.errors).toEqual([]);
        const stored = result.stored.spec?.bgp?.asNumber;
        if (stored !== undefined) expect(typeof stored).toBe('number');
      }),
      { numRuns: 1000 },
    );
  });

  it('defaults are idempotent', () => {
    fc.assert(
      fc.property(validNodeSpec, (spec) => {
        const once = applyNodeDefaults(node(spec));
        expect(applyNodeDefaults(once)).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });
});
