/**
 * Kind descriptors: the static facts about each `projectcalico.org/v3` kind the library models.
 *
 * @module
 */

/** The API version of every Calico resource. */
export const CALICO_API_VERSION = 'projectcalico.org/v3';

/** Kinds the library models. */
export type CalicoKind = 'IPPool' | 'Node' | 'WorkloadEndpoint' | 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'Tier';

/** Static facts about one kind. */
export interface KindDescriptor {
  /** Kind name, for example `IPPool`. */
  readonly kind: CalicoKind;
  /** Kind of a list of this kind, for example `IPPoolList`. */
  readonly listKind: string;
  /** Always `projectcalico.org/v3`. */
  readonly apiVersion: typeof CALICO_API_VERSION;
  /** Lower-case plural: the CRD plural and the etcd key segment. */
  readonly plural: string;
  /** True when objects live in a namespace. */
  readonly namespaced: boolean;
  /** Short names accepted by the CLI. */
  readonly shortNames: readonly string[];
  /** True when the kind has a `status` the client keeps apart from `spec`. */
  readonly hasStatus: boolean;
}

function kind(k: CalicoKind, plural: string, namespaced: boolean, shortNames: string[], hasStatus: boolean): KindDescriptor {
  return Object.freeze({ kind: k, listKind: `${k}List`, apiVersion: CALICO_API_VERSION, plural, namespaced, shortNames: Object.freeze(shortNames), hasStatus });
}

/** IPPool: cluster-scoped address range for IPAM. */
export const IPPOOL = kind('IPPool', 'ippools', false, ['ippool', 'ipp', 'pool', 'pools'], true);
/** Node: cluster-scoped, one per host running Calico. */
export const NODE = kind('Node', 'nodes', false, ['node', 'no'], true);
/** WorkloadEndpoint: namespaced, one interface of one workload. */
export const WORKLOAD_ENDPOINT = kind('WorkloadEndpoint', 'workloadendpoints', true, ['workloadendpoint', 'wep', 'weps'], false);
/** NetworkPolicy: namespaced policy. */
export const NETWORK_POLICY = kind('NetworkPolicy', 'networkpolicies', true, ['networkpolicy', 'cnp', 'caliconetworkpolicy', 'policy', 'policies'], false);
/** GlobalNetworkPolicy: cluster-scoped policy. */
export const GLOBAL_NETWORK_POLICY = kind('GlobalNetworkPolicy', 'globalnetworkpolicies', false, ['globalnetworkpolicy', 'gnp', 'cgnp'], false);
/** Tier: cluster-scoped ordered group of policies. */
export const TIER = kind('Tier', 'tiers', false, ['tier'], true);

/** Every kind descriptor, keyed by kind. */
export const KINDS: Readonly<Record<CalicoKind, KindDescriptor>> = Object.freeze({
  IPPool: IPPOOL,
  Node: NODE,
  WorkloadEndpoint: WORKLOAD_ENDPOINT,
  NetworkPolicy: NETWORK_POLICY,
  GlobalNetworkPolicy: GLOBAL_NETWORK_POLICY,
  Tier: TIER,
});

/** True when `k` names a kind the library models (case-sensitive). */
export function isCalicoKind(k: unknown): k is CalicoKind {
  return typeof k === 'string' && Object.hasOwn(KINDS, k);
}
