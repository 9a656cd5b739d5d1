/**
 * The identifier an error names for a resource key.
 *
 * @module
 */
import type { ResourceIdentifier } from '../errors.js';
import type { ResourceKey } from './backend.js';

/**
 * The identifier errors print for a key: `{kind, namespace?, name}`, without an empty namespace.
 *
 * @param key A resource key.
 * @return A fresh identifier.
 */
export function identifierOf(key: ResourceKey): ResourceIdentifier {
  return key.namespace ? { kind: key.kind, namespace: key.namespace, name: key.name } : { kind: key.kind, name: key.name };
}
