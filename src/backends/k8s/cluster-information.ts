/**
 * `ClusterInformation` (`clusterinformations` custom resources, backends spec §3.13): only
 * `default` exists. The backend reads its `calicoVersion` to choose the policy naming convention
 * and creates it in `ensureInitialized()`.
 *
 * @module
 */
import type { K8sContext } from './context.js';
import { crdKindOf, type CrdKind } from './crd-conversion.js';
import { createCrdClient, type ResourceClient } from './crd-client.js';

/** The `clusterinformations` custom resource of kind `ClusterInformation`. */
export const CLUSTER_INFORMATION_CRD: CrdKind = crdKindOf('ClusterInformation');

/**
 * The ClusterInformation client of a Kubernetes backend.
 *
 * @param ctx Backend context.
 * @return The client.
 */
export function createClusterInformationClient(ctx: K8sContext): ResourceClient {
  return createCrdClient(ctx, CLUSTER_INFORMATION_CRD);
}
