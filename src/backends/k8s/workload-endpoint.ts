/**
 * WorkloadEndpoints as views of Pods (backends spec §3.8). Reads fetch the Pod named in the
 * endpoint name and convert it (unscheduled and host-network Pods are invisible). Writes exist
 * only in CNI patch mode, as in Calico's CNI plugin: create and update PATCH the Pod's status
 * with the IP and container-ID annotations, delete blanks the IP annotations; outside that mode
 * every write is NotSupported.
 *
 * @module
 */
import { NotFoundError, NotSupportedError, ValidationError } from '../../errors.js';
import type { WorkloadEndpoint } from '../../model/types.generated.js';
import { parseWorkloadEndpointName } from '../../model/workload-endpoint-name.js';
import type { KVPair, ListOptions, ResourceKey } from '../backend.js';
import type { K8sContext, QueryPlan, ResourceView } from './context.js';
import type { ResourceClient } from './crd-client.js';
import { errorFromStatus, type ErrorContext } from './errors.js';
import { checkKey, pairOf, parseSelectorOption } from './keys.js';
import { identifierOf } from '../key-identifier.js';
import type { KubePod } from './kube-types.js';
import { listView } from './list.js';
import { ANNOTATION_CONTAINER_ID, ANNOTATION_POD_IP, ANNOTATION_POD_IPS, isWorkloadEndpointPod, podToWorkloadEndpoint } from './pod-conversion.js';
import { watchView } from './watch.js';

/** Labels the conversion sets on every endpoint, whatever the Pod says: selectors on them are matched here. */
const SYNTHESISED_LABELS = new Set(['projectcalico.org/namespace', 'projectcalico.org/orchestrator', 'projectcalico.org/serviceaccount']);
const NOT_CNI = 'WorkloadEndpoints are views of Pods in Kubernetes mode; only CNI patch mode (patchMode: "cni") writes their IP annotations';

const podsPath = (namespace: string | undefined): string => (namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods` : '/api/v1/pods');

/** The Pod name of a Kubernetes endpoint name, or undefined when the name is not one. */
function podNameOf(name: string): string | undefined {
  const ids = parseWorkloadEndpointName(name);
  return ids?.orchestrator === 'k8s' && ids.pod ? ids.pod : undefined;
}

/** The node of a name prefix whose first segment is complete (`node--1-` → `node-1`). */
function nodeOfPrefix(prefix: string): string | undefined {
  for (let i = 1; i < prefix.length; i++) {
    if (prefix[i] !== '-') continue;
    if (prefix[i + 1] === '-') {
      i++;
      continue;
    }
    return prefix.slice(0, i).replaceAll('--', '-');
  }
  return undefined;
}

/**
 * The WorkloadEndpoint client of a Kubernetes backend.
 *
 * @param ctx Backend context.
 * @return The client.
 */
export function createWorkloadEndpointClient(ctx: K8sContext): ResourceClient {
  const convertOptions = {
    ...(ctx.options.interfacePrefix !== undefined ? { interfacePrefix: ctx.options.interfacePrefix } : {}),
    onWarning: ctx.options.onWarning,
  };
  const convert = (raw: KubePod): KVPair | undefined => {
    // Unscheduled and host-network Pods are not endpoints: lists, watches and gets skip them.
    if (!isWorkloadEndpointPod(raw)) return undefined;
    const wep = podToWorkloadEndpoint(raw, convertOptions);
    if (!wep) return undefined;
    return pairOf({ kind: 'WorkloadEndpoint', namespace: wep.metadata.namespace ?? '', name: wep.metadata.name ?? '' }, wep, raw.metadata?.resourceVersion ?? '');
  };
  const view: ResourceView = {
    kind: 'WorkloadEndpoint',
    namespaced: true,
    collectionPath: (ns) => Promise.resolve(podsPath(ns)),
    convert,
    plan(request: ListOptions): Promise<QueryPlan> {
      const labels = parseSelectorOption(request.labelSelector);
      const serverLabels = labels !== undefined && labels.requirements.every((r) => !SYNTHESISED_LABELS.has(r.key));
      const name = request.name ?? '';
      let fieldSelector: string | undefined;
      if (name !== '' && !request.namePrefix) fieldSelector = `metadata.name=${podNameOf(name) ?? name}`;
      else if (name !== '') {
        // "Endpoints of node X": let the server select the node's Pods (library rule).
        const node = nodeOfPrefix(name);
        if (node) fieldSelector = `spec.nodeName=${node}`;
      }
      return Promise.resolve({
        namespace: request.namespace || undefined,
        ...(fieldSelector ? { fieldSelector } : {}),
        ...(serverLabels ? { labelSelector: request.labelSelector } : {}),
        matchesName: name === '' ? () => true : request.namePrefix ? (p: KVPair) => p.key.name.startsWith(name) : (p: KVPair) => p.key.name === name,
        clientLabels: serverLabels ? undefined : labels,
        serverExact: false,
      });
    },
  };
  const errorCtx = (operation: string, key: ResourceKey, podPatch = false): ErrorContext => ({ operation, identifier: identifierOf(key), ...(podPatch ? { podPatch } : {}) });

  /** PATCHes the Pod's status with `metadata` (annotations and preconditions) and converts the answer. */
  const patch = async (key: ResourceKey, operation: string, metadata: Record<string, unknown>): Promise<KVPair> => {
    const pod = podNameOf(key.name);
    if (!pod) throw new ValidationError([{ path: 'key.name', type: 'invalid', message: 'not the name of a Kubernetes WorkloadEndpoint: no Pod name can be read from it' }], { identifier: identifierOf(key) });
    const res = await ctx.transport.request<KubePod>(
      { method: 'PATCH', path: `${podsPath(key.namespace)}/${encodeURIComponent(pod)}/status`, body: { metadata }, contentType: 'application/strategic-merge-patch+json' },
      errorCtx(operation, key, true),
    );
    if (!res.ok) throw errorFromStatus(res.code, res.status, errorCtx(operation, key, true));
    const pair = convert(res.body);
    if (!pair) throw new NotFoundError(identifierOf(key));
    return pair;
  };

  const patchIn = (kv: { key: ResourceKey; value: unknown }, operation: string): Promise<KVPair> => {
    const key = checkKey(kv.key, true);
    if (!ctx.options.cniPatchMode) return Promise.reject(new NotSupportedError(operation, { identifier: identifierOf(key), reason: NOT_CNI }));
    const wep = kv.value as WorkloadEndpoint;
    const ips = wep.spec?.ipNetworks ?? [];
    const metadata: Record<string, unknown> = {};
    if (ips.length > 0) {
      const annotations: Record<string, string> = { [ANNOTATION_POD_IP]: ips[0] ?? '', [ANNOTATION_POD_IPS]: ips.join(',') };
      if (wep.spec?.containerID) annotations[ANNOTATION_CONTAINER_ID] = wep.spec.containerID;
      metadata.annotations = annotations;
    }
    if (wep.metadata?.uid) metadata.uid = wep.metadata.uid;
    return patch(key, operation, metadata);
  };

  return {
    create: (kv) => patchIn(kv, 'Create'),
    update: (kv) => patchIn(kv, 'Update'),
    updateStatus: (kv) => Promise.reject(new NotSupportedError('UpdateStatus', { identifier: identifierOf(kv.key), reason: 'a WorkloadEndpoint has no status' })),
    delete(given, preconditions = {}) {
      const key = checkKey(given, true);
      if (!ctx.options.cniPatchMode) return Promise.reject(new NotSupportedError('Delete', { identifier: identifierOf(key), reason: NOT_CNI }));
      const metadata: Record<string, unknown> = { annotations: { [ANNOTATION_POD_IP]: '', [ANNOTATION_POD_IPS]: '' } };
      if (preconditions.revision) metadata.resourceVersion = preconditions.revision;
      if (preconditions.uid) metadata.uid = preconditions.uid;
      return patch(key, 'Delete', metadata);
    },
    async get(given, options = {}) {
      const key = checkKey(given, true);
      const pod = podNameOf(key.name);
      if (!pod) throw new NotFoundError(identifierOf(key), { cause: new Error('malformed WorkloadEndpoint name: no Pod name can be read from it') });
      const res = await ctx.transport.request<KubePod>({ method: 'GET', path: `${podsPath(key.namespace)}/${encodeURIComponent(pod)}`, query: { resourceVersion: options.revision || undefined } }, errorCtx('Get', key));
      if (!res.ok) throw errorFromStatus(res.code, res.status, errorCtx('Get', key));
      const pair = convert(res.body);
      if (!pair || pair.key.name !== key.name) throw new NotFoundError(identifierOf(key));
      return pair;
    },
    list: (request) => listView(ctx, view, request),
    watch: (request) => watchView(ctx, view, request),
  };
}
