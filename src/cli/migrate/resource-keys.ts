/**
 * Storage keys and display labels of the objects a migration moves.
 *
 * @module
 */
import type { ResourceKey, ResourceObject } from '../../backends/backend.js';
import { MIGRATION_KINDS } from './migration-kinds.js';

const NAMESPACED = new Set(MIGRATION_KINDS.filter((k) => k.namespaced).map((k) => k.kind));

/**
 * The storage key of an object of a migration kind.
 *
 * Namespaced kinds without a namespace go to `default`, as calicoctl's apply does.
 *
 * @param obj The object (its `kind` set).
 * @return Its key.
 */
export function keyOf(obj: ResourceObject): ResourceKey {
  const name = obj.metadata?.name ?? '';
  return NAMESPACED.has(obj.kind) ? { kind: obj.kind, namespace: obj.metadata?.namespace || 'default', name } : { kind: obj.kind, name };
}

/**
 * A key as messages show it: `Kind(name)` or `Kind(namespace/name)`.
 *
 * @param key The key.
 * @return The label.
 */
export function keyLabel(key: ResourceKey): string {
  return key.namespace ? `${key.kind}(${key.namespace}/${key.name})` : `${key.kind}(${key.name})`;
}
