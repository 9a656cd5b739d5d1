/**
 * What the API server does to a custom resource before validating it, following the structural
 * schema of its CRD:
 *
 * 1. **Pruning**: fields the schema does not declare are dropped (unless
 *    `x-kubernetes-preserve-unknown-fields`); `metadata` keeps only ObjectMeta fields. The dropped
 *    paths are returned: the server warns about them (`fieldValidation=Warn`, the default) or
 *    rejects the request with 400 (`fieldValidation=Strict`).
 * 2. **Nulls**: `null` for a field that is not `nullable` is dropped (or replaced by its default).
 * 3. **Defaulting**: `default` values fill absent fields, top-down.
 *
 * @module
 */
import { childField } from './field-errors.js';
import type { JsonObject, JsonValue, SchemaNode } from './types.js';

/** The fields of ObjectMeta; anything else under `metadata` is unknown. */
export const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

function pruneMeta(meta: JsonValue | undefined, path: string, unknown: string[]): void {
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(k)) {
      delete meta[k];
      unknown.push(childField(path, k));
    }
  }
}

function prune(value: JsonValue | undefined, schema: SchemaNode | undefined, path: string, root: boolean, unknown: string[]): void {
  if (!schema || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => prune(item, schema.items, childField(path, i), false, unknown));
    return;
  }
  if (!isObject(value)) return;
  const embedded = root || schema['x-kubernetes-embedded-resource'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const addl = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    if (embedded && (key === 'apiVersion' || key === 'kind')) continue;
    if (embedded && key === 'metadata') {
      pruneMeta(value.metadata, childField(path, 'metadata'), unknown);
      continue;
    }
    const prop = schema.properties?.[key];
    if (prop) prune(value[key], prop, childField(path, key), false, unknown);
    else if (addl) prune(value[key], addl, childField(path, key), false, unknown);
    else if (!preserve && schema.additionalProperties !== true) {
      delete value[key];
      unknown.push(childField(path, key));
    }
  }
}

function dropNulls(value: JsonValue | undefined, schema: SchemaNode | undefined): void {
  if (!schema || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item) => dropNulls(item, schema.items));
    return;
  }
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) {
    const prop = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (!prop) continue;
    if (value[key] === null && !prop.nullable && prop.default === undefined) delete value[key];
    else dropNulls(value[key], prop);
  }
}

function applyDefaults(value: JsonValue | undefined, schema: SchemaNode | undefined): void {
  if (!schema || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item) => applyDefaults(item, schema.items));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const cur = value[key];
    if (prop.default !== undefined && (cur === undefined || (cur === null && !prop.nullable))) {
      value[key] = structuredClone(prop.default);
    }
    applyDefaults(value[key], prop);
  }
  if (typeof schema.additionalProperties === 'object') {
    for (const key of Object.keys(value)) if (!schema.properties?.[key]) applyDefaults(value[key], schema.additionalProperties);
  }
}

/**
 * Prunes, drops non-nullable nulls and applies defaults, in place.
 *
 * @param obj The whole custom resource (root of the schema).
 * @param schema The `openAPIV3Schema`.
 * @return The dotted paths of the pruned unknown fields, in document order.
 */
export function pruneAndDefault(obj: JsonObject, schema: SchemaNode): string[] {
  const unknown: string[] = [];
  prune(obj, schema, '', true, unknown);
  dropNulls(obj, schema);
  applyDefaults(obj, schema);
  return unknown;
}
