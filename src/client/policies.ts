/**
 * The client behaviour NetworkPolicies and GlobalNetworkPolicies share: the tier must exist, and
 * the names of converted Kubernetes policies are read-only.
 *
 * @module
 */
import { NotFoundError, NotSupportedError, isNotFound, type FieldError } from '../errors.js';
import { GLOBAL_NETWORK_POLICY, NETWORK_POLICY, TIER } from '../model/kinds.js';
import { isReservedPolicyName, policyReadDefaults } from '../model/policy-names.js';
import { DEFAULT_TIER_NAME } from '../model/tier-builtins.js';
import type { GlobalNetworkPolicy, NetworkPolicy } from '../model/types.generated.js';
import type { KindBehaviour, KindContext } from './kind-behaviour.js';

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
