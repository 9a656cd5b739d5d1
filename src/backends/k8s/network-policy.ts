/**
 * Calico NetworkPolicies as namespaced `networkpolicies` custom resources (backends spec §3.4,
 * §3.5): the v3 name is kept in the metadata annotation; CRs of Calico ≤ 3.31 named
 * `default.<name>` are read as `<name>` and updated and deleted under their real name; new
 * policies follow the cluster's naming convention. Kubernetes NetworkPolicies are a separate
 * kind (`kubernetes-network-policy.ts`).
 *
 * @module
 */
import type { K8sContext } from './context.js';
import { crdKindOf, type CrdKind } from './crd-conversion.js';
import { createCrdClient, type ResourceClient } from './crd-client.js';

/** The `networkpolicies` custom resource of kind `NetworkPolicy`. */
export const NETWORK_POLICY_CRD: CrdKind = crdKindOf('NetworkPolicy');

/**
 * The NetworkPolicy client of a Kubernetes backend.
 *
 * @param ctx Backend context.
 * @return The client.
 */
export function createNetworkPolicyClient(ctx: K8sContext): ResourceClient {
  return createCrdClient(ctx, NETWORK_POLICY_CRD);
}
