/**
 * How the memory backend holds values: as frozen JSON, the way etcd holds bytes. Values are
 * normalised through JSON on the way in (so `undefined` members vanish and nothing the caller
 * keeps can alias the store) and copied on the way out.
 *
 * @module
 */
import type { ResourceKey, ResourceObject, Revision } from '../backend.js';
import { ValidationError } from '../../errors.js';
import { storedName } from '../value-key.js';
import { KIND_REGISTRY } from '../../model/kind-registry.js';

/** Typed kinds whose storage name may be the legacy `default.` form of the v3 name. */
const POLICY_KINDS: ReadonlySet<string> = new Set(KIND_REGISTRY.filter((k) => k.typed && k.tieredPolicy).map((k) => k.kind));

/** A deep-frozen JSON object, shared between the live map and the history. */
export type StoredValue = ResourceObject;

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

/**
 * Copies a plain JSON value (objects, arrays, primitives).
 *
 * @param v The value.
 * @return A deep, unfrozen copy.
 */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x: unknown) => cloneJson(x)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = cloneJson(x);
  return out as T;
}

/**
 * Turns a caller's object into a stored value: JSON-normalised, without
 * `metadata.resourceVersion`, deep-frozen. With a key, the key is authoritative, as on every
 * backend: the stored name and namespace are the key's (see {@link storedName}).
 *
 * @param value The caller's object.
 * @param key The key it is written under (absent for seeded objects, which are kept as given).
 * @return The value to keep.
 * @throws ValidationError naming `value` (not an object, or not JSON-serialisable) or `metadata` (missing).
 */
export function toStoredValue(value: unknown, key?: ResourceKey): StoredValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError([{ path: 'value', type: 'invalid', message: 'must be an object' }]);
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    throw new ValidationError([{ path: 'value', type: 'invalid', message: 'must be serialisable as JSON' }]);
  }
  const copy = JSON.parse(json) as ResourceObject;
  if (copy.metadata === null || typeof copy.metadata !== 'object' || Array.isArray(copy.metadata)) {
    throw new ValidationError([{ path: 'metadata', type: 'required', message: 'an object is required' }]);
  }
  delete copy.metadata.resourceVersion;
  if (key) {
    copy.metadata.name = storedName(key, copy.metadata.name, POLICY_KINDS.has(key.kind));
    if (key.namespace) copy.metadata.namespace = key.namespace;
    else delete copy.metadata.namespace;
  }
  return deepFreeze(copy);
}

/**
 * Copies a stored value for a caller and stamps `metadata.resourceVersion`.
 *
 * @param stored The stored value.
 * @param revision Its mod revision.
 * @return A fresh object the caller owns.
 */
export function readStoredValue<T extends ResourceObject>(stored: StoredValue, revision: Revision): T {
  const out = cloneJson(stored) as T;
  out.metadata.resourceVersion = revision;
  return out;
}

/**
 * Builds a stored value from parts that are already JSON (used for status-only updates).
 *
 * @param base The stored value to start from.
 * @param status The new status, or `undefined` to remove it.
 * @return The new stored value.
 */
export function withStatus(base: StoredValue, status: unknown): StoredValue {
  const copy = cloneJson(base) as ResourceObject & { status?: unknown };
  if (status === undefined) delete copy.status;
  else copy.status = status;
  return toStoredValue(copy);
}
