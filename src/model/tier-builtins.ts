/**
 * The tiers every Calico datastore has from initialisation on, and which cannot be deleted.
 *
 * @module
 */

/** Order a tier gets when none is given, and the order of the `default` tier. */
export const DEFAULT_TIER_ORDER = 1_000_000;

/** Name of the tier policies belong to when `spec.tier` is empty. */
export const DEFAULT_TIER_NAME = 'default';

/** One built-in tier: its name and the spec it must keep. */
export interface BuiltInTier {
  readonly name: string;
  readonly order: number;
  readonly defaultAction: 'Deny' | 'Pass';
}

/** `kube-admin` (1000, Pass), `default` (1000000, Deny), `kube-baseline` (10000000, Pass). */
export const BUILT_IN_TIERS: readonly BuiltInTier[] = Object.freeze([
  Object.freeze({ name: 'kube-admin', order: 1000, defaultAction: 'Pass' as const }),
  Object.freeze({ name: DEFAULT_TIER_NAME, order: DEFAULT_TIER_ORDER, defaultAction: 'Deny' as const }),
  Object.freeze({ name: 'kube-baseline', order: 10_000_000, defaultAction: 'Pass' as const }),
]);

/** True for the names of {@link BUILT_IN_TIERS}. */
export function isBuiltInTier(name: string): boolean {
  return BUILT_IN_TIERS.some((t) => t.name === name);
}
