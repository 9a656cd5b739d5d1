/**
 * The client behaviour of Tiers: built-in tiers and tiers that still hold policies cannot be
 * deleted.
 *
 * @module
 */
import type { KVPair } from '../backends/backend.js';
import { NotSupportedError } from '../errors.js';
import { GLOBAL_NETWORK_POLICY, NETWORK_POLICY, TIER } from '../model/kinds.js';
import { applyTierDefaults } from '../model/tier.js';
import { DEFAULT_TIER_NAME, isBuiltInTier } from '../model/tier-builtins.js';
import type { GlobalNetworkPolicy, NetworkPolicy, Tier } from '../model/types.generated.js';
import type { DeleteRequest, KindBehaviour } from './kind-behaviour.js';

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
