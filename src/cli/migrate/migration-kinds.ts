/**
 * The kinds a migration moves, in calicoctl's export order (cli.md §9.2).
 *
 * @module
 */
import { kindsInExportOrder } from '../../model/kind-registry.js';

/** One kind of the export file's first section. */
export interface MigrationKind {
  /** The v3 kind. */
  readonly kind: string;
  /** True for namespaced kinds (exported from every namespace). */
  readonly namespaced: boolean;
}

/** The kinds, in export order. WorkloadEndpoints and Profiles are never exported: they are views. */
export const MIGRATION_KINDS: readonly MigrationKind[] = Object.freeze(kindsInExportOrder().map((k) => Object.freeze({ kind: k.kind, namespaced: k.namespaced })));
