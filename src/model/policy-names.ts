/**
 * Policy names and tiers (model.md §4.1, §9.4, §11.3): the names reserved for policies Calico
 * converts from Kubernetes, the v3 name of a policy stored by Calico ≤ 3.28, and the defaults
 * applied to every policy read from a datastore.
 *
 * @module
 */
import type { CalicoKind } from './kinds.js';
import { KIND_REGISTRY } from './kind-registry.js';
import { asRecord, copyData } from './policy-values.js';
import { effectiveTier, setTierLabel } from './policy-spec.js';
import { DEFAULT_TIER_NAME } from './tier-builtins.js';

/** Name prefixes reserved for converted Kubernetes policies, per kind. */
export const RESERVED_POLICY_NAME_PREFIXES: Readonly<Partial<Record<CalicoKind, readonly string[]>>> = Object.freeze(
  Object.fromEntries(KIND_REGISTRY.filter((k) => k.typed && k.reservedNamePrefixes.length > 0).map((k) => [k.kind, k.reservedNamePrefixes])),
);

/** The prefix Calico ≤ 3.28 added to the stored names of default-tier policies. */
export const LEGACY_DEFAULT_TIER_PREFIX = `${DEFAULT_TIER_NAME}.`;

/**
 * True for the names of policies that Calico converts from Kubernetes objects and shows
 * read-only: NetworkPolicy `knp.default.*` (Kubernetes NetworkPolicy), GlobalNetworkPolicy
 * `kcnp.*` (ClusterNetworkPolicy), `kanp.*` and `kbanp.*` (the AdminNetworkPolicy kinds of
 * 3.29–3.31). The client refuses create, update and delete of such names with *operation not
 * supported*; reads work. Names are valid syntax either way.
 *
 * ## Example
 * ```ts
 * isReservedPolicyName('NetworkPolicy', 'knp.default.allow-dns'); // true
 * isReservedPolicyName('GlobalNetworkPolicy', 'knp.default.x');   // false
 * ```
 * @param kind The policy's kind; other kinds have no reserved names.
 * @param name The policy's name.
 * @return Whether writes to the name are refused.
 */
export function isReservedPolicyName(kind: CalicoKind | string, name: string): boolean {
  const prefixes = Object.hasOwn(RESERVED_POLICY_NAME_PREFIXES, kind) ? RESERVED_POLICY_NAME_PREFIXES[kind as CalicoKind] : undefined;
  return typeof name === 'string' && (prefixes ?? []).some((p) => name.startsWith(p));
}

/**
 * The v3 name of a policy read from storage (model.md §11.3): when the stored object records no
 * v3 name in its metadata and its tier is `default` or empty, one leading `default.` is dropped
 * (Calico ≤ 3.28 stored default-tier policies as `default.<name>`). Otherwise the stored name is
 * the v3 name. A tier is never derived from a name prefix, and a name that is exactly `default.`
 * is kept.
 *
 * ## Example
 * ```ts
 * legacyPolicyName('default.allow-dns', '', false);         // 'allow-dns'
 * legacyPolicyName('default.allow-dns', 'default', true);   // 'default.allow-dns'
 * legacyPolicyName('security.block-x', 'security', false);  // 'security.block-x'
 * ```
 * @param storedName The name under which the policy is stored.
 * @param tier The stored `spec.tier` (absent or empty means `default`).
 * @param hasV3NameAnnotation Whether the stored metadata records the v3 name (Calico ≥ 3.30).
 * @return The v3 name.
 */
export function legacyPolicyName(storedName: string, tier: string | undefined, hasV3NameAnnotation: boolean): string {
  const defaultTier = tier === undefined || tier === null || tier === '' || tier === DEFAULT_TIER_NAME;
  if (hasV3NameAnnotation || !defaultTier) return storedName;
  if (storedName.startsWith(LEGACY_DEFAULT_TIER_PREFIX) && storedName.length > LEGACY_DEFAULT_TIER_PREFIX.length) {
    return storedName.slice(LEGACY_DEFAULT_TIER_PREFIX.length);
  }
  return storedName;
}

/**
 * The read-defaulting of policies (model.md §2.3, §9.4), applied to a copy of every policy the
 * client reads (get, list and watch): an empty `spec.tier` becomes `default`, and a missing
 * `projectcalico.org/tier` label is added with the tier's value (Calico adds `default` whatever
 * the tier; the library uses `spec.tier`). A label already present is kept. Pure and idempotent.
 *
 * ## Example
 * ```ts
 * policyReadDefaults({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy',
 *   metadata: { name: 'block-x' }, spec: { tier: 'security' } }).metadata.labels;
 * // { 'projectcalico.org/tier': 'security' }
 * ```
 * @param policy A NetworkPolicy or GlobalNetworkPolicy as read; not modified.
 * @return A defaulted deep copy.
 */
export function policyReadDefaults<T>(policy: T): T {
  const out = copyData(policy);
  const doc = asRecord(out);
  if (!doc) return out;
  const spec = asRecord(doc.spec);
  const tier = effectiveTier(spec);
  if (spec && tier !== undefined) spec.tier = tier;
  if (tier !== undefined) setTierLabel(doc, tier, false);
  return out;
}
