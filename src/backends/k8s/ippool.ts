/**
 * IPPools as `ippools` custom resources (backends spec §3.3): name unchanged, `spec` verbatim,
 * `status` verbatim (current Calico has a status subresource; older CRDs do not, and the shared
 * client then keeps the stored status on update).
 *
 * @module
 */
import type { K8sContext } from './context.js';
import { crdKindOf, type CrdKind } from './crd-conversion.js';
import { createCrdClient, type ResourceClient } from './crd-client.js';

/** The `ippools` custom resource of kind `IPPool`. */
export const IPPOOL_CRD: CrdKind = crdKindOf('IPPool');

/**
 * The IPPool client of a Kubernetes backend.
 *
 * @param ctx Backend context.
 * @return The client.
 */
export function createIPPoolClient(ctx: K8sContext): ResourceClient {
  return createCrdClient(ctx, IPPOOL_CRD);
}
