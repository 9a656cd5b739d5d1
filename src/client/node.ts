/**
 * The client behaviour of Nodes: a node's delete removes its WorkloadEndpoints first.
 *
 * @module
 */
import { NotSupportedError, isNotFound } from '../errors.js';
import { NODE, WORKLOAD_ENDPOINT } from '../model/kinds.js';
import { workloadEndpointNamePrefix } from '../model/workload-endpoint-name.js';
import type { Node, WorkloadEndpoint } from '../model/types.generated.js';
import type { KindBehaviour } from './kind-behaviour.js';

/** Node: deleting a node first deletes its WorkloadEndpoints (exact `spec.node` match). */
export const nodeBehaviour: KindBehaviour<Node> = {
  descriptor: NODE,
  async delete(request, ctx) {
    if (!ctx.backend.capabilities.nodeLifecycle) {
      throw new NotSupportedError('Delete', { identifier: { kind: NODE.kind, name: request.key.name }, reason: 'nodes are managed by the orchestrator in this datastore' });
    }
    const node = await ctx.backend.get<Node>(request.key);
    // A precondition that fails must fail before the endpoints go: let the backend raise it.
    const stale = request.revision !== undefined && node.revision !== request.revision;
    if (stale || (request.uid !== undefined && node.value.metadata.uid !== request.uid)) {
      return ctx.backend.delete<Node>(request.key, { revision: request.revision, uid: request.uid });
    }
    // The name prefix narrows the list; it can also match another node's endpoints
    // (node1- matches node1--a-…), so spec.node is checked on every result.
    const endpoints = await ctx.listAll<WorkloadEndpoint>(WORKLOAD_ENDPOINT.kind, workloadEndpointNamePrefix({ node: request.key.name }));
    for (const wep of endpoints.items) {
      if (wep.value.spec?.node !== request.key.name) continue;
      await ctx.backend.delete(wep.key).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    }
    return ctx.backend.delete<Node>(request.key, { revision: request.revision, uid: request.uid });
  },
};
