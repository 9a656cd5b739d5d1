/**
 * GlobalNetworkPolicies as cluster-scoped `globalnetworkpolicies` custom resources (backends
 * spec §3.4, §3.5), with the same storage-name rules as NetworkPolicies.
 *
 * @module
 */
import type { K8sContext } from './context.js';
import { crdKindOf, type CrdKind } from './crd-conversion.js';
import { createCrdClient, type ResourceClient } from './crd-client.js';

/** The `globalnetworkpolicies` custom resource of kind `GlobalNetworkPolicy`. */
export const GLOBAL_NETWORK_POLICY_CRD: CrdKind = crdKindOf('GlobalNetworkPolicy');

/**
 * The GlobalNetworkPolicy client of a Kubernetes backend.
 *
 * @param ctx Backend context.
 * @return The client.
 */
export function createGlobalNetworkPolicyClient(ctx: K8sContext): ResourceClient {
  return createCrdClient(ctx, GLOBAL_NETWORK_POLICY_CRD);
}
