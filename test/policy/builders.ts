/** Small resource builders for the policy-verdict tests. */
import type { AnyResource } from '../../src/policy/index.js';

export function ns(name: string, labels: Record<string, string> = {}): AnyResource {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function sa(namespace: string, name: string, labels: Record<string, string> = {}): AnyResource {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } };
}

export interface WepOptions {
  labels?: Record<string, string>;
  ip?: string | string[];
  serviceAccount?: string;
  ports?: { name: string; protocol: string; port: number }[];
  profiles?: string[];
}

export function pod(namespace: string, name: string, options: WepOptions = {}): AnyResource {
  const ips = options.ip === undefined ? [] : Array.isArray(options.ip) ? options.ip : [options.ip];
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'WorkloadEndpoint',
    metadata: { name: `node1-k8s-${name}-eth0`, namespace, labels: options.labels ?? {} },
    spec: {
      orchestrator: 'k8s',
      node: 'node1',
      pod: name,
      endpoint: 'eth0',
      interfaceName: `cali${name}`,
      ipNetworks: ips.map((ip) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`)),
      ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}),
      ...(options.ports ? { ports: options.ports } : {}),
      ...(options.profiles ? { profiles: options.profiles } : {}),
    },
  };
}

export function np(namespace: string, name: string, spec: Record<string, unknown>): AnyResource {
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

export function gnp(name: string, spec: Record<string, unknown>): AnyResource {
  return { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name }, spec };
}

export function tier(name: string, order?: number, defaultAction?: 'Deny' | 'Pass'): AnyResource {
  return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name }, spec: { ...(order !== undefined ? { order } : {}), ...(defaultAction ? { defaultAction } : {}) } };
}

export function hep(name: string, labels: Record<string, string>, ips: string[], profiles?: string[]): AnyResource {
  return { apiVersion: 'projectcalico.org/v3', kind: 'HostEndpoint', metadata: { name, labels }, spec: { node: 'node1', interfaceName: 'eth0', expectedIPs: ips, ...(profiles ? { profiles } : {}) } };
}

export function netset(kind: 'NetworkSet' | 'GlobalNetworkSet', name: string, labels: Record<string, string>, nets: string[], namespace?: string): AnyResource {
  return { apiVersion: 'projectcalico.org/v3', kind, metadata: { name, labels, ...(namespace ? { namespace } : {}) }, spec: { nets } };
}
