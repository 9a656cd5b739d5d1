/**
 * Felix's evaluation order of tiers and policies (`felix/calc/policy_sorter.go`).
 *
 * @module
 */

/** What {@link compareTiers} and {@link comparePolicies} need of a tier or policy. */
export interface Ordered {
  /** Name (policies: without namespace). */
  readonly name: string;
  /** Order; `undefined` sorts last ("infinity"). */
  readonly order: number | undefined;
}

/** A policy's identity as Felix sorts it. */
export interface OrderedPolicy extends Ordered {
  /** Namespace, `''` for cluster-scoped policies. */
  readonly namespace: string;
  /** Felix's policy kind (`NetworkPolicy`, `KubernetesNetworkPolicy`, `StagedNetworkPolicy`, …). */
  readonly kind: string;
}

/**
 * Felix's `TierLess`: ordered tiers first by order, then tiers without an order, ties by name.
 *
 * @return Negative when `a` runs first.
 */
export function compareTiers(a: Ordered, b: Ordered): number {
  const ao = a.order ?? Infinity;
  const bo = b.order ?? Infinity;
  if (ao !== bo) return ao < bo ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The tie-break key of `PolKVLess`: `name/namespace/kind`. */
export function policySortKey(p: OrderedPolicy): string {
  return `${p.name}/${p.namespace}/${p.kind}`;
}

/**
 * Felix's `PolKVLess`: by order (no order = +Inf), then by the string `name/namespace/kind` in
 * byte order, so equal-order policies sort by name before namespace.
 *
 * @return Negative when `a` runs first.
 */
export function comparePolicies(a: OrderedPolicy, b: OrderedPolicy): number {
  const ao = a.order ?? Infinity;
  const bo = b.order ?? Infinity;
  if (ao !== bo) return ao < bo ? -1 : 1;
  const ak = policySortKey(a);
  const bk = policySortKey(b);
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}
