/**
 * Tier defaults and rules (model.md §11.1): `order` 1000000 and `defaultAction` `Deny` when
 * absent, and the fixed order and default action of the built-in tiers. Deleting tiers (built-in,
 * or still holding policies) is refused by the client.
 *
 * @module
 */
import type { ReportFn } from './field-report.js';
import { asRecord, copyData } from './policy-values.js';
import { BUILT_IN_TIERS, DEFAULT_TIER_ORDER } from './tier-builtins.js';
import type { Tier } from './types.generated.js';

/** `defaultAction` of a tier that does not set one. */
export const DEFAULT_TIER_ACTION = 'Deny';

/** The values of `spec.defaultAction`, case-sensitive. */
export const TIER_DEFAULT_ACTIONS: readonly string[] = Object.freeze(['Deny', 'Pass']);

/**
 * Applies the Tier defaults (model.md §11.1) to a copy, on write and on read: `spec.order`
 * 1000000 and `spec.defaultAction` `Deny` when absent (or null). The same defaults apply to
 * built-in tiers, so a `kube-admin` document without `order` is then rejected by {@link checkTier}.
 * Pure and idempotent; a document without an object `spec` comes back unchanged.
 *
 * ## Example
 * ```ts
 * applyTierDefaults({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: {} }).spec;
 * // { order: 1000000, defaultAction: 'Deny' }
 * ```
 * @param tier The tier; not modified.
 * @return A defaulted deep copy.
 */
export function applyTierDefaults<T>(tier: T): T {
  const out = copyData(tier);
  const spec = asRecord(asRecord(out)?.spec);
  if (!spec) return out;
  if (spec.order === undefined || spec.order === null) spec.order = DEFAULT_TIER_ORDER;
  if (spec.defaultAction === undefined || spec.defaultAction === null) spec.defaultAction = DEFAULT_TIER_ACTION;
  return out;
}

/**
 * Checks the semantic ([V]) rules of a Tier (model.md §11.1) on a defaulted tier: `order` is a
 * finite number, `defaultAction` is `Deny` or `Pass`, and the built-in tiers keep their fixed
 * values — `kube-admin` 1000 / `Pass`, `default` 1000000 / `Deny`, `kube-baseline` 10000000 /
 * `Pass`. Name syntax is a metadata rule (`metadata.ts`). Never throws.
 *
 * ## Example
 * ```ts
 * checkTier({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'default' },
 *   spec: { order: 1000000, defaultAction: 'Pass' } }, report);
 * // report('spec.defaultAction', 'invalid', "the 'default' tier must have default action Deny", 'Pass')
 * ```
 * @param tier The tier (already defaulted).
 * @param report Receives one call per failing field.
 */
export function checkTier(tier: Tier, report: ReportFn): void {
  const doc = asRecord(tier);
  const spec = asRecord(doc?.spec);
  if (!spec) return;
  const { order, defaultAction } = spec;
  if (typeof order === 'number' && !Number.isFinite(order)) report('spec.order', 'invalid', 'must be a finite number');
  if (typeof defaultAction === 'string' && !TIER_DEFAULT_ACTIONS.includes(defaultAction)) {
    report('spec.defaultAction', 'notSupported', 'must be Deny or Pass (case-sensitive)', defaultAction.length <= 128 ? defaultAction : undefined);
  }
  const name = asRecord(doc?.metadata)?.name;
  const builtIn = BUILT_IN_TIERS.find((t) => t.name === name);
  if (!builtIn) return;
  if (order !== builtIn.order) {
    report('spec.order', 'invalid', `the '${builtIn.name}' tier must have order ${builtIn.order}`, typeof order === 'number' ? order : undefined);
  }
  if (defaultAction !== builtIn.defaultAction) {
    report(
      'spec.defaultAction',
      'invalid',
      `the '${builtIn.name}' tier must have default action ${builtIn.defaultAction}`,
      typeof defaultAction === 'string' && defaultAction.length <= 128 ? defaultAction : undefined,
    );
  }
}
