/**
 * The kind registry: one row per Calico kind with every static fact the library needs about it —
 * names, scope, storage layout in etcd and Kubernetes, CLI names, status handling, export order,
 * singleton and reserved names, and whether the library types it yet. Every other kind table
 * (etcd keys, Kubernetes custom resources, CLI names, migration order, defaulters, semantic checks)
 * is derived from this one, so adding a kind means adding its row here.
 *
 * The facts come from Calico: names and short names from calicoctl's resource manager, plurals and
 * scope from libcalico-go's resource model, CRD plurals and status subresources from the
 * `crd.projectcalico.org/v1` manifests, export order from `calicoctl datastore migrate export`.
 *
 * @see docs/model.md#the-kind-registry
 * @module
 */

import { BUILT_IN_TIERS } from './tier-builtins.js';

/** API group of every Calico resource. */
export const CALICO_API_GROUP = 'projectcalico.org';

/** The group and version of every Calico resource. */
export const CALICO_API_VERSION = `${CALICO_API_GROUP}/v3` as const;

/**
 * Prefix of every v3 resource key in etcd. An object's key is
 * `<prefix><plural>/<name>`, or `<prefix><plural>/<namespace>/<name>` for namespaced kinds.
 */
export const ETCD_RESOURCE_PREFIX = '/calico/resources/v3/projectcalico.org/';

/** How the CLI of this library handles a kind. */
export type CliAccess = 'read-write' | 'read-only';

/** One row of the registry. */
export interface KindFacts {
  /** Kind name, for example `IPPool`. */
  readonly kind: string;
  /** Kind of a list of this kind, for example `IPPoolList`. */
  readonly listKind: string;
  /** Lower-case singular (the kind lower-cased). */
  readonly singular: string;
  /** Lower-case plural: the v3 API plural and the etcd key segment. */
  readonly plural: string;
  /** True when objects live in a namespace. */
  readonly namespaced: boolean;
  /** Every name calicoctl accepts for the kind on its command line, in calicoctl's order; empty when calicoctl has none. */
  readonly cliNames: readonly string[];
  /** The abbreviations among {@link cliNames}: every name except the singular and the plural. */
  readonly shortNames: readonly string[];
  /** How this library's CLI handles the kind; undefined when the CLI does not handle it. */
  readonly cli?: CliAccess;
  /**
   * The plural of the `crd.projectcalico.org/v1` custom resource that stores the kind on
   * Kubernetes; undefined when the kind is a view of Kubernetes objects (Node, WorkloadEndpoint,
   * Profile, KubernetesNetworkPolicy).
   */
  readonly crdPlural?: string;
  /** Kind of that custom resource when it differs from {@link kind} (IPAMConfiguration is stored as `IPAMConfig`). */
  readonly crdKind?: string;
  /** True when the custom resource has a `status` subresource in current Calico. */
  readonly statusSubresource: boolean;
  /** True when the kind has a `status` the client keeps apart from `spec`. */
  readonly hasStatus: boolean;
  /** True for tiered policy kinds, whose stored name and v3 name can differ (the legacy `default.` prefix). */
  readonly tieredPolicy: boolean;
  /** Position in calicoctl's export order (0 first); undefined when a migration does not export the kind. */
  readonly exportOrder?: number;
  /** The only name an object may have (`default`), for singleton kinds. */
  readonly singletonName?: string;
  /** Besides `default`, the prefix of per-node object names (`node.<nodename>`). */
  readonly perNodePrefix?: string;
  /** Names the datastore creates itself and that cannot be deleted. */
  readonly reservedNames: readonly string[];
  /** Name prefixes reserved for objects Calico converts from Kubernetes (read-only). */
  readonly reservedNamePrefixes: readonly string[];
  /** Key prefix of every object of the kind in etcd: `<ETCD_RESOURCE_PREFIX><plural>/`. */
  readonly etcdPrefix: string;
  /** True when the library has a schema, type, defaults and rules for the kind. */
  readonly typed: boolean;
}

interface Row {
  readonly kind: string;
  readonly plural: string;
  readonly namespaced?: boolean;
  readonly cliNames?: readonly string[];
  readonly cli?: CliAccess;
  readonly crdPlural?: string;
  readonly crdKind?: string;
  readonly statusSubresource?: boolean;
  readonly hasStatus?: boolean;
  readonly tieredPolicy?: boolean;
  readonly singletonName?: string;
  readonly perNodePrefix?: string;
  readonly reservedNames?: readonly string[];
  readonly reservedNamePrefixes?: readonly string[];
  readonly typed?: boolean;
}

/** calicoctl's export order (`datastore migrate export`); the kinds it does not list are not exported. */
const EXPORT_ORDER: readonly string[] = [
  'IPPool',
  'BGPPeer',
  'Tier',
  'GlobalNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'GlobalNetworkSet',
  'HostEndpoint',
  'KubeControllersConfiguration',
  'NetworkPolicy',
  'StagedNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
  'NetworkSet',
  'Node',
  'BGPConfiguration',
  'FelixConfiguration',
  'IPReservation',
  'BGPFilter',
];

/** The built-in tiers (libcalico-go's protected tier names); `tier-builtins.ts` holds their specs. */
const PROTECTED_TIERS: readonly string[] = BUILT_IN_TIERS.map((t) => t.name);

// One row per kind; the CLI help lists the CLI's kinds in this order.
const ROWS = [
  { kind: 'Node', plural: 'nodes', cliNames: ['node', 'nodes', 'no', 'nos'], cli: 'read-write', hasStatus: true, typed: true },
  { kind: 'IPPool', plural: 'ippools', cliNames: ['ippool', 'ippools', 'ipp', 'ipps', 'pool', 'pools'], cli: 'read-write', crdPlural: 'ippools', statusSubresource: true, hasStatus: true, typed: true },
  { kind: 'WorkloadEndpoint', plural: 'workloadendpoints', namespaced: true, cliNames: ['workloadendpoint', 'workloadendpoints', 'wep', 'weps'], cli: 'read-write', typed: true },
  {
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
    cliNames: ['networkpolicy', 'networkpolicies', 'policy', 'np', 'policies', 'pol', 'pols'],
    cli: 'read-write',
    crdPlural: 'networkpolicies',
    tieredPolicy: true,
    reservedNamePrefixes: ['knp.default.'],
    typed: true,
  },
  {
    kind: 'GlobalNetworkPolicy',
    plural: 'globalnetworkpolicies',
    cliNames: ['globalnetworkpolicy', 'globalnetworkpolicies', 'gnp', 'gnps'],
    cli: 'read-write',
    crdPlural: 'globalnetworkpolicies',
    tieredPolicy: true,
    reservedNamePrefixes: ['kcnp.', 'kanp.', 'kbanp.'],
    typed: true,
  },
  { kind: 'Profile', plural: 'profiles', cliNames: ['profile', 'profiles', 'pro', 'pros'], cli: 'read-only' },
  { kind: 'Tier', plural: 'tiers', cliNames: ['tier', 'tiers'], cli: 'read-write', crdPlural: 'tiers', statusSubresource: true, hasStatus: true, reservedNames: PROTECTED_TIERS, typed: true },
  { kind: 'HostEndpoint', plural: 'hostendpoints', cliNames: ['hostendpoint', 'hostendpoints', 'hep', 'heps'], crdPlural: 'hostendpoints' },
  { kind: 'NetworkSet', plural: 'networksets', namespaced: true, cliNames: ['networkset', 'networksets', 'netsets'], crdPlural: 'networksets' },
  { kind: 'GlobalNetworkSet', plural: 'globalnetworksets', cliNames: ['globalnetworkset', 'globalnetworksets', 'gnetsets'], crdPlural: 'globalnetworksets' },
  { kind: 'FelixConfiguration', plural: 'felixconfigurations', cliNames: ['felixconfiguration', 'felixconfigurations', 'felixconfig', 'felixconfigs'], crdPlural: 'felixconfigurations', perNodePrefix: 'node.' },
  { kind: 'BGPPeer', plural: 'bgppeers', cliNames: ['bgppeer', 'bgppeers', 'bgpp', 'bgpps', 'bp', 'bps'], crdPlural: 'bgppeers' },
  { kind: 'BGPConfiguration', plural: 'bgpconfigurations', cliNames: ['bgpconfiguration', 'bgpconfigurations', 'bgpconfig', 'bgpconfigs'], crdPlural: 'bgpconfigurations', perNodePrefix: 'node.' },
  { kind: 'BGPFilter', plural: 'bgpfilters', cliNames: ['bgpfilter', 'bgpfilters', 'bgpf', 'bgpfs', 'bf', 'bfs'], crdPlural: 'bgpfilters' },
  {
    kind: 'KubeControllersConfiguration',
    plural: 'kubecontrollersconfigurations',
    cliNames: ['kubecontrollersconfiguration', 'kubecontrollersconfigurations', 'kubecontrollersconfig', 'kubecontrollersconfigs'],
    crdPlural: 'kubecontrollersconfigurations',
    statusSubresource: true,
    hasStatus: true,
    singletonName: 'default',
  },
  {
    kind: 'ClusterInformation',
    plural: 'clusterinformations',
    cliNames: ['clusterinformation', 'clusterinformations', 'clusterinfo', 'clusterinfos'],
    crdPlural: 'clusterinformations',
    singletonName: 'default',
  },
  { kind: 'IPReservation', plural: 'ipreservations', cliNames: ['ipreservation', 'ipreservations', 'reservation', 'reservations'], crdPlural: 'ipreservations' },
  {
    kind: 'StagedNetworkPolicy',
    plural: 'stagednetworkpolicies',
    namespaced: true,
    cliNames: ['stagednetworkpolicy', 'stagednetworkpolicies', 'stagedpolicy', 'snp', 'stagedpolicies', 'spol', 'spols'],
    crdPlural: 'stagednetworkpolicies',
    tieredPolicy: true,
  },
  {
    kind: 'StagedGlobalNetworkPolicy',
    plural: 'stagedglobalnetworkpolicies',
    cliNames: ['stagedglobalnetworkpolicy', 'stagedglobalnetworkpolicies', 'sgnp', 'sgnps'],
    crdPlural: 'stagedglobalnetworkpolicies',
    tieredPolicy: true,
  },
  {
    kind: 'StagedKubernetesNetworkPolicy',
    plural: 'stagedkubernetesnetworkpolicies',
    namespaced: true,
    cliNames: ['stagedkubernetesnetworkpolicy', 'stagedkubernetesnetworkpolicies', 'stagedkubernetespolicy', 'sknp', 'stagedkubernetespolicies', 'skpol', 'skpols'],
    crdPlural: 'stagedkubernetesnetworkpolicies',
  },
  {
    kind: 'CalicoNodeStatus',
    plural: 'caliconodestatuses',
    cliNames: ['caliconodestatus', 'caliconodestatuses', 'nodestatus', 'nodestatuses'],
    crdPlural: 'caliconodestatuses',
    statusSubresource: true,
    hasStatus: true,
  },
  {
    kind: 'IPAMConfiguration',
    plural: 'ipamconfigurations',
    cliNames: ['ipamconfiguration', 'ipamconfigurations', 'ipamconfig', 'ipamconfigs'],
    crdPlural: 'ipamconfigs',
    crdKind: 'IPAMConfig',
    singletonName: 'default',
  },
  // Calico's view of Kubernetes NetworkPolicies; not served over the v3 API, so calicoctl has no names for it.
  { kind: 'KubernetesNetworkPolicy', plural: 'kubernetesnetworkpolicies', namespaced: true },
  // libcalico-go's internal kind for VM live migrations: stored per namespace in etcd.
  { kind: 'LiveMigration', plural: 'livemigrations', namespaced: true },
] as const satisfies readonly Row[];

/** The kinds the library types: each has a schema, a TypeScript type, defaults and rules. */
export type TypedKind = Extract<(typeof ROWS)[number], { readonly typed: true }>['kind'];

function facts(row: Row): KindFacts {
  const singular = row.kind.toLowerCase();
  const cliNames = Object.freeze([...(row.cliNames ?? [])]);
  const exportOrder = EXPORT_ORDER.indexOf(row.kind);
  return Object.freeze({
    kind: row.kind,
    listKind: `${row.kind}List`,
    singular,
    plural: row.plural,
    namespaced: row.namespaced ?? false,
    cliNames,
    shortNames: Object.freeze(cliNames.filter((n) => n !== singular && n !== row.plural)),
    ...(row.cli ? { cli: row.cli } : {}),
    ...(row.crdPlural ? { crdPlural: row.crdPlural } : {}),
    ...(row.crdKind ? { crdKind: row.crdKind } : {}),
    statusSubresource: row.statusSubresource ?? false,
    hasStatus: row.hasStatus ?? false,
    tieredPolicy: row.tieredPolicy ?? false,
    ...(exportOrder >= 0 ? { exportOrder } : {}),
    ...(row.singletonName ? { singletonName: row.singletonName } : {}),
    ...(row.perNodePrefix ? { perNodePrefix: row.perNodePrefix } : {}),
    reservedNames: Object.freeze([...(row.reservedNames ?? [])]),
    reservedNamePrefixes: Object.freeze([...(row.reservedNamePrefixes ?? [])]),
    etcdPrefix: `${ETCD_RESOURCE_PREFIX}${row.plural}/`,
    typed: row.typed ?? false,
  });
}

/** Every row, in registry order (the CLI's kinds first, in the order its help lists them). */
export const KIND_REGISTRY: readonly KindFacts[] = Object.freeze((ROWS as readonly Row[]).map(facts));

const BY_KIND: ReadonlyMap<string, KindFacts> = new Map(KIND_REGISTRY.map((k) => [k.kind, k]));

/**
 * The registry row of a kind (exact, case-sensitive).
 *
 * ## Example
 * ```ts
 * kindFacts('BGPPeer')?.crdPlural; // 'bgppeers'
 * kindFacts('Nope');               // undefined
 * ```
 * @param kind Kind name.
 * @return The row, or undefined for a kind Calico does not have.
 */
export function kindFacts(kind: string): KindFacts | undefined {
  return typeof kind === 'string' ? BY_KIND.get(kind) : undefined;
}

/**
 * The English plural of a lower-cased kind name, the rule Calico's plurals follow; used for kinds
 * outside the registry.
 *
 * @param kind Kind name.
 * @return For example `widgets` for `Widget`, `policies` for `Policy`.
 */
export function englishPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/**
 * The rows with an export position, in calicoctl's export order.
 *
 * @return The exported kinds.
 */
export function kindsInExportOrder(): readonly KindFacts[] {
  return KIND_REGISTRY.filter((k) => k.exportOrder !== undefined).sort((a, b) => (a.exportOrder as number) - (b.exportOrder as number));
}
