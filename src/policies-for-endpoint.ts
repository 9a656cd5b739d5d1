/**
 * Which Calico policies apply to a WorkloadEndpoint, in the order Felix evaluates them.
 *
 * @module
 */
import { ValidationError, type FieldError } from './errors.js';
import { plainDataError } from './model/input-guard.js';
import { shapeError, type Shape } from './model/input-shape.js';
import { parseSelector, type Selector } from './model/selector/index.js';
import { BUILT_IN_TIERS, DEFAULT_TIER_NAME, DEFAULT_TIER_ORDER } from './model/tier-builtins.js';
import type { GlobalNetworkPolicy, NetworkPolicy, Tier, WorkloadEndpoint } from './model/types.generated.js';

/** Extra context for {@link policiesForEndpoint}: what the endpoint inherits from its namespace and service account. */
export interface PoliciesForEndpointOptions {
  /** Labels of the endpoint's Namespace (Kubernetes: inherited through profile `kns.<ns>`). @default {} */
  namespaceLabels?: Readonly<Record<string, string>>;
  /** Labels of the endpoint's ServiceAccount (through profile `ksa.<ns>.<sa>`). @default {} */
  serviceAccountLabels?: Readonly<Record<string, string>>;
  /** Tiers, for their order. Built-in tiers are known without being listed. @default [] */
  tiers?: readonly Tier[];
}

type AnyPolicy = NetworkPolicy | GlobalNetworkPolicy;

const NAMESPACE_LABEL = 'projectcalico.org/namespace';
const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
const NAME_LABEL = 'projectcalico.org/name';

const stringMap: Shape = { map: 'string' };
const ENDPOINT_SHAPE: Shape = { object: { metadata: { object: { namespace: 'string', labels: stringMap } }, spec: { object: { serviceAccountName: 'string' } } } };
const POLICIES_SHAPE: Shape = {
  array: {
    object: {
      kind: 'string',
      metadata: { object: { name: 'string', namespace: 'string' } },
      spec: { object: { tier: 'string', order: 'number', selector: 'string', serviceAccountSelector: 'string', namespaceSelector: 'string' } },
    },
  },
};
const OPTIONS_SHAPE: Shape = {
  object: { namespaceLabels: stringMap, serviceAccountLabels: stringMap, tiers: { array: { object: { metadata: { object: { name: 'string' } }, spec: { object: { order: 'number' } } } } } },
};

/** The first problem with one argument: not plain data, not an object (or array), or a field of the wrong type. */
function argumentError(value: unknown, shape: Shape, root: string, required: boolean): FieldError | undefined {
  const plain = plainDataError(value, { root });
  if (plain) return plain;
  if (value === undefined && !required) return undefined;
  const isArray = 'array' in (shape as object);
  if (value === null || typeof value !== 'object' || Array.isArray(value) !== isArray) return { path: root, type: 'invalid', message: isArray ? 'must be an array' : 'must be an object' };
  return shapeError(value, shape, root);
}

function tryParse(expr: string | undefined): Selector | undefined | null {
  if (expr === undefined || expr === '') return undefined;
  try {
    return parseSelector(expr);
  } catch {
    return null; // an invalid selector selects nothing
  }
}

/** True when a namespace/service-account selector field means "has a namespace" / "has a service account". */
function isAll(sel: Selector): boolean {
  return sel.toString() === 'all()';
}

/**
 * Matches a selector that Calico evaluates on prefixed inherited labels (`pcns.` / `pcsa.`) against
 * the unprefixed labels, plus `projectcalico.org/name`.
 */
function matchesInherited(sel: Selector, labels: Readonly<Record<string, string>>, name: string | undefined): boolean {
  return sel.matchesLookup((key) => (key === NAME_LABEL && name !== undefined ? name : labels[key]));
}

/**
 * Returns the policies that apply to `endpoint`, in evaluation order: by tier (tier order, then tier
 * name), then by policy order (policies without an order last), then by name (`namespace/name` for
 * NetworkPolicies). Selection follows Calico (selectors.md §7): a NetworkPolicy applies only in its own
 * namespace; `selector` matches the endpoint's labels; a GlobalNetworkPolicy's `namespaceSelector`
 * matches the namespace's labels (`all()` means "any namespaced endpoint"); `serviceAccountSelector`
 * matches the service account's labels (`all()` means "has a service account"). An invalid selector
 * selects nothing.
 *
 * Calico applies its `all()` rewrite as a text replacement over the combined selector, which also
 * rewrites an `all()` written inside a GlobalNetworkPolicy's own `selector`; this function evaluates
 * each field on its own meaning instead.
 *
 * ## Example
 * ```ts
 * const wep = await client.workloadEndpoints.get({ namespace: 'shop', name: 'node1-k8s-web--0-eth0' });
 * const nps = await client.networkPolicies.list({ namespace: 'shop' });
 * const gnps = await client.globalNetworkPolicies.list();
 * const applied = policiesForEndpoint(wep, [...nps.items, ...gnps.items], { namespaceLabels: { team: 'a' } });
 * console.log(applied.map((p) => p.metadata.name));
 * ```
 * @param endpoint The WorkloadEndpoint (its labels should include the owned labels the client sets).
 * @param policies Candidate NetworkPolicies and GlobalNetworkPolicies.
 * @param options Namespace and service-account labels, and the tiers.
 * @return The selecting policies, in evaluation order.
 * @throws ValidationError naming the argument field (`endpoint.metadata.labels`, `policies[2].spec`,
 *   `options.tiers`) when an argument is not plain data of the expected shape.
 */
export function policiesForEndpoint<P extends AnyPolicy>(endpoint: WorkloadEndpoint, policies: readonly P[], options: PoliciesForEndpointOptions = {}): P[] {
  const problem = argumentError(endpoint, ENDPOINT_SHAPE, 'endpoint', true) ?? argumentError(policies, POLICIES_SHAPE, 'policies', true) ?? argumentError(options, OPTIONS_SHAPE, 'options', false);
  if (problem) throw new ValidationError([problem]);
  const namespace = endpoint.metadata?.namespace ?? '';
  const serviceAccount = endpoint.spec?.serviceAccountName || undefined;
  const ownLabels: Record<string, string> = { ...(endpoint.metadata?.labels ?? {}) };
  if (namespace) ownLabels[NAMESPACE_LABEL] = namespace;
  if (serviceAccount && serviceAccount.length < 63) ownLabels[SERVICE_ACCOUNT_LABEL] ??= serviceAccount;
  const nsLabels = options.namespaceLabels ?? {};
  const saLabels = options.serviceAccountLabels ?? {};

  const selects = (p: AnyPolicy): boolean => {
    const spec = p.spec ?? {};
    if (p.kind === 'NetworkPolicy' && p.metadata?.namespace !== namespace) return false;
    const sel = tryParse(spec.selector);
    if (sel === null || (sel && !sel.matches(ownLabels))) return false;
    const saSel = tryParse(spec.serviceAccountSelector);
    if (saSel === null) return false;
    if (saSel && (isAll(saSel) ? !serviceAccount : !matchesInherited(saSel, saLabels, serviceAccount))) return false;
    if (p.kind === 'GlobalNetworkPolicy') {
      const nsSel = tryParse((spec as GlobalNetworkPolicy['spec'] & object).namespaceSelector);
      if (nsSel === null) return false;
      if (nsSel && (isAll(nsSel) ? !namespace : !namespace || !matchesInherited(nsSel, nsLabels, namespace))) return false;
    }
    return true;
  };

  const tierOrder = new Map<string, number>(BUILT_IN_TIERS.map((t) => [t.name, t.order]));
  for (const t of options.tiers ?? []) tierOrder.set(t.metadata?.name ?? '', t.spec?.order ?? DEFAULT_TIER_ORDER);
  const tierOf = (p: AnyPolicy): string => p.spec?.tier || DEFAULT_TIER_NAME;
  const sortName = (p: AnyPolicy): string => (p.kind === 'NetworkPolicy' ? `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}` : (p.metadata?.name ?? ''));
  const cmp = (a: number, b: number): number => (a === b ? 0 : a < b ? -1 : 1);
  const str = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

  return policies.filter(selects).sort((a, b) => {
    const ta = tierOf(a);
    const tb = tierOf(b);
    return (
      cmp(tierOrder.get(ta) ?? DEFAULT_TIER_ORDER, tierOrder.get(tb) ?? DEFAULT_TIER_ORDER) ||
      str(ta, tb) ||
      cmp(a.spec?.order ?? Infinity, b.spec?.order ?? Infinity) ||
      str(sortName(a), sortName(b))
    );
  });
}
