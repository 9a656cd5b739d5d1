/**
 * The read-only view of Kubernetes NetworkPolicies as Calico NetworkPolicies (backends.md §3.6),
 * available on the Kubernetes datastore only.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { defer } from '../rx.js';
import type { Backend } from '../backends/backend.js';
import { NotSupportedError } from '../errors.js';
import type { KindDescriptor } from '../model/kinds.js';
import { CALICO_API_VERSION, kindFacts, type KindFacts } from '../model/kind-registry.js';
import type { NetworkPolicy } from '../model/types.generated.js';
import type { KindContext } from './kind-behaviour.js';
import { createResourceClient, type ListResourcesOptions, type ObjectRef, type ResourceClient, type ResourceList, type WatchResourcesOptions } from './resource-client.js';
import type { WatchEvent } from '../watch/events.js';
import { KUBERNETES_NETWORK_POLICY_KIND } from '../backends/k8s/kubernetes-network-policy.js';


/** Read access to Kubernetes NetworkPolicies, converted to Calico NetworkPolicies (read-only). */
export type ReadOnlyResourceClient<T extends NetworkPolicy> = Pick<ResourceClient<T>, 'get' | 'list' | 'watch' | 'syncSource'>;

const FACTS = kindFacts(KUBERNETES_NETWORK_POLICY_KIND) as KindFacts;

// Objects come back as Calico NetworkPolicies; only `kind` and `namespaced` steer the accessor.
const DESCRIPTOR = Object.freeze({
  kind: FACTS.kind,
  listKind: 'NetworkPolicyList',
  apiVersion: CALICO_API_VERSION,
  plural: FACTS.plural,
  namespaced: FACTS.namespaced,
  shortNames: FACTS.shortNames,
  hasStatus: FACTS.hasStatus,
}) as unknown as KindDescriptor;

/**
 * Builds the accessor. Every call rejects with NotSupportedError unless the datastore is Kubernetes.
 *
 * @param getBackend Resolves the client's backend.
 * @param contextFor Builds the hook context.
 */
export function createKubernetesNetworkPolicies(getBackend: () => Promise<Backend>, contextFor: (b: Backend) => KindContext): ReadOnlyResourceClient<NetworkPolicy> {
  const kubernetesOnly = async (): Promise<Backend> => {
    const backend = await getBackend();
    if (backend.capabilities.name !== 'kubernetes') {
      throw new NotSupportedError('Read', {
        identifier: { kind: 'KubernetesNetworkPolicy', name: '*' },
        reason: `Kubernetes NetworkPolicies exist only in the Kubernetes datastore, not in ${backend.capabilities.name}`,
      });
    }
    return backend;
  };
  const inner = createResourceClient<NetworkPolicy>({ descriptor: DESCRIPTOR }, kubernetesOnly, contextFor);
  return {
    get: (ref: ObjectRef): Promise<NetworkPolicy> => inner.get(ref),
    list: (options?: ListResourcesOptions): Promise<ResourceList<NetworkPolicy>> => inner.list(options),
    watch: (options?: WatchResourcesOptions): Observable<WatchEvent<NetworkPolicy>> => defer(() => inner.watch(options)),
    syncSource: (options) => inner.syncSource(options),
  };
}
