/** Small builders for valid documents used across the client tests. */
import type { GlobalNetworkPolicy, IPPool, NetworkPolicy, Node, Tier, WorkloadEndpoint } from '../../src/model/types.generated.js';

const v3 = 'projectcalico.org/v3' as const;

export function pool(name: string, cidr: string, spec: Partial<IPPool['spec']> = {}): IPPool {
  return { apiVersion: v3, kind: 'IPPool', metadata: { name }, spec: { cidr, ...spec } };
}

export function node(name: string, labels: Record<string, string> = {}): Node {
  return { apiVersion: v3, kind: 'Node', metadata: { name, labels }, spec: {} };
}

export function wep(namespace: string, nodeName: string, pod: string, labels: Record<string, string> = {}): WorkloadEndpoint {
  return {
    apiVersion: v3,
    kind: 'WorkloadEndpoint',
    metadata: { namespace, labels },
    spec: { orchestrator: 'k8s', node: nodeName, pod, endpoint: 'eth0', interfaceName: 'cali0123456789a', ipNetworks: ['10.244.0.5/32'] },
  };
}

export function np(namespace: string, name: string, spec: Partial<NetworkPolicy['spec']> = {}): NetworkPolicy {
  return { apiVersion: v3, kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { selector: 'all()', ...spec } };
}

export function gnp(name: string, spec: Partial<GlobalNetworkPolicy['spec']> = {}): GlobalNetworkPolicy {
  return { apiVersion: v3, kind: 'GlobalNetworkPolicy', metadata: { name }, spec: { selector: 'all()', ...spec } };
}

export function tier(name: string, order?: number): Tier {
  return { apiVersion: v3, kind: 'Tier', metadata: { name }, spec: order === undefined ? {} : { order } };
}
