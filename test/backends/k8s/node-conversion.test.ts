/**
 * Kubernetes Node ↔ Calico Node, per backends spec §3.7 and the Node invariants of §7.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeNode } from '../../../src/backends/k8s/kube-types.js';
import { kubeNodeToCalico, mergeCalicoNodeIntoKubeNode, NODE_ANNOTATIONS as A } from '../../../src/backends/k8s/node-conversion.js';
import { isValidationError } from '../../../src/errors.js';
import type { Node } from '../../../src/model/types.generated.js';
import { validate } from '../../../src/model/validate.js';

const UID = '5b0e6c4a-9d1f-4c2e-8a7b-3f6d2e1c0b9a';
const KEY = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function kubeNode(annotations: Record<string, string> = {}, labels: Record<string, string> = {}, extra: Partial<KubeNode> = {}): KubeNode {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', uid: UID, resourceVersion: '900', creationTimestamp: '2025-03-01T09:00:00Z', labels, annotations },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00:1::/64'] },
    status: { addresses: [{ type: 'InternalIP', address: '192.168.0.10' }, { type: 'Hostname', address: 'node-1' }, { type: 'ExternalIP', address: '203.0.113.7' }] },
    ...extra,
  };
}

const FULL = {
  [A.ipv4Address]: '192.168.0.10/24',
  [A.ipv6Address]: 'fd00::10/64',
  [A.asNumber]: '64512',
  [A.ipv4IPIPTunnelAddr]: '10.244.1.1',
  [A.routeReflectorClusterID]: '224.0.0.1',
  [A.ipv4VXLANTunnelAddr]: '10.244.1.2',
  [A.vxlanTunnelMACAddr]: '66:c5:2c:5b:0a:7d',
  [A.ipv6VXLANTunnelAddr]: 'fd00:1::2',
  [A.vxlanTunnelMACAddrV6]: '66:c5:2c:5b:0a:7e',
  [A.wireguardIPv4]: '10.244.1.3',
  [A.wireguardIPv6]: 'fd00:1::3',
  [A.wireguardPublicKey]: KEY,
  [A.wireguardPublicKeyV6]: KEY,
  [A.interfaces]: '[{"name":"eth0","addresses":["192.168.0.10","bogus","fd00::10"]}]',
};

describe('kubeNodeToCalico', () => {
  it('reads every field from its annotation, status and spec', () => {
    const node = kubeNodeToCalico(kubeNode(FULL, { 'kubernetes.io/hostname': 'node-1' }));
    expect(node).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Node',
      metadata: {
        name: 'node-1',
        uid: UID,
        resourceVersion: '900',
        creationTimestamp: '2025-03-01T09:00:00Z',
        labels: { 'kubernetes.io/hostname': 'node-1' },
        annotations: { [A.kubeLabels]: '{"kubernetes.io/hostname":"node-1"}' },
      },
      spec: {
        bgp: { ipv4Address: '192.168.0.10/24', ipv6Address: 'fd00::10/64', asNumber: 64512, ipv4IPIPTunnelAddr: '10.244.1.1', routeReflectorClusterID: '224.0.0.1' },
        wireguard: { interfaceIPv4Address: '10.244.1.3', interfaceIPv6Address: 'fd00:1::3' },
        ipv4VXLANTunnelAddr: '10.244.1.2',
        vxlanTunnelMACAddr: '66:c5:2c:5b:0a:7d',
        ipv6VXLANTunnelAddr: 'fd00:1::2',
        vxlanTunnelMACAddrV6: '66:c5:2c:5b:0a:7e',
        orchRefs: [{ nodeName: 'node-1', orchestrator: 'k8s' }],
        addresses: [
          { address: '192.168.0.10/24', type: 'CalicoNodeIP' },
          { address: 'fd00::10/64', type: 'CalicoNodeIP' },
          { address: '192.168.0.10', type: 'InternalIP' },
          { address: '203.0.113.7', type: 'ExternalIP' },
        ],
        interfaces: [{ name: 'eth0', addresses: ['192.168.0.10', 'fd00::10'] }],
      },
      status: { wireguardPublicKey: KEY, wireguardPublicKeyV6: KEY, podCIDRs: ['10.244.1.0/24', 'fd00:1::/64'] },
    });
    expect(validate(node).errors).toEqual([]);
  });

  it('ignores annotation values that fail their format check and omits empty bgp/wireguard', () => {
    const node = kubeNodeToCalico(
      kubeNode({
        [A.ipv4Address]: 'fd00::1/64',
        [A.ipv6Address]: '10.0.0.1/24',
        [A.asNumber]: 'sixty',
        [A.ipv4IPIPTunnelAddr]: '10.0.0.1/24',
        [A.ipv4VXLANTunnelAddr]: 'nope',
        [A.vxlanTunnelMACAddr]: 'zz:zz',
        [A.wireguardIPv6]: '10.0.0.1',
        [A.interfaces]: 'not json',
      }),
    );
    expect(node.spec).toEqual({
      orchRefs: [{ nodeName: 'node-1', orchestrator: 'k8s' }],
      addresses: [
        { address: '192.168.0.10', type: 'InternalIP' },
        { address: '203.0.113.7', type: 'ExternalIP' },
      ],
    });
  });

  it('reads dotted AS numbers', () => {
    expect(kubeNodeToCalico(kubeNode({ [A.asNumber]: '1.10' })).spec?.bgp).toEqual({ asNumber: 65546 });
  });

  it('with usePodCIDR derives the IP-in-IP (and WireGuard, with a key) address from the pod CIDR', () => {
    const plain = kubeNodeToCalico(kubeNode({ [A.ipv4IPIPTunnelAddr]: '10.9.9.9' }), { usePodCIDR: true });
    expect(plain.spec?.bgp).toEqual({ ipv4IPIPTunnelAddr: '10.244.1.1' });
    expect(plain.spec?.wireguard).toBeUndefined();
    const keyed = kubeNodeToCalico(kubeNode({ [A.wireguardPublicKey]: KEY, [A.wireguardIPv4]: '10.9.9.9' }), { usePodCIDR: true });
    expect(keyed.spec?.wireguard).toEqual({ interfaceIPv4Address: '10.244.1.1' });
  });

  it('overlays Kubernetes labels on Calico labels (Kubernetes wins) and keeps Calico annotations', () => {
    const node = kubeNodeToCalico(kubeNode({ [A.labels]: '{"rack":"r1","zone":"calico"}', [A.annotations]: '{"note":"hi"}' }, { zone: 'kube' }));
    expect(node.metadata.labels).toEqual({ rack: 'r1', zone: 'kube' });
    expect(node.metadata.annotations).toEqual({ note: 'hi', [A.kubeLabels]: '{"zone":"kube"}' });
  });
});

describe('mergeCalicoNodeIntoKubeNode', () => {
  it('writes back without touching the Node labels, storing only Calico-only labels (spec §7 invariant)', () => {
    const original = kubeNode({ [A.labels]: '{"rack":"r1"}' }, { zone: 'kube', 'kubernetes.io/os': 'linux' });
    const read = kubeNodeToCalico(original);
    const edited: Node = { ...read, metadata: { ...read.metadata, labels: { ...read.metadata.labels, zone: 'changed', team: 'net' } } };
    const merged = mergeCalicoNodeIntoKubeNode(edited, original);
    expect(merged.metadata?.labels).toEqual(original.metadata?.labels);
    expect(JSON.parse(merged.metadata?.annotations?.[A.labels] ?? '')).toEqual({ rack: 'r1', team: 'net' });
    expect(merged.metadata?.annotations?.[A.kubeLabels]).toBeUndefined();
    expect(merged.metadata?.annotations?.[A.annotations]).toBeUndefined();
    expect(original.metadata?.annotations).toEqual({ [A.labels]: '{"rack":"r1"}' });
    expect(kubeNodeToCalico(merged).metadata.labels).toEqual({ rack: 'r1', team: 'net', zone: 'kube', 'kubernetes.io/os': 'linux' });
  });

  it('a Node update with no bgp removes all five BGP annotations and leaves the VXLAN ones to their fields (spec §7)', () => {
    const original = kubeNode(FULL);
    const read = kubeNodeToCalico(original);
    const noBgp: Node = { ...read, spec: { ...read.spec } };
    delete noBgp.spec?.bgp;
    const merged = mergeCalicoNodeIntoKubeNode(noBgp, original);
    const ann = merged.metadata?.annotations ?? {};
    for (const k of [A.ipv4Address, A.ipv6Address, A.asNumber, A.ipv4IPIPTunnelAddr, A.routeReflectorClusterID]) expect(ann[k]).toBeUndefined();
    expect(ann[A.ipv4VXLANTunnelAddr]).toBe('10.244.1.2');
    expect(ann[A.vxlanTunnelMACAddr]).toBe('66:c5:2c:5b:0a:7d');
    expect(ann[A.wireguardIPv4]).toBe('10.244.1.3');
  });

  it('sets and removes each annotation from its field, and writes the AS number as a decimal', () => {
    const original = kubeNode({ [A.wireguardIPv4]: '10.0.0.3', other: 'kept' });
    const node: Node = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Node',
      metadata: { name: 'node-1' },
      spec: { bgp: { ipv4Address: '10.0.0.1/24', asNumber: '1.10' }, ipv4VXLANTunnelAddr: '10.0.0.2', interfaces: [] },
      status: { wireguardPublicKey: KEY },
    };
    const ann = mergeCalicoNodeIntoKubeNode(node, original).metadata?.annotations;
    expect(ann).toEqual({ other: 'kept', [A.ipv4Address]: '10.0.0.1/24', [A.asNumber]: '65546', [A.ipv4VXLANTunnelAddr]: '10.0.0.2', [A.wireguardPublicKey]: KEY, [A.interfaces]: '[]' });
  });

  it('rejects a corrupt kube-labels bookkeeping annotation', () => {
    const node: Node = { apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'node-1', annotations: { [A.kubeLabels]: '[' } }, spec: {} };
    let caught: unknown;
    try {
      mergeCalicoNodeIntoKubeNode(node, kubeNode());
    } catch (e) {
      caught = e;
    }
    expect(isValidationError(caught)).toBe(true);
    expect((caught as { errors: { path: string }[] }).errors[0]?.path).toBe(`metadata.annotations.${A.kubeLabels}`);
  });

  it('property: read → merge → read is a fixed point', () => {
    const label = fc.dictionary(fc.constantFrom('a', 'b', 'zone', 'x.io/y'), fc.constantFrom('1', '2', 'v'), { maxKeys: 3 });
    fc.assert(
      fc.property(label, label, fc.boolean(), (kubeLabels, calicoLabels, withBgp) => {
        const original = kubeNode({ ...(withBgp ? { [A.ipv4Address]: '10.0.0.1/24' } : {}), [A.labels]: JSON.stringify(calicoLabels) }, kubeLabels);
        const read = kubeNodeToCalico(original);
        const again = kubeNodeToCalico(mergeCalicoNodeIntoKubeNode(read, original));
        expect(again).toEqual(read);
      }),
    );
  });
});
