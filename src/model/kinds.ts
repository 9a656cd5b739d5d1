/**
 * Kind descriptors: the static facts about each `projectcalico.org/v3` kind the library types,
 * taken from the kind registry (`kind-registry.ts`).
 *
 * @module
 */
import { CALICO_API_VERSION, KIND_REGISTRY, type TypedKind } from './kind-registry.js';

export { CALICO_API_VERSION } from './kind-registry.js';

/** Kinds the library models. */
export type CalicoKind = TypedKind;

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
  /**
   * The abbreviations calicoctl (and this library's CLI) accept for the kind besides its
   * singular and plural, for example `ipp`, `ipps`, `pool`, `pools` for IPPool.
   */
  readonly shortNames: readonly string[];
  /** True when the kind has a `status` the client keeps apart from `spec`. */
  readonly hasStatus: boolean;
}

/** Every kind descriptor, keyed by kind. */
export const KINDS: Readonly<Record<CalicoKind, KindDescriptor>> = Object.freeze(
  Object.fromEntries(
    KIND_REGISTRY.filter((k) => k.typed).map((k) => [
      k.kind,
      Object.freeze({ kind: k.kind as CalicoKind, listKind: k.listKind, apiVersion: CALICO_API_VERSION, plural: k.plural, namespaced: k.namespaced, shortNames: k.shortNames, hasStatus: k.hasStatus }),
    ]),
  ) as Record<CalicoKind, KindDescriptor>,
);

/** IPPool: cluster-scoped address range for IPAM. */
export const IPPOOL: KindDescriptor = KINDS.IPPool;
/** Node: cluster-scoped, one per host running Calico. */
export const NODE: KindDescriptor = KINDS.Node;
/** WorkloadEndpoint: namespaced, one interface of one workload. */
export const WORKLOAD_ENDPOINT: KindDescriptor = KINDS.WorkloadEndpoint;
/** NetworkPolicy: namespaced policy. */
export const NETWORK_POLICY: KindDescriptor = KINDS.NetworkPolicy;
/** GlobalNetworkPolicy: cluster-scoped policy. */
export const GLOBAL_NETWORK_POLICY: KindDescriptor = KINDS.GlobalNetworkPolicy;
/** Tier: cluster-scoped ordered group of policies. */
export const TIER: KindDescriptor = KINDS.Tier;

/** True when `k` names a kind the library models (case-sensitive). */
export function isCalicoKind(k: unknown): k is CalicoKind {
  return typeof k === 'string' && Object.hasOwn(KINDS, k);
}
