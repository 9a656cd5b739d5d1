/**
 * Metadata handling shared by every write: the create/update preconditions on `metadata` that the
 * schema cannot express (they depend on the operation), and the fields the client assigns.
 *
 * @module
 */
import { randomUUID } from '../lazy-builtins.js';
import type { FieldError } from '../errors.js';
import type { ResourceObject } from '../backends/backend.js';
import { formatTimestamp } from '../model/timestamp.js';

/**
 * Checks `metadata` for a create: a name (unless the kind computes one), no generateName, no
 * resourceVersion.
 *
 * @param obj The object to be created.
 * @param nameComputed True for kinds whose name the client can compute (WorkloadEndpoint).
 * @return The failing fields.
 */
export function checkCreateMetadata(obj: ResourceObject, nameComputed: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const meta = obj.metadata ?? {};
  if (!meta.name && !nameComputed) {
    errors.push(
      meta.generateName
        ? { path: 'metadata.name', type: 'required', message: 'name is required: generateName is not supported' }
        : { path: 'metadata.name', type: 'required', message: 'name is required' },
    );
  } else if (meta.generateName) {
    errors.push({ path: 'metadata.generateName', type: 'notSupported', message: 'generateName is not supported' });
  }
  if (meta.resourceVersion) {
    errors.push({ path: 'metadata.resourceVersion', type: 'forbidden', message: 'resourceVersion must be empty on create' });
  }
  return errors;
}

/** Checks `metadata` for an update: resourceVersion is required. */
export function checkUpdateMetadata(obj: ResourceObject): FieldError[] {
  return obj.metadata?.resourceVersion
    ? []
    : [{ path: 'metadata.resourceVersion', type: 'required', message: 'resourceVersion is required on update' }];
}

/**
 * Fills `uid` and `creationTimestamp` when absent (create), and removes what is never persisted
 * (`resourceVersion`, `selfLink`). Mutates `obj`, which must be the client's own copy.
 */
export function assignCreateMetadata(obj: ResourceObject): void {
  const meta = obj.metadata;
  if (!meta.uid) meta.uid = randomUUID();
  if (!meta.creationTimestamp) meta.creationTimestamp = formatTimestamp();
  delete meta.resourceVersion;
  delete meta.selfLink;
}
