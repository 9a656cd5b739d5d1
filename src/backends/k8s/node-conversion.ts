/**
 * Kubernetes `v1/Node` ↔ Calico Node (Calico `K8sNodeToCalico` and
 * `mergeCalicoNodeIntoK8sNode`, backends spec §3.7): Calico fields live in annotations on the
 * Kubernetes Node, Calico labels and annotations in two JSON annotations, and the Node's own
 * labels shadow Calico labels of the same key.
 *
 * @module
 */
import { ValidationError } from '../../errors.js';
import { CALICO_API_VERSION } from '../../model/kinds.js';
import { isIPAddress, isLooseCidr, isMACAddress, parseIPNetwork, type IPFamily } from '../../model/net.js';
import { parseASNumber } from '../../model/numorstring.js';
import type { Node, NodeAddress, NodeBGPSpec, NodeInterface, NodeStatus, NodeWireguardSpec } from '../../model/types.generated.js';
import type { KubeNode } from './kube-types.js';
import { parseStringMap, wireTimestamp } from './meta.js';
import { isRecord } from '../../model/plain-object.js';

/** Annotation keys Calico stores Node fields in. */
export const NODE_ANNOTATIONS = Object.freeze({
  ipv4Address: 'projectcalico.org/IPv4Address',
  ipv6Address: 'projectcalico.org/IPv6Address',
  asNumber: 'projectcalico.org/ASNumber',
  ipv4IPIPTunnelAddr: 'projectcalico.org/IPv4IPIPTunnelAddr',
  routeReflectorClusterID: 'projectcalico.org/RouteReflectorClusterID',
  ipv4VXLANTunnelAddr: 'projectcalico.org/IPv4VXLANTunnelAddr',
  vxlanTunnelMACAddr: 'projectcalico.org/VXLANTunnelMACAddr',
  ipv6VXLANTunnelAddr: 'projectcalico.org/IPv6VXLANTunnelAddr',
  vxlanTunnelMACAddrV6: 'projectcalico.org/VXLANTunnelMACAddrV6',
  wireguardIPv4: 'projectcalico.org/IPv4WireguardInterfaceAddr',
  wireguardIPv6: 'projectcalico.org/IPv6WireguardInterfaceAddr',
  wireguardPublicKey: 'projectcalico.org/WireguardPublicKey',
  wireguardPublicKeyV6: 'projectcalico.org/WireguardPublicKeyV6',
  interfaces: 'projectcalico.org/Interfaces',
  kubeLabels: 'projectcalico.org/kube-labels',
  labels: 'projectcalico.org/labels',
  annotations: 'projectcalico.org/annotations',
});
const A = NODE_ANNOTATIONS;

/** Options of {@link kubeNodeToCalico}. */
export interface NodeConversionOptions {
  /**
   * Host-local IPAM (`USE_POD_CIDR`): derive the IP-in-IP tunnel address (and, with a WireGuard
   * key, the WireGuard IPv4 address) from `spec.podCIDR` instead of the annotations.
   * @default false
   */
  usePodCIDR?: boolean;
}

type Check = (value: string) => boolean;

const effectiveFamily = (text: string): IPFamily | undefined => {
  const n = parseIPNetwork(text, { allowBareAddress: true });
  return n ? (n.address.ipv4Mapped ? 4 : n.family) : undefined;
};
const cidrOf = (family: IPFamily): Check => (v) => isLooseCidr(v, family);
const networkOf = (family: IPFamily): Check => (v) => {
  const n = parseIPNetwork(v, { allowBareAddress: true });
  return n !== undefined && n.hostBitsZero && effectiveFamily(v) === family;
};

/** An annotation value that passes its format check, else undefined (invalid values are ignored). */
function checked(annotations: Readonly<Record<string, string>>, key: string, check: Check): string | undefined {
  const v = annotations[key];
  return v && check(v) ? v : undefined;
}

/** JSON of a string map with sorted keys (as Go marshals maps). */
export function sortedJson(map: Readonly<Record<string, string>>): string {
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(map).sort()) sorted[k] = map[k] as string;
  return JSON.stringify(sorted);
}

/** IP-in-IP tunnel address for host-local IPAM: the pod CIDR's network address plus one. */
function staticTunnelAddress(podCIDR: string): string | undefined {
  const n = parseIPNetwork(podCIDR);
  if (!n || effectiveFamily(podCIDR) !== 4) return undefined;
  const b = n.address.bytes.slice(n.address.ipv4Mapped ? 12 : 0);
  return `${b[0]}.${b[1]}.${b[2]}.${((b[3] ?? 0) + 1) & 255}`;
}

function interfacesFrom(text: string | undefined): NodeInterface[] | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  return parsed.filter(isRecord).map((i) => {
    const out: NodeInterface = {};
    if (typeof i.name === 'string' && i.name !== '') out.name = i.name;
    const addresses = Array.isArray(i.addresses) ? i.addresses.filter((a): a is string => typeof a === 'string' && isIPAddress(a)) : [];
    if (addresses.length > 0) out.addresses = addresses;
    return out;
  });
}

/**
 * Converts a Kubernetes Node to the Calico Node Calico shows for it (backends spec §3.7). The uid
 * is the Node's own (not transformed). Annotation values that fail their format check are
 * ignored. Accepts wire JSON and client-node's typed `V1Node` objects alike.
 *
 * ## Example
 * ```ts
 * const node = kubeNodeToCalico({
 *   metadata: { name: 'node-1', labels: { zone: 'a' }, annotations: { 'projectcalico.org/IPv4Address': '10.0.0.1/24' } },
 *   status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
 * });
 * node.spec?.bgp;       // { ipv4Address: '10.0.0.1/24' }
 * node.spec?.addresses; // [{ address: '10.0.0.1/24', type: 'CalicoNodeIP' }, { address: '10.0.0.1', type: 'InternalIP' }]
 * ```
 * @param kubeNode The Kubernetes Node.
 * @param options See {@link NodeConversionOptions}.
 * @return The Calico Node.
 */
export function kubeNodeToCalico(kubeNode: KubeNode, options: NodeConversionOptions = {}): Node {
  const meta = kubeNode.metadata ?? {};
  const ann = meta.annotations ?? {};
  const kubeLabels = meta.labels ?? {};
  const name = meta.name ?? '';
  const node: Node = { apiVersion: CALICO_API_VERSION, kind: 'Node', metadata: { name }, spec: {} };
  const m = node.metadata;
  if (meta.resourceVersion) m.resourceVersion = meta.resourceVersion;
  const created = wireTimestamp(meta.creationTimestamp);
  if (created !== undefined) m.creationTimestamp = created;
  if (meta.uid) m.uid = meta.uid;
  const labels = { ...(parseStringMap(ann[A.labels]) ?? {}), ...kubeLabels };
  if (Object.keys(labels).length > 0) m.labels = labels;
  m.annotations = { ...(parseStringMap(ann[A.annotations]) ?? {}), [A.kubeLabels]: sortedJson(kubeLabels) };

  const spec = node.spec as NonNullable<Node['spec']>;
  const bgp: NodeBGPSpec = {};
  const set = <T extends object>(target: T, field: keyof T, value: string | undefined): void => {
    if (value !== undefined) (target as Record<keyof T, unknown>)[field] = value;
  };
  set(bgp, 'ipv4Address', checked(ann, A.ipv4Address, cidrOf(4)));
  set(bgp, 'ipv6Address', checked(ann, A.ipv6Address, cidrOf(6)));
  const asn = ann[A.asNumber] !== undefined ? parseASNumber(ann[A.asNumber]) : undefined;
  if (asn?.ok) bgp.asNumber = asn.value;
  const wireguard: NodeWireguardSpec = {};
  const podCIDR = kubeNode.spec?.podCIDR;
  if (options.usePodCIDR && podCIDR) {
    set(bgp, 'ipv4IPIPTunnelAddr', staticTunnelAddress(podCIDR));
    if (ann[A.wireguardPublicKey]) set(wireguard, 'interfaceIPv4Address', bgp.ipv4IPIPTunnelAddr);
  } else {
    set(bgp, 'ipv4IPIPTunnelAddr', checked(ann, A.ipv4IPIPTunnelAddr, networkOf(4)));
    set(wireguard, 'interfaceIPv4Address', checked(ann, A.wireguardIPv4, networkOf(4)));
    set(wireguard, 'interfaceIPv6Address', checked(ann, A.wireguardIPv6, networkOf(6)));
  }
  set(bgp, 'routeReflectorClusterID', checked(ann, A.routeReflectorClusterID, networkOf(4)));
  if (Object.keys(bgp).length > 0) spec.bgp = bgp;
  if (Object.keys(wireguard).length > 0) spec.wireguard = wireguard;
  set(spec, 'ipv4VXLANTunnelAddr', checked(ann, A.ipv4VXLANTunnelAddr, networkOf(4)));
  set(spec, 'vxlanTunnelMACAddr', checked(ann, A.vxlanTunnelMACAddr, isMACAddress));
  set(spec, 'ipv6VXLANTunnelAddr', checked(ann, A.ipv6VXLANTunnelAddr, networkOf(6)));
  set(spec, 'vxlanTunnelMACAddrV6', checked(ann, A.vxlanTunnelMACAddrV6, isMACAddress));
  spec.orchRefs = [{ nodeName: name, orchestrator: 'k8s' }];

  const addresses: NodeAddress[] = [];
  for (const a of [bgp.ipv4Address, bgp.ipv6Address]) if (a) addresses.push({ address: a, type: 'CalicoNodeIP' });
  for (const a of kubeNode.status?.addresses ?? []) {
    if ((a.type === 'InternalIP' || a.type === 'ExternalIP') && a.address) addresses.push({ address: a.address, type: a.type });
  }
  if (addresses.length > 0) spec.addresses = addresses;
  const interfaces = interfacesFrom(ann[A.interfaces]);
  if (interfaces) spec.interfaces = interfaces;

  const status: NodeStatus = {};
  if (ann[A.wireguardPublicKey]) status.wireguardPublicKey = ann[A.wireguardPublicKey];
  if (ann[A.wireguardPublicKeyV6]) status.wireguardPublicKeyV6 = ann[A.wireguardPublicKeyV6];
  const podCIDRs = kubeNode.spec?.podCIDRs ?? [];
  if (podCIDRs.length > 0) status.podCIDRs = [...podCIDRs];
  if (Object.keys(status).length > 0) node.status = status;
  return node;
}

function put(annotations: Record<string, string>, key: string, value: string | undefined): void {
  if (value) annotations[key] = value;
  else delete annotations[key];
}

/**
 * Writes a Calico Node back into a Kubernetes Node (backends spec §3.7, write rules): Calico
 * labels that the Node's own labels shadow are dropped, the rest go to `projectcalico.org/labels`,
 * Calico annotations to `projectcalico.org/annotations`, and every Calico field to its annotation
 * (removed when empty). The Node's labels, spec and status are never changed; `spec.addresses`,
 * `spec.orchRefs` and `status.podCIDRs` are not written back.
 *
 * @param node The Calico Node to store.
 * @param kubeNode The current Kubernetes Node; not modified.
 * @return A copy of `kubeNode` with the merged annotations.
 * @throws ValidationError when the `projectcalico.org/kube-labels` bookkeeping annotation is not a JSON label map.
 */
export function mergeCalicoNodeIntoKubeNode(node: Node, kubeNode: KubeNode): KubeNode {
  const labels = { ...(node.metadata?.labels ?? {}) };
  const calicoAnnotations = { ...(node.metadata?.annotations ?? {}) };
  const shadowText = calicoAnnotations[A.kubeLabels];
  if (shadowText !== undefined && shadowText !== '') {
    const shadowed = parseStringMap(shadowText);
    if (!shadowed) throw new ValidationError([{ path: `metadata.annotations.${A.kubeLabels}`, type: 'invalid', message: 'must be a JSON object of label values' }]);
    for (const k of Object.keys(shadowed)) delete labels[k];
  }
  delete calicoAnnotations[A.kubeLabels];

  const out: KubeNode = structuredClone(kubeNode);
  const meta = (out.metadata ??= {});
  const ann: Record<string, string> = { ...(meta.annotations ?? {}) };
  put(ann, A.labels, Object.keys(labels).length > 0 ? sortedJson(labels) : undefined);
  put(ann, A.annotations, Object.keys(calicoAnnotations).length > 0 ? sortedJson(calicoAnnotations) : undefined);
  const spec = node.spec ?? {};
  put(ann, A.ipv4VXLANTunnelAddr, spec.ipv4VXLANTunnelAddr);
  put(ann, A.vxlanTunnelMACAddr, spec.vxlanTunnelMACAddr);
  put(ann, A.ipv6VXLANTunnelAddr, spec.ipv6VXLANTunnelAddr);
  put(ann, A.vxlanTunnelMACAddrV6, spec.vxlanTunnelMACAddrV6);
  const bgp = spec.bgp;
  put(ann, A.ipv4Address, bgp?.ipv4Address);
  put(ann, A.ipv4IPIPTunnelAddr, bgp?.ipv4IPIPTunnelAddr);
  put(ann, A.ipv6Address, bgp?.ipv6Address);
  put(ann, A.routeReflectorClusterID, bgp?.routeReflectorClusterID);
  let asn: string | undefined;
  if (bgp?.asNumber !== undefined && bgp.asNumber !== null) {
    const parsed = parseASNumber(bgp.asNumber);
    asn = parsed.ok ? String(parsed.value) : String(bgp.asNumber);
  }
  put(ann, A.asNumber, asn);
  put(ann, A.wireguardIPv4, spec.wireguard?.interfaceIPv4Address);
  put(ann, A.wireguardIPv6, spec.wireguard?.interfaceIPv6Address);
  put(ann, A.wireguardPublicKey, node.status?.wireguardPublicKey);
  put(ann, A.wireguardPublicKeyV6, node.status?.wireguardPublicKeyV6);
  put(ann, A.interfaces, spec.interfaces ? JSON.stringify(spec.interfaces) : undefined);
  meta.annotations = ann;
  return out;
}
