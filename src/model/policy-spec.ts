/**
 * What NetworkPolicy and GlobalNetworkPolicy share (model.md §9, §10): the write defaults (tier,
 * `types` inference, the tier label, normalised protocols and ports) and the checks of the spec
 * fields both kinds have, including where a rule's `services` and `http` may appear.
 *
 * @module
 */
import { childPath, type ReportFn } from './field-report.js';
import { asRecord, copyData, listOf, reportDuplicates } from './policy-values.js';
import { checkSelectorField } from './policy-selectors.js';
import { checkRule, normaliseRule } from './rule.js';
import { DEFAULT_TIER_NAME } from './tier-builtins.js';
import type { PolicyType } from './types.generated.js';

type Rec = Record<string, unknown>;

/** The label the client keeps equal to a policy's tier. */
export const TIER_LABEL = 'projectcalico.org/tier';

/** The policy types, case-sensitive. */
export const POLICY_TYPES: readonly PolicyType[] = Object.freeze(['Ingress', 'Egress']);

/** The performance hints Calico knows. */
export const POLICY_PERFORMANCE_HINTS: readonly string[] = Object.freeze(['AssumeNeededOnEveryNode']);

/** How the spec check differs between the two policy kinds. */
export interface PolicySpecCheckOptions {
  /**
   * True for GlobalNetworkPolicy, where a rule's `services.namespace` is required (a
   * NetworkPolicy reads an empty one as its own namespace).
   */
  requireServiceNamespace: boolean;
}

function hasRules(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

/**
 * The `types` Calico infers when a policy has none (model.md §9.3): `[Egress]` when there are
 * egress rules but no ingress rules, `[Ingress, Egress]` when there are both, `[Ingress]`
 * otherwise (including a policy with no rules at all).
 *
 * @param ingress The `ingress` field.
 * @param egress The `egress` field.
 * @return A new list.
 */
export function inferPolicyTypes(ingress: unknown, egress: unknown): PolicyType[] {
  if (!hasRules(egress)) return ['Ingress'];
  return hasRules(ingress) ? ['Ingress', 'Egress'] : ['Egress'];
}

/**
 * The tier a policy is in: `spec.tier`, or `default` when it is absent or empty.
 *
 * @param spec The policy's spec.
 * @return The tier name, or `undefined` when `spec.tier` is not a string (the schema reports that).
 */
export function effectiveTier(spec: unknown): string | undefined {
  const tier = asRecord(spec)?.tier;
  if (tier === undefined || tier === null || tier === '') return DEFAULT_TIER_NAME;
  return typeof tier === 'string' ? tier : undefined;
}

/**
 * Sets the tier label in a copy's metadata (creating `labels` when absent).
 *
 * @param out The document copy (modified).
 * @param tier The tier.
 * @param overwrite Replace a label already present (writes) or only add a missing one (reads).
 */
export function setTierLabel(out: Rec, tier: string, overwrite: boolean): void {
  const metadata = asRecord(out.metadata);
  if (!metadata) return;
  if (metadata.labels === undefined || metadata.labels === null) metadata.labels = {};
  const labels = asRecord(metadata.labels);
  if (!labels) return;
  if (overwrite || !Object.hasOwn(labels, TIER_LABEL)) labels[TIER_LABEL] = tier;
}

/**
 * The write defaults of both policy kinds (model.md §9.4), applied to a copy: `spec.tier`
 * `default` when absent or empty; `types` inferred when absent or empty (§9.3); label
 * `projectcalico.org/tier` set to the tier, replacing any other value; protocols and ports in
 * their stored JSON form (`"6"` → `6`, `"80:80"` → `80`). Pure and idempotent. A document without
 * an object `spec` is returned as a copy without changes.
 *
 * @param policy The policy; not modified.
 * @return A defaulted deep copy.
 */
export function applyPolicyDefaults<T>(policy: T): T {
  const out = copyData(policy);
  const doc = asRecord(out);
  const spec = asRecord(doc?.spec);
  if (!doc || !spec) return out;
  if (spec.tier === undefined || spec.tier === null || spec.tier === '') spec.tier = DEFAULT_TIER_NAME;
  if (spec.types === undefined || spec.types === null || (Array.isArray(spec.types) && spec.types.length === 0)) {
    spec.types = inferPolicyTypes(spec.ingress, spec.egress);
  }
  if (typeof spec.tier === 'string') setTierLabel(doc, spec.tier, true);
  for (const rule of [...listOf(spec.ingress), ...listOf(spec.egress)]) normaliseRule(rule);
  return out;
}

function checkEnumList(value: unknown, path: string, allowed: readonly string[], report: ReportFn): void {
  listOf(value).forEach((entry, i) => {
    if (typeof entry === 'string' && !allowed.includes(entry)) {
      report(childPath(path, i), 'notSupported', `must be one of ${allowed.join(', ')} (case-sensitive)`, entry.length <= 128 ? entry : undefined);
    }
  });
  reportDuplicates(value, path, report);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * The checks of one rule that depend on where it is: `services` only in ingress sources and
 * egress destinations (with a namespace when required), no `http` in egress rules.
 */
function checkRulePlacement(rule: Record<string, unknown>, direction: 'ingress' | 'egress', path: string, options: PolicySpecCheckOptions, report: ReportFn): void {
  const [allowed, forbidden] = direction === 'ingress' ? (['source', 'destination'] as const) : (['destination', 'source'] as const);
  if (asRecord(asRecord(rule[forbidden])?.services)) {
    report(
      childPath(childPath(path, forbidden), 'services'),
      'forbidden',
      direction === 'ingress' ? 'not allowed in an ingress rule destination (use source.services)' : 'not allowed in an egress rule source (use destination.services)',
    );
  }
  if (options.requireServiceNamespace) {
    const services = asRecord(asRecord(rule[allowed])?.services);
    if (services && isEmpty(services.namespace)) {
      report(childPath(childPath(childPath(path, allowed), 'services'), 'namespace'), 'required', 'a GlobalNetworkPolicy must name the namespace of the Service');
    }
  }
  if (direction === 'egress' && asRecord(rule.http)) report(childPath(path, 'http'), 'forbidden', 'HTTP match is not allowed in egress rules');
}

/**
 * Checks the spec fields both policy kinds share (model.md §9.1, §9.5–§9.7) and reports every
 * failing field: `selector` and `serviceAccountSelector` (≤ 1024, valid, no `global(`); `order`
 * finite; `types` and `performanceHints` values known and not repeated; every ingress and egress
 * rule (see `checkRule`); `services` only in ingress sources and egress destinations (and with a
 * namespace when `requireServiceNamespace`); no `http` in egress rules. Never throws.
 *
 * @param spec The policy's spec (defaulted).
 * @param options See {@link PolicySpecCheckOptions}.
 * @param report Receives one call per failing field.
 */
export function checkPolicySpec(spec: unknown, options: PolicySpecCheckOptions, report: ReportFn): void {
  const s = asRecord(spec);
  if (!s) return;
  checkSelectorField(s.selector, 'spec.selector', { global: 'forbidden' }, report);
  checkSelectorField(s.serviceAccountSelector, 'spec.serviceAccountSelector', { global: 'forbidden' }, report);
  if (typeof s.order === 'number' && !Number.isFinite(s.order)) report('spec.order', 'invalid', 'must be a finite number');
  checkEnumList(s.types, 'spec.types', POLICY_TYPES, report);
  checkEnumList(s.performanceHints, 'spec.performanceHints', POLICY_PERFORMANCE_HINTS, report);
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = listOf(s[direction]);
    const base = `spec.${direction}`;
    for (let i = 0; i < rules.length; i++) {
      const rule = asRecord(rules[i]);
      if (!rule) continue;
      const path = childPath(base, i);
      checkRule(rule, path, report);
      checkRulePlacement(rule, direction, path, options, report);
    }
  }
}
