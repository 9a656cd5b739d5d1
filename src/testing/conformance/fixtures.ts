/**
 * Hand-written valid objects for the backend conformance suite. The backend does not validate,
 * but every object here would also pass the client's validation and the CRD schemas, so the same
 * cases run unchanged against Kubernetes.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceKey, ResourceObject } from '../../backends/backend.js';

/** The API version of every object. */
export const V3 = 'projectcalico.org/v3' as const;

/** Namespaces the suite writes NetworkPolicies into; a Kubernetes target must create them. */
export const CONFORMANCE_NAMESPACES = ['conformance-a', 'conformance-b'] as const;

let sequence = 0;

/**
 * A name prefix unique to one test, so tests never see each other's objects even when a target
 * reuses one datastore.
 */
export function runId(): string {
  sequence += 1;
  return `cf${Date.now().toString(36)}${process.pid.toString(36)}${sequence}`;
}

function meta(name: string, labels?: Record<string, string>, namespace?: string): ResourceObject['metadata'] {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: randomUUID(),
    creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    ...(labels ? { labels } : {}),
  };
}

/** An IPPool `10.<octet>.0.0/16`. */
export function ipPool(name: string, octet = 1, labels?: Record<string, string>): ResourceObject {
  return {
    apiVersion: V3,
    kind: 'IPPool',
    metadata: meta(name, labels),
    spec: { cidr: `10.${octet}.0.0/16`, blockSize: 26, ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false, nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: 'Automatic' },
  };
}

/** A GlobalNetworkPolicy in the default tier. */
export function gnp(name: string, order = 100, labels?: Record<string, string>): ResourceObject {
  return {
    apiVersion: V3,
    kind: 'GlobalNetworkPolicy',
    metadata: meta(name, labels),
    spec: { tier: 'default', order, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow' }] },
  };
}

/** A NetworkPolicy in the default tier. */
export function np(namespace: string, name: string, labels?: Record<string, string>): ResourceObject {
  return {
    apiVersion: V3,
    kind: 'NetworkPolicy',
    metadata: meta(name, labels, namespace),
    spec: { tier: 'default', order: 100, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow' }] },
  };
}

/** A Node with no BGP settings. */
export function calicoNode(name: string): ResourceObject {
  return { apiVersion: V3, kind: 'Node', metadata: meta(name), spec: {} };
}

/** A Kubernetes-style WorkloadEndpoint of pod `pod` on node `node-1`. */
export function workloadEndpoint(namespace: string, pod: string): ResourceObject {
  const name = `node--1-k8s-${pod.replace(/-/g, '--')}-eth0`;
  return {
    apiVersion: V3,
    kind: 'WorkloadEndpoint',
    metadata: meta(name, { 'projectcalico.org/namespace': namespace, 'projectcalico.org/orchestrator': 'k8s' }, namespace),
    spec: { orchestrator: 'k8s', node: 'node-1', pod, endpoint: 'eth0', interfaceName: 'cali0123456789a', ipNetworks: ['10.244.0.5/32'] },
  };
}

/** The storage key of an object (storage name = `metadata.name`). */
export function keyOf(value: ResourceObject): ResourceKey {
  const { kind, metadata } = value;
  return metadata.namespace ? { kind, namespace: metadata.namespace, name: metadata.name ?? '' } : { kind, name: metadata.name ?? '' };
}

/** The spec of an object, for comparisons. */
export function specOf(value: ResourceObject | undefined): unknown {
  return value?.spec;
}
