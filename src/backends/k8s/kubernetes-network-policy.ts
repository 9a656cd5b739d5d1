/**
 * Kubernetes NetworkPolicies, read-only and converted to Calico NetworkPolicies (backends spec
 * §3.6), under the kind `KubernetesNetworkPolicy`: keys carry that kind and the Kubernetes name,
 * values are `NetworkPolicy` objects named as current Calico names them (the Kubernetes name) or,
 * with the legacy option, `knp.default.<name>`. Revisions are the Kubernetes ones. Every write is
 * NotSupported.
 *
 * @module
 */
import { NotSupportedError } from '../../errors.js';
import type { KVPair, ListOptions } from '../backend.js';
import type { K8sContext, QueryPlan, ResourceView } from './context.js';
import type { ResourceClient } from './crd-client.js';
import { errorFromStatus, type ErrorContext } from './errors.js';
import { checkKey, pairOf, parseSelectorOption } from './keys.js';
import { identifierOf } from '../key-identifier.js';
import type { KubeNetworkPolicy } from './kube-types.js';
import { listView } from './list.js';
import { KNP_LEGACY_PREFIX, kubeNetworkPolicyToCalico } from './network-policy-conversion.js';
import { watchView } from './watch.js';

/** Key kind of converted Kubernetes NetworkPolicies (Calico's internal `KubernetesNetworkPolicy`). */
export const KUBERNETES_NETWORK_POLICY_KIND = 'KubernetesNetworkPolicy';
const READ_ONLY = 'kubernetes network policies must be managed through the kubernetes API';

const policiesPath = (namespace: string | undefined): string =>
  namespace ? `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/networkpolicies` : '/apis/networking.k8s.io/v1/networkpolicies';

/** The Kubernetes name behind a name in either form (`knp.default.web` → `web`). */
const kubeName = (name: string): string => (name.startsWith(KNP_LEGACY_PREFIX) ? name.slice(KNP_LEGACY_PREFIX.length) : name);

/**
 * The read-only KubernetesNetworkPolicy client of a Kubernetes backend.
 *
 * @param ctx Backend context.
 * @return The client.
 */
export function createKubernetesNetworkPolicyClient(ctx: K8sContext): ResourceClient {
  const convert = (raw: KubeNetworkPolicy): KVPair =>
    pairOf(
      { kind: KUBERNETES_NETWORK_POLICY_KIND, namespace: raw.metadata?.namespace ?? '', name: raw.metadata?.name ?? '' },
      kubeNetworkPolicyToCalico(raw, { legacyName: ctx.options.legacyKubernetesPolicyNames, onWarning: ctx.options.onWarning }),
      raw.metadata?.resourceVersion ?? '',
    );
  const view: ResourceView = {
    kind: KUBERNETES_NETWORK_POLICY_KIND,
    namespaced: true,
    collectionPath: (ns) => Promise.resolve(policiesPath(ns)),
    convert,
    plan(request: ListOptions): Promise<QueryPlan> {
      const labels = parseSelectorOption(request.labelSelector);
      const name = request.name ?? '';
      const exact = name !== '' && !request.namePrefix;
      const names = (p: KVPair): string[] => [p.key.name, p.value.metadata.name ?? ''];
      return Promise.resolve({
        namespace: request.namespace || undefined,
        ...(exact ? { fieldSelector: `metadata.name=${kubeName(name)}` } : {}),
        matchesName: name === '' ? () => true : request.namePrefix ? (p: KVPair) => names(p).some((n) => n.startsWith(name)) : (p: KVPair) => names(p).includes(name),
        clientLabels: labels,
        serverExact: labels === undefined && (name === '' || exact),
      });
    },
  };
  const refuse = (operation: string, key: { kind: string; namespace?: string; name: string }): Promise<never> =>
    Promise.reject(new NotSupportedError(operation, { identifier: identifierOf(key), reason: READ_ONLY }));

  return {
    create: ({ key }) => refuse('Create', key),
    update: ({ key }) => refuse('Update', key),
    updateStatus: ({ key }) => refuse('UpdateStatus', key),
    delete: (key) => refuse('Delete', key),
    async get(given, options = {}) {
      const key = checkKey(given, true);
      const errorCtx: ErrorContext = { operation: 'Get', identifier: identifierOf(key) };
      const res = await ctx.transport.request<KubeNetworkPolicy>({ method: 'GET', path: `${policiesPath(key.namespace)}/${encodeURIComponent(kubeName(key.name))}`, query: { resourceVersion: options.revision || undefined } }, errorCtx);
      if (!res.ok) throw errorFromStatus(res.code, res.status, errorCtx);
      return convert(res.body);
    },
    list: (request) => listView(ctx, view, request),
    watch: (request) => watchView(ctx, view, request),
  };
}
