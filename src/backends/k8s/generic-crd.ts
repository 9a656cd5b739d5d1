/**
 * Calico's other CRD-backed kinds (BGPPeer, FelixConfiguration, NetworkSet, …), which this library
 * does not model but moves as whole objects, for example during `datastore migrate`. They use the
 * generic custom-resource mapping of backends spec §3.2 (name, labels, annotations and spec
 * carried over; Calico's metadata annotation).
 *
 * @module
 */
import type { K8sContext } from './context.js';
import type { CrdKind } from './crd-conversion.js';
import { createCrdClient, type ResourceClient } from './crd-client.js';

/** The unmodelled Calico kinds stored as custom resources, with their plural and scope. */
export const GENERIC_CRD_KINDS: ReadonlyMap<string, CrdKind> = new Map(
  (
    [
      ['BGPConfiguration', 'bgpconfigurations', false],
      ['BGPFilter', 'bgpfilters', false],
      ['BGPPeer', 'bgppeers', false],
      ['FelixConfiguration', 'felixconfigurations', false],
      ['GlobalNetworkSet', 'globalnetworksets', false],
      ['HostEndpoint', 'hostendpoints', false],
      ['IPReservation', 'ipreservations', false],
      ['KubeControllersConfiguration', 'kubecontrollersconfigurations', false],
      ['NetworkSet', 'networksets', true],
      ['StagedGlobalNetworkPolicy', 'stagedglobalnetworkpolicies', false],
      ['StagedKubernetesNetworkPolicy', 'stagedkubernetesnetworkpolicies', true],
      ['StagedNetworkPolicy', 'stagednetworkpolicies', true],
    ] as const
  ).map(([kind, plural, namespaced]) => [kind, Object.freeze({ kind, plural, namespaced, policy: false })]),
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
