/**
 * The Kubernetes wire shapes the Kubernetes backend reads and writes, as plain JSON (no
 * client-node classes): Pods, Nodes, NetworkPolicies, custom resources, lists and `Status`
 * bodies. Only the fields the backend touches are typed; everything else passes through.
 *
 * The converters also accept client-node's typed objects (`V1Pod`, `V1Node`, ...), whose
 * timestamps are `Date` instances instead of strings; see {@link KubeTimestamp}.
 *
 * @module
 */

/** A timestamp as it appears on the wire (RFC 3339 string) or in client-node's typed objects (`Date`). */
export type KubeTimestamp = string | Date | null;

/** An owner reference of a Kubernetes object. */
export interface KubeOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Kubernetes `ObjectMeta`, the parts the backend reads or writes. */
export interface KubeObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: KubeTimestamp;
  deletionTimestamp?: KubeTimestamp;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: KubeOwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

/** Any Kubernetes object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
  [key: string]: unknown;
}

/** A container port of a Pod. */
export interface KubeContainerPort {
  name?: string;
  containerPort?: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
}

/** A container of a Pod (only its ports matter here). */
export interface KubeContainer {
  name?: string;
  ports?: KubeContainerPort[];
  [key: string]: unknown;
}

/** A core `v1/Pod`. */
export interface KubePod extends KubeObject {
  spec?: {
    nodeName?: string;
    hostNetwork?: boolean;
    serviceAccountName?: string;
    containers?: KubeContainer[];
    initContainers?: KubeContainer[];
    [key: string]: unknown;
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip?: string }[];
    [key: string]: unknown;
  };
}

/** A core `v1/Node`. */
export interface KubeNode extends KubeObject {
  spec?: {
    podCIDR?: string;
    podCIDRs?: string[];
    [key: string]: unknown;
  };
  status?: {
    addresses?: { type?: string; address?: string }[];
    [key: string]: unknown;
  };
}

/** A Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export interface KubeLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A peer of a Kubernetes NetworkPolicy rule. */
export interface KubeNetworkPolicyPeer {
  podSelector?: KubeLabelSelector | null;
  namespaceSelector?: KubeLabelSelector | null;
  ipBlock?: { cidr: string; except?: string[] } | null;
}

/** A port of a Kubernetes NetworkPolicy rule. */
export interface KubeNetworkPolicyPort {
  protocol?: string | null;
  port?: number | string | null;
  endPort?: number | null;
}

/** A `networking.k8s.io/v1` NetworkPolicy. */
export interface KubeNetworkPolicy extends KubeObject {
  spec?: {
    podSelector?: KubeLabelSelector | null;
    policyTypes?: string[];
    ingress?: { from?: KubeNetworkPolicyPeer[] | null; ports?: KubeNetworkPolicyPort[] | null }[] | null;
    egress?: { to?: KubeNetworkPolicyPeer[] | null; ports?: KubeNetworkPolicyPort[] | null }[] | null;
  };
}

/** A list response. Custom-resource and core lists both use `metadata.continue` on the wire. */
export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items?: T[];
}

/** One cause of a `Status` (422 field errors, 504 ResourceVersionTooLarge, ...). */
export interface KubeStatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** A `v1/Status` error body. */
export interface KubeStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  code?: number;
  reason?: string;
  message?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: KubeStatusCause[]; retryAfterSeconds?: number };
}
