/**
 * `metadata` validation as the API server does it for every kind (`ValidateObjectMeta`,
 * `ValidateObjectMetaUpdate`): the name rule of the resource, namespace presence, label keys and
 * values, annotation keys and total size, finalizer names, immutable identity fields.
 *
 * @module
 */
import { invalid, required, forbidden, tooLong, type FieldErr } from './field-errors.js';
import { checkName, isLabelValue, isQualifiedName, isDnsLabel } from './names.js';
import type { KubeObject, ResourceDefinition } from './types.js';

const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/**
 * Validates `metadata` of an object about to be stored.
 *
 * @param def The resource.
 * @param obj The object.
 * @return Field errors (empty when valid).
 */
export function validateObjectMeta(def: ResourceDefinition, obj: KubeObject): FieldErr[] {
  const errs: FieldErr[] = [];
  const meta = obj.metadata ?? {};
  const name = meta.name ?? '';
  if (!name) errs.push(required('metadata.name', 'name or generateName is required'));
  else {
    const why = checkName(def.nameRule, name);
    if (why) errs.push(invalid('metadata.name', name, why));
  }
  if (def.namespaced) {
    const ns = meta.namespace ?? '';
    if (!ns) errs.push(required('metadata.namespace'));
    else {
      const why = isDnsLabel(ns);
      if (why) errs.push(invalid('metadata.namespace', ns, why));
    }
  } else if (meta.namespace) {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const kw = isQualifiedName(k);
    if (kw) errs.push(invalid('metadata.labels', k, kw));
    const vw = typeof v === 'string' ? isLabelValue(v) : 'must be a string';
    if (vw) errs.push(invalid('metadata.labels', v, vw));
  }
  let total = 0;
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    const kw = isQualifiedName(k.toLowerCase());
    if (kw) errs.push(invalid('metadata.annotations', k, kw));
    total += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (total > ANNOTATIONS_MAX_BYTES) errs.push(tooLong('metadata.annotations', ANNOTATIONS_MAX_BYTES));
  (meta.finalizers ?? []).forEach((f, i) => {
    const why = typeof f === 'string' ? isQualifiedName(f) : 'must be a string';
    if (why) errs.push(invalid(`metadata.finalizers[${i}]`, f, why));
  });
  return errs;
}

/**
 * Validates identity fields that may not change on update.
 *
 * @param next The object to store.
 * @param old The stored object.
 */
export function validateObjectMetaUpdate(next: KubeObject, old: KubeObject): FieldErr[] {
  const errs: FieldErr[] = [];
  const a = next.metadata ?? {};
  const b = old.metadata ?? {};
  for (const f of ['name', 'namespace', 'uid'] as const) {
    if ((a[f] ?? '') !== (b[f] ?? '')) errs.push(invalid(`metadata.${f}`, a[f] ?? '', 'field is immutable'));
  }
  return errs;
}
