/**
 * Calico Nodes as views of Kubernetes `v1/Node` objects (backends spec §3.7): reads convert the
 * Node; an update reads the Node, merges the Calico fields into its annotations and PUTs it
 * through `/status` (so `nodes/status` rights suffice); create and delete are NotSupported
 * because Kubernetes owns the Node lifecycle.
 *
 * @module
 */
import { ConflictError, NotSupportedError } from '../../errors.js';
import type { Node } from '../../model/types.generated.js';
import type { KVPair, ListOptions, ResourceKey } from '../backend.js';
import type { K8sContext, QueryPlan, ResourceView } from './context.js';
import type { ResourceClient } from './crd-client.js';
import { errorFromStatus, type ErrorContext } from './errors.js';
import { checkKey, pairOf, parseSelectorOption } from './keys.js';
import { identifierOf } from '../key-identifier.js';
import type { KubeNode } from './kube-types.js';
import { listView } from './list.js';
import { kubeNodeToCalico, mergeCalicoNodeIntoKubeNode } from './node-conversion.js';
import { watchView } from './watch.js';

const NODES = '/api/v1/nodes';
const LIFECYCLE = 'Kubernetes owns the Node lifecycle: create and delete the Kubernetes Node instead';

/**
 * The Node client of a Kubernetes backend.
 *
 * @param ctx Backend context.
 * @return The client.
 */
export function createNodeClient(ctx: K8sContext): ResourceClient {
  const convert = (raw: KubeNode): KVPair => pairOf({ kind: 'Node', name: raw.metadata?.name ?? '' }, kubeNodeToCalico(raw, { usePodCIDR: ctx.options.usePodCIDR }), raw.metadata?.resourceVersion ?? '');
  const view: ResourceView = {
    kind: 'Node',
    namespaced: false,
    collectionPath: () => Promise.resolve(NODES),
    convert,
    plan(request: ListOptions): Promise<QueryPlan> {
      // Calico labels live in an annotation: labels are always matched here.
      const labels = parseSelectorOption(request.labelSelector);
      const name = request.name ?? '';
      const exact = name !== '' && !request.namePrefix;
      return Promise.resolve({
        namespace: undefined,
        ...(exact ? { fieldSelector: `metadata.name=${name}` } : {}),
        matchesName: name === '' ? () => true : request.namePrefix ? (p: KVPair) => p.key.name.startsWith(name) : (p: KVPair) => p.key.name === name,
        clientLabels: labels,
        serverExact: labels === undefined && (name === '' || exact),
      });
    },
  };
  const errorCtx = (operation: string, key: ResourceKey): ErrorContext => ({ operation, identifier: identifierOf(key) });

  const read = async (key: ResourceKey, operation: string, revision?: string): Promise<KubeNode> => {
    const res = await ctx.transport.request<KubeNode>({ method: 'GET', path: `${NODES}/${encodeURIComponent(key.name)}`, query: { resourceVersion: revision || undefined } }, errorCtx(operation, key));
    if (res.ok) return res.body;
    throw errorFromStatus(res.code, res.status, errorCtx(operation, key));
  };

  /** Reads the Node, lets `edit` produce the Calico Node to store, and PUTs the merge through `/status`. */
  const write = async (kv: KVPair, operation: string, edit: (current: Node) => Node): Promise<KVPair> => {
    const key = checkKey(kv.key, false);
    const current = await read(key, operation);
    const revision = current.metadata?.resourceVersion ?? '';
    if (kv.revision && kv.revision !== revision) throw new ConflictError(identifierOf(key));
    const merged = mergeCalicoNodeIntoKubeNode(edit(kubeNodeToCalico(current, { usePodCIDR: ctx.options.usePodCIDR })), current);
    (merged.metadata ??= {}).resourceVersion = revision;
    const res = await ctx.transport.request<KubeNode>({ method: 'PUT', path: `${NODES}/${encodeURIComponent(key.name)}/status`, body: merged }, errorCtx(operation, key));
    if (!res.ok) throw errorFromStatus(res.code, res.status, errorCtx(operation, key));
    return convert(res.body);
  };

  return {
    create: ({ key }) => Promise.reject(new NotSupportedError('Create', { identifier: identifierOf(key), reason: LIFECYCLE })),
    delete: (key) => Promise.reject(new NotSupportedError('Delete', { identifier: identifierOf(key), reason: LIFECYCLE })),
    update: (kv) => write(kv, 'Update', () => kv.value as Node),
    updateStatus: (kv) =>
      write(kv, 'UpdateStatus', (current) => {
        const next: Node = { ...current };
        const status = (kv.value as Node).status;
        if (status === undefined) delete next.status;
        else next.status = status;
        return next;
      }),
    async get(given, options = {}) {
      return convert(await read(checkKey(given, false), 'Get', options.revision));
    },
    list: (request) => listView(ctx, view, request),
    watch: (request) => watchView(ctx, view, request),
  };
}
