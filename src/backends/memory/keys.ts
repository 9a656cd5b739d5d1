/**
 * Storage keys of the memory backend: the same strings etcd would use
 * (`/calico/resources/v3/projectcalico.org/<plural>[/<namespace>]/<name>`), so that diagnostics
 * and list order match the etcd backend.
 *
 * @module
 */
import type { ResourceKey, ResourceObject } from '../backend.js';
import type { FieldError } from '../../errors.js';
import { ValidationError } from '../../errors.js';
import { englishPlural, ETCD_RESOURCE_PREFIX, kindFacts } from '../../model/kind-registry.js';
import { identifierOf } from '../key-identifier.js';

/** Prefix of every v3 resource key. */
export const RESOURCE_KEY_PREFIX = ETCD_RESOURCE_PREFIX;

/**
 * The lower-case plural used as the key segment of a kind: from the kind registry, otherwise
 * the English plural of the lower-cased kind (`Widget` → `widgets`).
 *
 * @param kind A kind name.
 * @return The plural segment.
 */
export function pluralOf(kind: string): string {
  return kindFacts(kind)?.plural ?? englishPlural(kind);
}

/**
 * True when objects of `kind` live in a namespace.
 *
 * @param kind A kind name.
 * @return Whether keys of this kind carry a namespace segment.
 */
export function isNamespacedKind(kind: string): boolean {
  return kindFacts(kind)?.namespaced ?? false;
}

/**
 * Checks a key and returns it in normal form (a namespace only on namespaced kinds).
 *
 * @param key The caller's key.
 * @param path Field path of the key in error messages.
 * @return A fresh key object the caller cannot alias.
 * @throws ValidationError naming `<path>.kind`, `<path>.name` or `<path>.namespace`.
 */
export function normalizeKey(key: ResourceKey, path = 'key'): ResourceKey {
  const errors: FieldError[] = [];
  const k = key as Partial<ResourceKey> | undefined;
  if (typeof k?.kind !== 'string' || k.kind === '') errors.push({ path: `${path}.kind`, type: 'required', message: 'a kind is required' });
  if (typeof k?.name !== 'string' || k.name === '') errors.push({ path: `${path}.name`, type: 'required', message: 'a name is required' });
  else if (k.name.includes('/')) errors.push({ path: `${path}.name`, type: 'invalid', message: 'a storage name cannot contain "/"' });
  const namespaced = typeof k?.kind === 'string' && isNamespacedKind(k.kind);
  const ns = k?.namespace;
  if (namespaced && (typeof ns !== 'string' || ns === '')) {
    errors.push({ path: `${path}.namespace`, type: 'required', message: `${k?.kind ?? ''} is namespaced: a namespace is required` });
  } else if (namespaced && (ns as string).includes('/')) {
    errors.push({ path: `${path}.namespace`, type: 'invalid', message: 'a namespace cannot contain "/"' });
  } else if (!namespaced && ns !== undefined && ns !== '') {
    errors.push({ path: `${path}.namespace`, type: 'forbidden', message: `${k?.kind ?? ''} is cluster-scoped: it has no namespace` });
  }
  if (errors.length > 0) {
    const id = typeof k?.kind === 'string' && typeof k.name === 'string' ? identifierOf(k as ResourceKey) : undefined;
    throw new ValidationError(errors, id ? { identifier: id } : {});
  }
  return namespaced ? { kind: key.kind, namespace: key.namespace as string, name: key.name } : { kind: key.kind, name: key.name };
}

/**
 * The etcd-shaped storage key of a resource key.
 *
 * ## Example
 * ```ts
 * storageKeyOf({ kind: 'NetworkPolicy', namespace: 'shop', name: 'allow-web' });
 * // '/calico/resources/v3/projectcalico.org/networkpolicies/shop/allow-web'
 * ```
 *
 * @param key A normalised key (see {@link normalizeKey}).
 * @return The key string.
 */
export function storageKeyOf(key: ResourceKey): string {
  const plural = pluralOf(key.kind);
  return key.namespace ? `${RESOURCE_KEY_PREFIX}${plural}/${key.namespace}/${key.name}` : `${RESOURCE_KEY_PREFIX}${plural}/${key.name}`;
}

/**
 * The key an object is stored under when nobody names it: its kind, `metadata.namespace` (for
 * namespaced kinds) and `metadata.name`.
 *
 * @param value An object.
 * @return Its normalised key.
 * @throws ValidationError when the object lacks a kind, name or required namespace.
 */
export function keyOfObject(value: ResourceObject): ResourceKey {
  const namespace = isNamespacedKind(value.kind) ? value.metadata?.namespace : undefined;
  try {
    return normalizeKey({ kind: value.kind, name: value.metadata?.name ?? '', ...(namespace === undefined ? {} : { namespace }) });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const errors = e.errors.map((f) => ({ ...f, path: f.path === 'key.kind' ? 'kind' : f.path.replace(/^key\./, 'metadata.') }));
    throw new ValidationError(errors, e.identifier ? { identifier: e.identifier } : {});
  }
}
