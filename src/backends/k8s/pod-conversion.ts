/**
 * Pod → WorkloadEndpoint conversion (Calico `podToDefaultWorkloadEndpoint`, backends spec §3.8):
 * which Pods are endpoints, the endpoint name, addresses, NAT, ports, profiles, labels and QoS.
 *
 * @module
 */
import { nodeCrypto } from '../../lazy-builtins.js';
import { ParseError, ValidationError } from '../../errors.js';
import { CALICO_API_VERSION } from '../../model/kinds.js';
import { parseIPNetwork, type IPNetwork } from '../../model/net.js';
import type { IPNAT, WorkloadEndpoint, WorkloadEndpointPort } from '../../model/types.generated.js';
import { workloadEndpointName } from '../../model/workload-endpoint-name.js';
import type { KubeContainer, KubePod } from './kube-types.js';
import { objectPath, wireTimestamp } from './meta.js';
import { hasQoSAnnotations, qosControlsFromAnnotations } from './qos.js';

/** Annotation in which Calico's CNI plugin records the Pod's first address (CIDR form). */
export const ANNOTATION_POD_IP = 'cni.projectcalico.org/podIP';
/** Annotation in which Calico's CNI plugin records all the Pod's addresses, comma-separated. */
export const ANNOTATION_POD_IPS = 'cni.projectcalico.org/podIPs';
/** Annotation in which Calico's CNI plugin records the container ID. */
export const ANNOTATION_CONTAINER_ID = 'cni.projectcalico.org/containerID';
/** Annotation set by the Amazon VPC CNI plugin. */
export const ANNOTATION_AWS_POD_IPS = 'vpc.amazonaws.com/pod-ips';
const ANNOTATION_FLOATING_IPS = 'cni.projectcalico.org/floatingIPs';
const ANNOTATION_ALLOWED_SOURCE_PREFIXES = 'cni.projectcalico.org/allowedSourcePrefixes';
const ANNOTATION_NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';
const FINISHED_PHASES = new Set(['Failed', 'Succeeded', 'Completed']);
const PORT_PROTOCOLS: Readonly<Record<string, string>> = { TCP: 'TCP', '': 'TCP', UDP: 'UDP', SCTP: 'SCTP' };

/** Options of {@link podToWorkloadEndpoint}. */
export interface PodConversionOptions {
  /**
   * Prefix of the host-side interface name.
   * @default the first comma-separated entry of `FELIX_INTERFACEPREFIX`, else `cali`
   */
  interfacePrefix?: string;
  /** Receives non-fatal problems (QoS annotations that were clamped or ignored). */
  onWarning?: (message: string) => void;
}

/**
 * True when a Pod is shown as a WorkloadEndpoint: it is scheduled (`spec.nodeName` set) and does
 * not use the host network. Finished Pods are still endpoints (with no addresses).
 *
 * @param pod The Pod.
 */
export function isWorkloadEndpointPod(pod: KubePod): boolean {
  return isScheduledPod(pod) && !pod.spec?.hostNetwork;
}

/** True when the Pod has been scheduled: `spec.nodeName` is a non-empty string. */
function isScheduledPod(pod: KubePod): boolean {
  const node: unknown = pod?.spec?.nodeName;
  return typeof node === 'string' && node !== '';
}

/**
 * True when the Pod no longer owns its addresses: its phase is Failed, Succeeded or Completed, or
 * it is being deleted and the CNI plugin has blanked its IP annotation.
 *
 * @param pod The Pod.
 */
export function isFinishedPod(pod: KubePod): boolean {
  const annotations = pod.metadata?.annotations ?? {};
  if (pod.metadata?.deletionTimestamp && (annotations[ANNOTATION_POD_IP] === '' || annotations[ANNOTATION_AWS_POD_IPS] === '')) return true;
  return FINISHED_PHASES.has(pod.status?.phase ?? '');
}

/** The interface-name prefix from the environment (Felix's rule). */
export function defaultInterfacePrefix(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.FELIX_INTERFACEPREFIX;
  return configured ? (configured.split(',')[0] ?? 'cali') : 'cali';
}

/**
 * The host-side interface name Calico's CNI plugin gives a Pod: the prefix followed by the first
 * 11 hex characters of the SHA-1 of `<namespace>.<pod>`.
 *
 * ## Example
 * ```ts
 * podInterfaceName('default', 'nginx'); // 'calic440f455693'
 * ```
 * @param namespace The Pod namespace.
 * @param pod The Pod name.
 * @param prefix The interface prefix.
 * @return The interface name.
 */
export function podInterfaceName(namespace: string, pod: string, prefix = defaultInterfacePrefix()): string {
  return `${prefix}${nodeCrypto().createHash('sha1').update(`${namespace}.${pod}`).digest('hex').slice(0, 11)}`;
}

/** Parses an address or CIDR the way Calico's `ParseCIDROrIP` does; returns the (masked) network. */
function podNetwork(text: string): IPNetwork | undefined {
  const net = parseIPNetwork(text, { allowBareAddress: true });
  if (!net || !net.address.ipv4Mapped) return net;
  const v4 = net.address.bytes.slice(12).join('.');
  return parseIPNetwork(net.prefixLength === 128 ? v4 : `${v4}/${Math.max(0, net.prefixLength - 96)}`, { allowBareAddress: true });
}

function splitList(text: string | undefined): string[] | undefined {
  return text ? text.split(',') : undefined;
}

/** The Pod's addresses as written, from the first non-empty source (status, then annotations). */
function podAddressTexts(pod: KubePod): string[] {
  const annotations = pod.metadata?.annotations ?? {};
  const statusIPs = (pod.status?.podIPs ?? []).map((p) => p.ip ?? '');
  if (statusIPs.length > 0) return statusIPs;
  if (pod.status?.podIP) return [pod.status.podIP];
  return splitList(annotations[ANNOTATION_POD_IPS]) ?? splitList(annotations[ANNOTATION_POD_IP]) ?? splitList(annotations[ANNOTATION_AWS_POD_IPS]) ?? [];
}

function parseJsonStrings(text: string, what: string, key: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ParseError(key, { reason: `annotation ${what} is not valid JSON` });
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string')) throw new ParseError(key, { reason: `annotation ${what} is not a JSON list of strings` });
  return parsed;
}

function floatingIPs(pod: KubePod, networks: readonly IPNetwork[], key: string): IPNAT[] | undefined {
  const text = pod.metadata?.annotations?.[ANNOTATION_FLOATING_IPS];
  if (text === undefined || networks.length === 0) return undefined;
  const external = parseJsonStrings(text, ANNOTATION_FLOATING_IPS, key);
  let v4: IPNetwork | undefined;
  let v6: IPNetwork | undefined;
  for (const n of networks) {
    if (n.prefixLength !== (n.family === 4 ? 32 : 128)) throw new ParseError(key, { reason: `a Pod IP used for floating IPs must be a single address (/${n.family === 4 ? 32 : 128})` });
    if (n.family === 4) v4 = n;
    else v6 = n;
  }
  const out: IPNAT[] = [];
  for (const ip of external) {
    const target = ip.includes(':') ? v6 : v4;
    if (target) out.push({ internalIP: target.address.text, externalIP: ip });
  }
  return out.length > 0 ? out : undefined;
}

function allowedSourcePrefixes(pod: KubePod, key: string): string[] | undefined {
  const text = pod.metadata?.annotations?.[ANNOTATION_ALLOWED_SOURCE_PREFIXES];
  if (!text) return undefined;
  const out = parseJsonStrings(text, ANNOTATION_ALLOWED_SOURCE_PREFIXES, key).map((prefix) => {
    const net = parseIPNetwork(prefix);
    if (!net) throw new ParseError(key, { reason: `annotation ${ANNOTATION_ALLOWED_SOURCE_PREFIXES} holds an entry that is not a CIDR` });
    return net.text;
  });
  return out.length > 0 ? out : undefined;
}

function appendPorts(out: WorkloadEndpointPort[], containers: readonly KubeContainer[] | undefined): void {
  for (const container of containers ?? []) {
    for (const p of container.ports ?? []) {
      const containerPort = p.containerPort ?? 0;
      const hostPort = p.hostPort ?? 0;
      if (containerPort === 0 || (hostPort === 0 && !p.name)) continue;
      const protocol = PORT_PROTOCOLS[p.protocol ?? ''];
      if (protocol === undefined) continue;
      const port: WorkloadEndpointPort = { protocol, port: containerPort };
      if (p.name) port.name = p.name;
      if (hostPort !== 0) port.hostPort = hostPort;
      if (p.hostIP) port.hostIP = p.hostIP;
      out.push(port);
    }
  }
}

/**
 * Converts a Pod to the WorkloadEndpoint Calico shows for it in Kubernetes mode (backends spec
 * §3.8). Accepts wire JSON and client-node's typed `V1Pod` objects alike. Pure apart from
 * reading `FELIX_INTERFACEPREFIX` when no prefix is given.
 *
 * ## Example
 * ```ts
 * const wep = podToWorkloadEndpoint({
 *   metadata: { name: 'web-0', namespace: 'shop', uid: 'c0ffee00-0000-4000-8000-000000000001', resourceVersion: '42', labels: { app: 'web' } },
 *   spec: { nodeName: 'node-1', serviceAccountName: 'web', containers: [{ ports: [{ name: 'http', containerPort: 8080 }] }] },
 *   status: { podIP: '10.244.1.7' },
 * });
 * wep?.metadata.name;       // 'node--1-k8s-web--0-eth0'
 * wep?.spec.ipNetworks;     // ['10.244.1.7/32']
 * wep?.spec.profiles;       // ['kns.shop', 'ksa.shop.web']
 * ```
 * A Pod with no `spec.nodeName` is refused, as Calico's conversion refuses it: the node is the
 * first segment of the endpoint name, and an unscheduled Pod has no endpoint yet. The backend
 * never asks: its lists and watches skip such Pods (Calico's `IsValidCalicoWorkloadEndpoint`).
 *
 * @param pod The Pod.
 * @param options See {@link PodConversionOptions}.
 * @return The endpoint, or `undefined` for a host-network Pod (it has no endpoint of its own).
 * @throws ValidationError naming `spec.nodeName` when the Pod is not scheduled.
 * @throws ParseError naming the Pod's path when an address or a JSON annotation is malformed.
 */
export function podToWorkloadEndpoint(pod: KubePod, options: PodConversionOptions = {}): WorkloadEndpoint | undefined {
  if (!isScheduledPod(pod)) {
    throw new ValidationError([{ path: 'spec.nodeName', type: 'required', message: 'is required: a Pod that is not scheduled to a node has no WorkloadEndpoint' }], {
      identifier: { kind: 'Pod', namespace: pod?.metadata?.namespace ?? '', name: pod?.metadata?.name ?? '' },
    });
  }
  if (pod.spec?.hostNetwork) return undefined;
  const meta = pod.metadata ?? {};
  const namespace = meta.namespace ?? '';
  const podName = meta.name ?? '';
  const node = pod.spec?.nodeName ?? '';
  const key = objectPath('/api/v1', 'pods', pod);
  const name = workloadEndpointName({ node, orchestrator: 'k8s', pod: podName, endpoint: 'eth0' });
  if (name === '') throw new ParseError(key, { reason: 'the node or Pod name cannot form a WorkloadEndpoint name' });

  const networks: IPNetwork[] = [];
  for (const text of podAddressTexts(pod)) {
    const net = podNetwork(text);
    if (!net) throw new ParseError(key, { reason: 'a Pod IP is not an IP address or CIDR' });
    networks.push(net);
  }
  const finished = isFinishedPod(pod);
  const owned = finished ? [] : networks;

  const annotations = meta.annotations ?? {};
  const serviceAccount = pod.spec?.serviceAccountName ?? '';
  const labels: Record<string, string> = { ...(meta.labels ?? {}) };
  labels['projectcalico.org/namespace'] = namespace;
  labels['projectcalico.org/orchestrator'] = 'k8s';
  if (serviceAccount !== '' && serviceAccount.length < 63) labels['projectcalico.org/serviceaccount'] = serviceAccount;

  const profiles = [`kns.${namespace}`];
  if (serviceAccount !== '') profiles.push(`ksa.${namespace}.${serviceAccount}`);
  const ports: WorkloadEndpointPort[] = [];
  appendPorts(ports, pod.spec?.containers);
  appendPorts(ports, pod.spec?.initContainers);

  const wep: WorkloadEndpoint = {
    apiVersion: CALICO_API_VERSION,
    kind: 'WorkloadEndpoint',
    metadata: { name, namespace, labels },
    spec: {
      orchestrator: 'k8s',
      node,
      pod: podName,
      endpoint: 'eth0',
      interfaceName: podInterfaceName(namespace, podName, options.interfacePrefix ?? defaultInterfacePrefix()),
      profiles,
      ipNetworks: owned.map((n) => n.text),
    },
  };
  const m = wep.metadata;
  if (meta.uid) m.uid = meta.uid;
  const created = wireTimestamp(meta.creationTimestamp);
  if (created !== undefined) m.creationTimestamp = created;
  if (meta.generateName) m.generateName = meta.generateName;
  if (meta.resourceVersion) m.resourceVersion = meta.resourceVersion;
  if (annotations[ANNOTATION_NETWORK_STATUS] !== undefined) m.annotations = { [ANNOTATION_NETWORK_STATUS]: annotations[ANNOTATION_NETWORK_STATUS] };

  const s = wep.spec;
  const containerID = annotations[ANNOTATION_CONTAINER_ID];
  if (containerID) s.containerID = containerID;
  if (serviceAccount !== '') s.serviceAccountName = serviceAccount;
  const nats = floatingIPs(pod, owned, key);
  if (nats) s.ipNATs = nats;
  const prefixes = allowedSourcePrefixes(pod, key);
  if (prefixes) s.allowSpoofedSourcePrefixes = prefixes;
  if (ports.length > 0) s.ports = ports;
  if (hasQoSAnnotations(annotations)) {
    const qos = qosControlsFromAnnotations(annotations);
    if (qos.qosControls) s.qosControls = qos.qosControls;
    for (const problem of qos.problems) options.onWarning?.(`${key}: ${problem}`);
  }
  return wep;
}
