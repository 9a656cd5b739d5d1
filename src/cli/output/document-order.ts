/**
 * Calico's field order for printed JSON documents (cli.md §8.3): `kind`, `apiVersion`,
 * `metadata`, `spec`, `status` for objects, and Kubernetes' ObjectMeta order inside `metadata`.
 *
 * @module
 */
import { isRecord } from '../../model/plain-object.js';

const OBJECT_FIELDS = ['kind', 'apiVersion', 'metadata', 'spec', 'status'];
const METADATA_FIELDS = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations',
  'ownerReferences', 'finalizers', 'managedFields',
];

/** A copy of `record` with the `first` keys (those present) in that order, then the others as they were. */
function withKeysFirst(record: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const keys = [...first.filter((k) => Object.prototype.hasOwnProperty.call(record, k)), ...Object.keys(record).filter((k) => !first.includes(k))];
  const copy: Record<string, unknown> = {};
  for (const key of keys) Object.defineProperty(copy, key, { value: record[key], enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * Orders the top-level fields of a v3 object (or List) and of its `metadata` as Calico's Go types
 * serialise them; deeper levels keep their order. Works on a shallow copy: the input is not
 * changed.
 *
 * @param object A v3 object, or any JSON value (non-objects are returned as they are).
 * @return The object with its fields in Calico's order.
 */
export function inCalicoFieldOrder(object: unknown): unknown {
  if (!isRecord(object)) return object;
  const ordered = withKeysFirst(object, OBJECT_FIELDS);
  if (isRecord(ordered.metadata)) ordered.metadata = withKeysFirst(ordered.metadata, METADATA_FIELDS);
  return ordered;
}
