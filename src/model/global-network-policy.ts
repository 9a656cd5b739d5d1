/**
 * GlobalNetworkPolicy defaults and rules (model.md §10): the NetworkPolicy spec plus
 * `namespaceSelector`, `doNotTrack`, `preDNAT` and `applyOnForward`, and `services.namespace`
 * required in rules.
 *
 * @module
 */
import type { ReportFn } from './field-report.js';
import { asRecord, listOf } from './policy-values.js';
import { applyPolicyDefaults, checkPolicySpec } from './policy-spec.js';
import { checkSelectorField } from './policy-selectors.js';
import type { GlobalNetworkPolicy } from './types.generated.js';

/**
 * Applies the GlobalNetworkPolicy write defaults (model.md §10, same as NetworkPolicy §9.4) to a
 * copy: `spec.tier` `default` when empty, `types` inferred when empty, label
 * `projectcalico.org/tier` set to the tier, protocols and ports in their stored form. Pure and
 * idempotent.
 *
 * ## Example
 * ```ts
 * applyGlobalNetworkPolicyDefaults({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy',
 *   metadata: { name: 'deny-egress' }, spec: { tier: 'security', egress: [{ action: 'Deny' }] } }).spec.types;
 * // ['Egress']
 * ```
 * @param policy The policy; not modified.
 * @return A defaulted deep copy.
 */
export function applyGlobalNetworkPolicyDefaults<T>(policy: T): T {
  return applyPolicyDefaults(policy);
}

function checkUntrackedAndPreDNAT(spec: Record<string, unknown>, report: ReportFn): void {
  const doNotTrack = spec.doNotTrack === true;
  const preDNAT = spec.preDNAT === true;
  if (doNotTrack && preDNAT) report('spec.preDNAT', 'forbidden', 'preDNAT and doNotTrack cannot both be true');
  if ((doNotTrack || preDNAT) && spec.applyOnForward !== true) {
    report('spec.applyOnForward', 'invalid', `must be true when ${doNotTrack ? 'doNotTrack' : 'preDNAT'} is true`);
  }
  if (!preDNAT) return;
  if (listOf(spec.egress).length > 0) report('spec.egress', 'forbidden', 'a preDNAT policy cannot have egress rules');
  if (listOf(spec.types).includes('Egress')) report('spec.types', 'forbidden', 'a preDNAT policy cannot have type Egress');
}

/**
 * Checks the semantic ([V]) rules of a GlobalNetworkPolicy (model.md §10) and reports every
 * failing field: everything `checkNetworkPolicy` checks, plus `namespaceSelector` (≤ 1024,
 * valid, no `global(`), `services.namespace` required where `services` may appear, `doNotTrack`
 * and `preDNAT` not both true and each needing `applyOnForward: true`, and a preDNAT policy
 * without egress rules or an `Egress` type. Run it on a defaulted policy; never throws.
 *
 * ## Example
 * ```ts
 * checkGlobalNetworkPolicy(applyGlobalNetworkPolicyDefaults(
 *   { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'raw' },
 *     spec: { doNotTrack: true, ingress: [{ action: 'Allow' }] } }), report);
 * // report('spec.applyOnForward', 'invalid', 'must be true when doNotTrack is true')
 * ```
 * @param policy The policy (already defaulted).
 * @param report Receives one call per failing field.
 */
export function checkGlobalNetworkPolicy(policy: GlobalNetworkPolicy, report: ReportFn): void {
  const spec = asRecord(asRecord(policy)?.spec);
  if (!spec) return;
  checkPolicySpec(spec, { requireServiceNamespace: true }, report);
  checkSelectorField(spec.namespaceSelector, 'spec.namespaceSelector', { global: 'forbidden' }, report);
  checkUntrackedAndPreDNAT(spec, report);
}
