/**
 * Which Calico policies apply to a WorkloadEndpoint, in the order Felix evaluates them.
 *
 * @module
 */
import { ValidationError, type FieldError } from './errors.js';
import { plainDataError } from './model/input-guard.js';
import { shapeError, type Shape } from './model/input-shape.js';
import { NAMESPACE_PROFILE_PREFIX, SERVICE_ACCOUNT_PROFILE_PREFIX } from './policy/calico-selectors.js';
import { createPolicyView, type ViewPolicy } from './policy/view.js';
import type { AnyResource } from './policy/view-types.js';
import type { GlobalNetworkPolicy, NetworkPolicy, Tier, WorkloadEndpoint } from './model/types.generated.js';

/** Extra context for {@link policiesForEndpoint}: what the endpoint inherits from its namespace and service account. */
export interface PoliciesForEndpointOptions {
  /** Labels of the endpoint's Namespace (Kubernetes: inherited through profile `kns.<ns>`). @default {} */
  namespaceLabels?: Readonly<Record<string, string>>;
  /** Labels of the endpoint's ServiceAccount (through profile `ksa.<ns>.<sa>`). @default {} */
  serviceAccountLabels?: Readonly<Record<string, string>>;
  /** Tiers, for their order. Built-in tiers are known without being listed. @default [] */
  tiers?: readonly Tier[];
  /**
   * Only policies whose `types` include this direction (types inferred from the rules when
   * absent, as the client stores them). @default both directions
   */
  direction?: 'ingress' | 'egress';
}

/** The policies of {@link policiesForEndpointByDirection}, enforced and staged apart. */
export interface PoliciesByDirection<P> {
  /** Enforced policies for traffic into the endpoint, in evaluation order. */
  ingress: P[];
  /** Enforced policies for traffic out of the endpoint, in evaluation order. */
  egress: P[];
  /** Staged policies (not enforced), in the order Felix would evaluate them. */
  staged: { ingress: P[]; egress: P[] };
}

/** Any policy kind the functions accept: NetworkPolicy, GlobalNetworkPolicy, Staged* or a Kubernetes NetworkPolicy. */
type AnyPolicy = NetworkPolicy | GlobalNetworkPolicy | AnyResource;

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

function selected<P extends AnyPolicy>(endpoint: WorkloadEndpoint, policies: readonly P[], options: PoliciesForEndpointOptions): ViewPolicy[] {
  const problem = argumentError(endpoint, ENDPOINT_SHAPE, 'endpoint', true) ?? argumentError(policies, POLICIES_SHAPE, 'policies', true) ?? argumentError(options, OPTIONS_SHAPE, 'options', false);
  if (problem) throw new ValidationError([problem]);
  const namespace = endpoint.metadata?.namespace ?? '';
  const sa = endpoint.spec?.serviceAccountName || undefined;
  const nsProfile = NAMESPACE_PROFILE_PREFIX + namespace;
  const saProfile = sa ? `${SERVICE_ACCOUNT_PROFILE_PREFIX}${namespace}.${sa}` : undefined;
  const profiles = [...(endpoint.spec?.profiles ?? [])];
  if (namespace && !profiles.includes(nsProfile)) profiles.push(nsProfile);
  if (saProfile && !profiles.includes(saProfile)) profiles.push(saProfile);
  const resources: AnyResource[] = [
    { ...endpoint, spec: { ...endpoint.spec, profiles } },
    ...(namespace ? [{ kind: 'Namespace', metadata: { name: namespace, labels: { ...(options.namespaceLabels ?? {}) } } }] : []),
    ...(sa ? [{ kind: 'ServiceAccount', metadata: { name: sa, namespace, labels: { ...(options.serviceAccountLabels ?? {}) } } }] : []),
    ...(options.tiers ?? []),
    ...policies,
  ];
  const view = createPolicyView(resources);
  const item = view.endpoints()[0];
  return item ? [...view.policiesFor(item)] : [];
}

/**
 * Returns the enforced policies that apply to `endpoint`, in Felix's evaluation order: tiers by
 * order (unordered tiers last) then name; inside a tier by `PolKVLess` — order (none = +Inf),
 * then `name/namespace/kind` — so equal-order policies sort by name before namespace. Selection
 * uses the selectors Felix evaluates (libcalico-go's update processors): a NetworkPolicy applies in
 * its own namespace; `serviceAccountSelector`/`namespaceSelector` match the inherited `pcsa.`/`pcns.`
 * labels, with Calico's textual `all()` rewrite for GlobalNetworkPolicies. An invalid selector
 * selects nothing. Staged policies are left out (see {@link policiesForEndpointByDirection});
 * `options.direction` keeps only policies whose `types` include it.
 *
 * Changed in 0.2: the tie-break is Felix's (`name/namespace/kind`, was `namespace/name`), staged
 * kinds are no longer returned, `direction` was added, and `all()` written inside a
 * GlobalNetworkPolicy's own selector is rewritten as Calico does.
 *
 * ## Example
 * ```ts
 * const wep = await client.workloadEndpoints.get({ namespace: 'shop', name: 'node1-k8s-web--0-eth0' });
 * const nps = await client.networkPolicies.list({ namespace: 'shop' });
 * const gnps = await client.globalNetworkPolicies.list();
 * const applied = policiesForEndpoint(wep, [...nps.items, ...gnps.items], { namespaceLabels: { team: 'a' }, direction: 'ingress' });
 * console.log(applied.map((p) => p.metadata.name));
 * ```
 * @param endpoint The WorkloadEndpoint.
 * @param policies Candidate policies (any policy kind; others are ignored).
 * @param options Namespace and service-account labels, tiers, direction.
 * @return The selecting enforced policies, in evaluation order.
 * @throws ValidationError naming the argument field (`endpoint.metadata.labels`, `policies[2].spec`,
 *   `options.tiers`) when an argument is not plain data of the expected shape.
 */
export function policiesForEndpoint<P extends AnyPolicy>(endpoint: WorkloadEndpoint, policies: readonly P[], options: PoliciesForEndpointOptions = {}): P[] {
  // `selected` checks every argument first, so `options` is read only once it is known to be an object.
  const chosen = selected(endpoint, policies, options);
  const dir = options.direction;
  return chosen
    .filter((p) => !p.staged && (dir === undefined || (dir === 'ingress' ? p.ingress : p.egress)))
    .map((p) => p.resource as P);
}

/**
 * Like {@link policiesForEndpoint}, split by direction (`spec.types`), with staged policies
 * (StagedNetworkPolicy, StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy; `stagedAction:
 * Delete` excluded, as Felix never receives those) apart from the enforced ones.
 *
 * @param endpoint The WorkloadEndpoint.
 * @param policies Candidate policies.
 * @param options Namespace and service-account labels, tiers (`direction` is ignored).
 * @return The policies per direction, enforced and staged.
 */
export function policiesForEndpointByDirection<P extends AnyPolicy>(endpoint: WorkloadEndpoint, policies: readonly P[], options: PoliciesForEndpointOptions = {}): PoliciesByDirection<P> {
  const out: PoliciesByDirection<P> = { ingress: [], egress: [], staged: { ingress: [], egress: [] } };
  for (const p of selected(endpoint, policies, options)) {
    const into = p.staged ? out.staged : out;
    if (p.ingress) into.ingress.push(p.resource as P);
    if (p.egress) into.egress.push(p.resource as P);
  }
  return out;
}
