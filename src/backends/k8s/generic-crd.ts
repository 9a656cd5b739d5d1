/**
 * Calico's other CRD-backed kinds (BGPPeer, FelixConfiguration, NetworkSet, …), which this library
 * does not model but moves as whole objects, for example during `datastore migrate`. They use the
 * generic custom-resource mapping of backends spec §3.2 (name, labels, annotations and spec
 * carried over; Calico's metadata annotation).
 *
 * @module
 */
import type { K8sContext } from './context.js';
import { crdKindOf, type CrdKind } from './crd-conversion.js';
import { KIND_REGISTRY } from '../../model/kind-registry.js';
import { createCrdClient, type ResourceClient } from './crd-client.js';

/**
 * The unmodelled Calico kinds stored as custom resources that a migration moves, with their
 * plural and scope (from the kind registry).
 */
export const GENERIC_CRD_KINDS: ReadonlyMap<string, CrdKind> = new Map(
  KIND_REGISTRY.filter((k) => !k.typed && k.crdPlural !== undefined && k.exportOrder !== undefined).map((k) => [k.kind, crdKindOf(k.kind)]),
);

/**
 * A lazily built client for an unmodelled CRD-backed kind, or undefined when the kind is not one.
 *
 * @param ctx Backend context.
 * @param cache Clients built so far (filled in by this function).
 * @param kind The kind.
 * @return The client.
 */
export function genericCrdClient(ctx: K8sContext, cache: Map<string, ResourceClient>, kind: string): ResourceClient | undefined {
  const facts = GENERIC_CRD_KINDS.get(kind);
  if (!facts) return undefined;
  let client = cache.get(kind);
  if (!client) {
    client = createCrdClient(ctx, facts);
    cache.set(kind, client);
  }
  return client;
}
