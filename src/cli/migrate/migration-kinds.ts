/**
 * The kinds a migration moves, in calicoctl's export order (cli.md §9.2).
 *
 * @module
 */

/** One kind of the export file's first section. */
export interface MigrationKind {
  /** The v3 kind. */
  readonly kind: string;
  /** True for namespaced kinds (exported from every namespace). */
  readonly namespaced: boolean;
}

/** The kinds, in export order. WorkloadEndpoints and Profiles are never exported: they are views. */
export const MIGRATION_KINDS: readonly MigrationKind[] = (
  [
    ['IPPool', false],
    ['BGPPeer', false],
    ['Tier', false],
    ['GlobalNetworkPolicy', false],
    ['StagedGlobalNetworkPolicy', false],
    ['GlobalNetworkSet', false],
    ['HostEndpoint', false],
    ['KubeControllersConfiguration', false],
    ['NetworkPolicy', true],
    ['StagedNetworkPolicy', true],
    ['StagedKubernetesNetworkPolicy', true],
    ['NetworkSet', true],
    ['Node', false],
    ['BGPConfiguration', false],
    ['FelixConfiguration', false],
    ['IPReservation', false],
    ['BGPFilter', false],
  ] as const
).map(([kind, namespaced]) => Object.freeze({ kind, namespaced }));

/** Tiers every datastore creates itself; they do not make a target "non-empty". */
export const BUILT_IN_TIERS: ReadonlySet<string> = new Set(['default', 'kube-admin', 'kube-baseline', 'adminnetworkpolicy', 'baselineadminnetworkpolicy']);
