/**
 * Which namespace a resource is read or written in (cli.md §4.3): the document's namespace, the
 * `-n` flag and `-A`, with calicoctl's error texts.
 *
 * @module
 */
import type { CliKind } from './kinds.js';

/** The namespace flags of a command. */
export interface NamespaceFlags {
  /** `-n` value; '' when not given. */
  namespace?: string;
  /** `-A` (get only). */
  allNamespaces: boolean;
}

/** The resolved namespace (undefined: cluster-scoped, or every namespace for a list), or an error text. */
export type NamespaceResult = { namespace?: string } | { error: string };

/** The namespace namespaced kinds use when none is given. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Applies the §4.3 table to one resource.
 *
 * The checks run in the table's order. A cluster-scoped kind rejects a document namespace first,
 * then any `-n` or `-A` — so `get ippools -A` fails with `IPPool is not namespaced`, as calicoctl
 * does. For a namespaced kind, `-n` with `-A` is an error whatever the document says; `-A` alone
 * means every namespace for a list and is an error for a single resource; otherwise the document's
 * namespace, then `-n`, then `default` apply, and a document namespace that differs from `-n` is an
 * error.
 *
 * @param kind The resource's kind.
 * @param documentNamespace `metadata.namespace` of the document (undefined or '' when absent).
 * @param flags `-n` and `-A`.
 * @param mode `list` for a list without names, `single` for a named resource or a document.
 * @return The namespace to use, or calicoctl's error text.
 */
export function resolveNamespace(kind: CliKind, documentNamespace: string | undefined, flags: NamespaceFlags, mode: 'list' | 'single'): NamespaceResult {
  const flag = flags.namespace ?? '';
  const doc = documentNamespace ?? '';
  if (!kind.namespaced) {
    if (doc !== '') return { error: `namespace should not be specified for a non-namespaced resource. ${kind.kind} is not a namespaced resource` };
    if (flag !== '' || flags.allNamespaces) return { error: `${kind.kind} is not namespaced` };
    return {};
  }
  if (flags.allNamespaces) {
    if (flag !== '') return { error: 'cannot use both --namespace and --all-namespaces flags at the same time' };
    if (mode === 'single') return { error: 'cannot use --all-namespace flag for getting a single resource' };
    return {};
  }
  if (doc !== '' && flag !== '' && doc !== flag) return { error: `resource namespace does not match client namespace. ${doc} != ${flag}` };
  return { namespace: doc || flag || DEFAULT_NAMESPACE };
}
