/**
 * NetworkPolicy defaults and rules (model.md §9): a namespaced policy whose selectors and rules
 * are checked as described in `policy-spec.ts` and `rule.ts`. Metadata rules (name forms,
 * namespace, labels, annotations) are checked by `metadata.ts`; the tier's existence by the client.
 *
 * @module
 */
import type { ReportFn } from './field-report.js';
import { asRecord } from './policy-values.js';
import { applyPolicyDefaults, checkPolicySpec } from './policy-spec.js';
import type { NetworkPolicy } from './types.generated.js';

/**
 * Applies the NetworkPolicy write defaults (model.md §9.3–§9.4) to a copy: `spec.tier`
 * `default` when empty, `types` inferred from the rules when empty, label
 * `projectcalico.org/tier` set to the tier (a caller's other value is replaced), protocols and
 * ports in their stored form. Pure and idempotent.
 *
 * ## Example
 * ```ts
 * applyNetworkPolicyDefaults({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy',
 *   metadata: { name: 'allow-web', namespace: 'shop' },
 *   spec: { ingress: [{ action: 'Allow', protocol: '6', destination: { ports: ['80:80'] } }] } });
 * // metadata.labels: { 'projectcalico.org/tier': 'default' }
 * // spec: { tier: 'default', types: ['Ingress'],
 * //         ingress: [{ action: 'Allow', protocol: 6, destination: { ports: [80] } }] }
 * ```
 * @param policy The policy; not modified.
 * @return A defaulted deep copy.
 */
export function applyNetworkPolicyDefaults<T>(policy: T): T {
  return applyPolicyDefaults(policy);
}

/**
 * Checks the semantic ([V]) rules of a NetworkPolicy (model.md §9.5–§9.7) and reports every
 * failing field with its path (`spec.ingress[0].destination.ports`): selectors, `types` and
 * `performanceHints` without repeats, each rule's cross-field rules, `services` only in ingress
 * sources and egress destinations, no `http` in egress rules. An empty `services.namespace` is
 * accepted (it means the policy's namespace). Run it on a defaulted policy; never throws.
 *
 * ## Example
 * ```ts
 * const { errors, report } = collectFieldErrors();
 * checkNetworkPolicy(applyNetworkPolicyDefaults(policy), report);
 * ```
 * @param policy The policy (already defaulted).
 * @param report Receives one call per failing field.
 */
export function checkNetworkPolicy(policy: NetworkPolicy, report: ReportFn): void {
  checkPolicySpec(asRecord(policy)?.spec, { requireServiceNamespace: false }, report);
}
