/**
 * Tiers as `tiers` custom resources (backends spec §3.4): a straight mapping with a status
 * subresource on current Calico. Built-in tiers are protected by the client, not here.
 *
 * @module
 */
import type { K8sContext } from './context.js';
import { crdKindOf, type CrdKind } from './crd-conversion.js';
import { createCrdClient, type ResourceClient } from './crd-client.js';

/** The `tiers` custom resource of kind `Tier`. */
export const TIER_CRD: CrdKind = crdKindOf('Tier');

/**
 * The Tier client of a Kubernetes backend.
 *
 * @param ctx Backend context.
 * @return The client.
 */
export function createTierClient(ctx: K8sContext): ResourceClient {
  return createCrdClient(ctx, TIER_CRD);
}
