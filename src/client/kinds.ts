/**
 * The client-side behaviour of each kind: read-defaulting, datastore checks and delete sequences
 * (model.md §2, §6.4, §7.4, §11).
 *
 * @module
 */
import type { KVPair } from '../backends/backend.js';
import { NotFoundError, NotSupportedError, isNotFound, type FieldError } from '../errors.js';
import { checkIPPoolAgainstExisting, checkIPPoolUpdate, applyIPPoolDefaults } from '../model/ippool.js';
import { GLOBAL_NETWORK_POLICY, IPPOOL, NETWORK_POLICY, NODE, TIER, WORKLOAD_ENDPOINT } from '../model/kinds.js';
import { isReservedPolicyName, policyReadDefaults } from '../model/policy-names.js';
import { applyTierDefaults } from '../model/tier.js';
import { checkWorkloadEndpointUpdate } from '../model/workload-endpoint.js';
import { workloadEndpointNamePrefix } from '../model/workload-endpoint-name.js';
import { DEFAULT_TIER_NAME, isBuiltInTier } from '../model/tier-builtins.js';
import type { GlobalNetworkPolicy, IPPool, NetworkPolicy, Node, Tier, WorkloadEndpoint } from '../model/types.generated.js';
import type { DeleteRequest, KindBehaviour, KindContext } from './kind-behaviour.js';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** IPPool: no overlapping pools, immutable CIDR/blockSize, and "disable, wait, delete". */
export const ipPoolBehaviour: KindBehaviour<IPPool> = {
  descriptor: IPPOOL,
  readDefaults: applyIPPoolDefaults,
  async checkCreate(pool, ctx) {
    const existing = await ctx.listAll<IPPool>(IPPOOL.kind);
    const overlaps = (other: IPPool): boolean => checkIPPoolAgainstExisting(pool, [applyIPPoolDefaults(other)]).length > 0;
    return {
      errors: checkIPPoolAgainstExisting(pool, existing.items.map((kv) => applyIPPoolDefaults(kv.value))),
      // Calico checks the list and then writes; the guard makes the pair atomic where the datastore can.
      guard: { kind: IPPOOL.kind, revision: existing.revision, conflicts: (other) => overlaps(other as IPPool) },
    };
  },
  async checkUpdate(next, stored) {
    return checkIPPoolUpdate(next, stored);
  },
  async delete(request, ctx) {
    const current = await ctx.backend.get<IPPool>(request.key);
    if (request.uid !== undefined && current.value.metadata.uid !== request.uid) {
      // Let the backend raise the uid Conflict without changing anything.
      return ctx.backend.delete<IPPool>(request.key, { revision: request.revision, uid: request.uid });
    }
    let last = current;
    if (!current.value.spec?.disabled) {
      // Disable first, under the caller's revision precondition, so IPAM stops allocating and
      // watchers see a "disabled" modification before the deletion.
      const disabled = structuredClone(current.value);
      disabled.spec = { ...disabled.spec, disabled: true } as IPPool['spec'];
      delete disabled.metadata.resourceVersion;
      last = await ctx.backend.update<IPPool>({ key: current.key, value: disabled, revision: request.revision ?? current.revision });
      await sleep(ctx.ipPoolDeleteDelayMs);
    }
    return ctx.backend.delete<IPPool>(request.key, { revision: request.revision === undefined ? undefined : last.revision });
  },
};

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

/** WorkloadEndpoint: the name is computed from the spec when empty. */
export const workloadEndpointBehaviour: KindBehaviour<WorkloadEndpoint> = {
  descriptor: WORKLOAD_ENDPOINT,
  nameComputed: true,
  async checkUpdate(next, stored) {
    return checkWorkloadEndpointUpdate(next, stored);
  },
};

async function checkTierExists(tier: string | undefined, ctx: KindContext): Promise<FieldError[]> {
  const name = tier || DEFAULT_TIER_NAME;
  try {
    await ctx.backend.get({ kind: TIER.kind, name });
  } catch (e) {
    if (isNotFound(e)) throw new NotFoundError({ kind: TIER.kind, name }, { cause: e });
    throw e;
  }
  return [];
}

function policyBehaviour<P extends NetworkPolicy | GlobalNetworkPolicy>(descriptor: typeof NETWORK_POLICY | typeof GLOBAL_NETWORK_POLICY): KindBehaviour<P> {
  return {
    descriptor,
    readDefaults: (p) => policyReadDefaults(p),
    assertWritable(obj, operation) {
      const name = obj.metadata?.name ?? '';
      if (isReservedPolicyName(descriptor.kind, name)) {
        throw new NotSupportedError(operation, {
          identifier: descriptor.namespaced ? { kind: descriptor.kind, namespace: obj.metadata?.namespace ?? '', name } : { kind: descriptor.kind, name },
          reason: 'the name is reserved for Kubernetes policies converted by Calico (read-only)',
        });
      }
    },
    checkCreate: async (p, ctx) => ({ errors: await checkTierExists(p.spec?.tier, ctx) }),
    checkUpdate: (p, _stored, ctx) => checkTierExists(p.spec?.tier, ctx),
  };
}

/** NetworkPolicy: tier must exist; converted Kubernetes policy names are read-only. */
export const networkPolicyBehaviour = policyBehaviour<NetworkPolicy>(NETWORK_POLICY);
/** GlobalNetworkPolicy: tier must exist; converted Kubernetes policy names are read-only. */
export const globalNetworkPolicyBehaviour = policyBehaviour<GlobalNetworkPolicy>(GLOBAL_NETWORK_POLICY);

/** Tier: built-in tiers and tiers that still hold policies cannot be deleted. */
export const tierBehaviour: KindBehaviour<Tier> = {
  descriptor: TIER,
  readDefaults: applyTierDefaults,
  async delete(request: DeleteRequest, ctx): Promise<KVPair<Tier>> {
    const name = request.key.name;
    if (isBuiltInTier(name)) {
      throw new NotSupportedError('Delete', { identifier: { kind: TIER.kind, name }, reason: 'built-in tiers cannot be deleted' });
    }
    for (const kind of [NETWORK_POLICY.kind, GLOBAL_NETWORK_POLICY.kind]) {
      const policies = await ctx.listAll<NetworkPolicy | GlobalNetworkPolicy>(kind);
      if (policies.items.some((kv) => (kv.value.spec?.tier || DEFAULT_TIER_NAME) === name)) {
        throw new NotSupportedError('Delete', { identifier: { kind: TIER.kind, name }, reason: 'the tier still contains policies' });
      }
    }
    return ctx.backend.delete<Tier>(request.key, { revision: request.revision, uid: request.uid });
  },
};
