/**
 * The resources a policy view is built from, as plain projectcalico.org/v3 (and Kubernetes v1)
 * objects. Kinds the library does not type yet are accepted with Calico's field names.
 *
 * @module
 */
import type { ObjectMeta, Rule, WorkloadEndpointPort } from '../model/types.generated.js';

/** A HostEndpoint (`projectcalico.org/v3`), cluster-scoped. */
export interface HostEndpointInput {
  /** `HostEndpoint`. */
  kind: 'HostEndpoint';
  /** Name and labels. */
  metadata: ObjectMeta;
  /** The interface and addresses. */
  spec?: { node?: string; interfaceName?: string; expectedIPs?: string[]; profiles?: string[]; ports?: WorkloadEndpointPort[] };
}

/** A NetworkSet (namespaced) or GlobalNetworkSet: labelled networks that selectors can match. */
export interface NetworkSetInput {
  /** `NetworkSet` or `GlobalNetworkSet`. */
  kind: 'NetworkSet' | 'GlobalNetworkSet';
  /** Name, namespace (NetworkSet) and labels. */
  metadata: ObjectMeta;
  /** The networks. */
  spec?: { nets?: string[] };
}

/** A Profile: rules applied after all tiers, and labels its endpoints inherit. */
export interface ProfileInput {
  /** `Profile`. */
  kind: 'Profile';
  /** Name. */
  metadata: ObjectMeta;
  /** Rules and inherited labels. */
  spec?: { ingress?: Rule[]; egress?: Rule[]; labelsToApply?: Record<string, string> };
}

/** A Kubernetes Namespace or ServiceAccount (`v1`): the source of `kns.`/`ksa.` profiles. */
export interface KubeIdentityInput {
  /** `Namespace` or `ServiceAccount`. */
  kind: 'Namespace' | 'ServiceAccount';
  /** Name, namespace (ServiceAccount) and labels. */
  metadata: ObjectMeta;
}

/** A staged policy: evaluated only for the staged verdict. */
export interface StagedPolicyInput {
  /** The staged kind. */
  kind: 'StagedNetworkPolicy' | 'StagedGlobalNetworkPolicy' | 'StagedKubernetesNetworkPolicy';
  /** Name and namespace. */
  metadata: ObjectMeta;
  /** As the enforced kind's spec, plus `stagedAction` (`Set` default, `Delete`). */
  spec?: Record<string, unknown> & { stagedAction?: string };
}

/** The shape every input resource shares. */
export interface AnyResource {
  /** API version. */
  apiVersion?: string;
  /** Kind. */
  kind?: string;
  /** Metadata. */
  metadata?: ObjectMeta;
  /** Spec. */
  spec?: unknown;
}

