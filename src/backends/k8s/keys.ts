/**
 * Key, revision and selector checks shared by the Kubernetes resource clients.
 *
 * @module
 */
import { ValidationError, type FieldError } from '../../errors.js';
import type { KVPair, ResourceKey, ResourceObject } from '../backend.js';
import { parseLabelSelector, type LabelSelector } from '../label-selector.js';
import { identifierOf } from '../key-identifier.js';

/**
 * Checks a key for a kind and returns it in normal form.
 *
 * @param key The caller's key.
 * @param namespaced Whether the kind is namespaced.
 * @return A fresh key (a namespace only on namespaced kinds).
 * @throws ValidationError naming `key.name` or `key.namespace`.
 */
export function checkKey(key: ResourceKey, namespaced: boolean): ResourceKey {
  const errors: FieldError[] = [];
  if (typeof key?.name !== 'string' || key.name === '') errors.push({ path: 'key.name', type: 'required', message: 'a name is required' });
  else if (key.name.includes('/')) errors.push({ path: 'key.name', type: 'invalid', message: 'a Kubernetes object name cannot contain "/"' });
  const ns = key?.namespace;
  if (namespaced && (typeof ns !== 'string' || ns === '')) errors.push({ path: 'key.namespace', type: 'required', message: `${key?.kind ?? ''} is namespaced: a namespace is required` });
  else if (namespaced && (ns as string).includes('/')) errors.push({ path: 'key.namespace', type: 'invalid', message: 'a namespace cannot contain "/"' });
  else if (!namespaced && ns !== undefined && ns !== '') errors.push({ path: 'key.namespace', type: 'forbidden', message: `${key.kind} is cluster-scoped: it has no namespace` });
  if (errors.length > 0) throw new ValidationError(errors);
  return namespaced ? { kind: key.kind, namespace: ns as string, name: key.name } : { kind: key.kind, name: key.name };
}

/**
 * The revision an update must carry (optimistic lock).
 *
 * @param kv The caller's pair.
 * @return The revision.
 * @throws ValidationError on `metadata.resourceVersion` when there is none.
 */
export function requireRevision(kv: KVPair): string {
  const revision = kv.revision || kv.value?.metadata?.resourceVersion;
  if (!revision) throw new ValidationError([{ path: 'metadata.resourceVersion', type: 'required', message: 'an update needs the revision it was read at' }], { identifier: identifierOf(kv.key) });
  return revision;
}

/**
 * Parses a label selector once, for the server and the client.
 *
 * @param text The selector text.
 * @return The parsed selector, or undefined for an empty one.
 * @throws ValidationError on `labelSelector`.
 */
export function parseSelectorOption(text: string | undefined): LabelSelector | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = parseLabelSelector(text);
  return parsed.requirements.length > 0 ? parsed : undefined;
}

/** A pair whose value's `resourceVersion` equals its revision. */
export function pairOf<T extends ResourceObject>(key: ResourceKey, value: T, revision: string): KVPair<T> {
  value.metadata.resourceVersion = revision;
  return { key, value, revision };
}
