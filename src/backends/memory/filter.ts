/**
 * The filters shared by `list` and `watch` (kind, namespace, exact name or prefix, label
 * selector) and revision parsing.
 *
 * @module
 */
import type { ListOptions } from '../backend.js';
import { ValidationError } from '../../errors.js';
import { parseLabelSelector } from '../label-selector.js';
import { isNamespacedKind, pluralOf, RESOURCE_KEY_PREFIX } from './keys.js';
import type { Entry } from './store.js';

/** A compiled {@link ListOptions}. */
export interface EntryFilter {
  /** Every matching entry's storage key starts with this (the etcd range a read would use). */
  readonly prefix: string;
  /** True when the entry's key matches kind, namespace and name. Keys never change, so this is fixed per key. */
  matchesKey(entry: Entry): boolean;
  /** True when the key matches and the labels satisfy the selector. */
  matches(entry: Entry): boolean;
}

/**
 * Compiles list/watch filters.
 *
 * @param options The caller's filters.
 * @return The filter.
 * @throws ValidationError naming `kind` or `labelSelector`.
 */
export function compileFilter(options: ListOptions): EntryFilter {
  if (typeof options?.kind !== 'string' || options.kind === '') {
    throw new ValidationError([{ path: 'kind', type: 'required', message: 'a kind is required' }]);
  }
  const { kind, name } = options;
  // A namespace on a cluster-scoped kind selects nothing different: ignore it.
  const namespace = isNamespacedKind(kind) && options.namespace ? options.namespace : undefined;
  const prefix = options.namePrefix === true;
  const selector = options.labelSelector?.trim() ? parseLabelSelector(options.labelSelector) : undefined;
  const matchesKey = (e: Entry): boolean => {
    if (e.key.kind !== kind) return false;
    if (namespace !== undefined && e.key.namespace !== namespace) return false;
    if (name !== undefined && name !== '') return prefix ? e.key.name.startsWith(name) : e.key.name === name;
    return true;
  };
  const namespaced = isNamespacedKind(kind);
  let keyPrefix = `${RESOURCE_KEY_PREFIX}${pluralOf(kind)}/`;
  if (namespace !== undefined) keyPrefix += `${namespace}/`;
  if (name && (namespace !== undefined || !namespaced)) keyPrefix += name;
  return {
    prefix: keyPrefix,
    matchesKey,
    matches: (e) => matchesKey(e) && (selector === undefined || selector.matches(e.value.metadata.labels)),
  };
}

/**
 * Parses a revision given by a caller. Empty and `"0"` mean "latest" (etcd's convention).
 *
 * @param text The revision, or undefined.
 * @param path Field path named in the error.
 * @return The revision number, or undefined for "latest".
 * @throws ValidationError naming `path` when the text is not a decimal revision.
 */
export function parseRevision(text: string | undefined, path: string): number | undefined {
  if (text === undefined || text === '' || text === '0') return undefined;
  if (typeof text !== 'string' || !/^[0-9]{1,15}$/.test(text)) {
    throw new ValidationError([{ path, type: 'invalid', message: 'must be a decimal revision of this datastore' }]);
  }
  return Number(text);
}
