/**
 * The rule every backend applies to a write: the key is authoritative. A value must be an object
 * with `metadata` and, when it names a kind, the key's kind (a value of another kind is refused,
 * never stored under the wrong key); its name and namespace are taken from the key.
 *
 * @module
 */
import type { ResourceKey, ResourceObject } from './backend.js';
import { ValidationError } from '../errors.js';
import { DEFAULT_PREFIX } from './policy-storage-names.js';
import { identifierOf } from './key-identifier.js';
import { isRecord } from '../model/plain-object.js';

/**
 * Checks that `value` may be written under `key`.
 *
 * @param key The (checked) key of the write.
 * @param value The caller's value.
 * @throws ValidationError naming `value` (not an object), `metadata` (not an object) or `kind`
 *   (another kind than the key's).
 */
export function assertValueFitsKey(key: ResourceKey, value: unknown): asserts value is ResourceObject {
  const identifier = identifierOf(key);
  if (!isRecord(value)) throw new ValidationError([{ path: 'value', type: 'required', message: 'an object is required' }], { identifier });
  if (!isRecord(value.metadata)) throw new ValidationError([{ path: 'metadata', type: 'required', message: 'an object is required' }], { identifier });
  if (value.kind !== undefined && value.kind !== key.kind) {
    throw new ValidationError([{ path: 'kind', type: 'invalid', message: `must be ${key.kind} to be stored under this key` }], { identifier });
  }
}

/**
 * The `metadata.name` an object stored under `key` carries: the key's name, except that a policy
 * keeps its v3 name when the key is that name or its legacy `default.` form.
 *
 * @param key The storage key.
 * @param given The value's `metadata.name`.
 * @param policy True for (Global)NetworkPolicy keys, whose storage and v3 names may differ.
 * @return The name to store.
 */
export function storedName(key: ResourceKey, given: string | undefined, policy: boolean): string {
  if (!policy || !given) return key.name;
  return key.name === given || key.name === `${DEFAULT_PREFIX}${given}` ? given : key.name;
}
