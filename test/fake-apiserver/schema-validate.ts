/**
 * OpenAPI v3 validation of a custom resource against its CRD schema, reporting field errors the
 * way the API server converts kube-openapi errors (`spec.blockSize: Invalid value: "x":
 * spec.blockSize in body must be of type integer: "string"`). Covers type, enum, pattern, the
 * formats the server checks (`cidr`, `date-time`, `ipv4`, `ipv6`, `uuid`, `mac`, ...), bounds,
 * lengths, item counts, required, `anyOf`/`allOf`/`oneOf`/`not`, int-or-string, and the
 * uniqueness of `set` and `map` lists.
 *
 * @module
 */
import { isIPv4Address, isIPv6Address, isMACAddress, parseIPNetwork } from '../../src/model/net.js';
import { re2 } from './cel-eval.js';
import {
  childField,
  duplicate,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
  type FieldErr,
} from './field-errors.js';
import { canonical } from './object-meta.js';
import type { JsonObject, JsonValue, SchemaNode } from './types.js';

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

function jsonType(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(type: string, v: JsonValue): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return true;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HOSTNAME = /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,62})?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,62})?)*\.?$/;

/** True when `value` passes a string format the API server checks (unknown formats always pass). */
export function formatOk(format: string, value: string): boolean {
  switch (format.replace(/[-_]/g, '')) {
    case 'cidr':
      return value.includes('/') && parseIPNetwork(value) !== undefined;
    case 'datetime':
      return RFC3339.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
    case 'ipv4':
      return isIPv4Address(value);
    case 'ipv6':
      return isIPv6Address(value);
    case 'uuid':
    case 'uuid3':
    case 'uuid4':
    case 'uuid5':
      return UUID.test(value);
    case 'mac':
      return isMACAddress(value);
    case 'hostname':
      return value.length <= 255 && HOSTNAME.test(value);
    default:
      return true;
  }
}

function listKey(item: JsonValue, keys: readonly string[]): string {
  return canonical(keys.map((k) => (isObject(item) ? (item[k] ?? null) : null)));
}

function validateNode(value: JsonValue, s: SchemaNode, path: string, errs: FieldErr[]): void {
  const name = path || '<nil>';
  if (value === null) {
    if (!s.nullable && s.type) errs.push(typeInvalid(path, value, `${name} in body must be of type ${s.type}: "null"`));
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      errs.push(typeInvalid(path, value, `${name} in body must be of type integer,string: "${jsonType(value)}"`));
      return;
    }
  } else if (s.type && !typeMatches(s.type, value)) {
    errs.push(typeInvalid(path, value, `${name} in body must be of type ${s.type}: "${jsonType(value)}"`));
    return;
  }
  if (s.enum && !s.enum.some((e) => canonical(e) === canonical(value))) {
    errs.push(notSupported(path, value, s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof value === 'string') {
    const len = [...value].length;
    if (s.maxLength !== undefined && len > s.maxLength) errs.push(tooLong(path, s.maxLength));
    if (s.minLength !== undefined && len < s.minLength) errs.push(invalid(path, value, `${name} in body should be at least ${s.minLength} chars long`));
    if (s.pattern !== undefined && !re2(s.pattern).test(value)) errs.push(invalid(path, value, `${name} in body should match '${s.pattern}'`));
    if (s.format && !formatOk(s.format, value)) errs.push(typeInvalid(path, value, `${name} in body must be of type ${s.format}: ${JSON.stringify(value)}`));
  }
  if (typeof value === 'number') {
    if (s.maximum !== undefined && (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum)) {
      errs.push(invalid(path, value, `${name} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
    }
    if (s.minimum !== undefined && (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum)) {
      errs.push(invalid(path, value, `${name} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
    }
    if (s.multipleOf !== undefined && value % s.multipleOf !== 0) errs.push(invalid(path, value, `${name} in body should be a multiple of ${s.multipleOf}`));
  }
  if (Array.isArray(value)) {
    if (s.maxItems !== undefined && value.length > s.maxItems) errs.push(tooMany(path, value.length, s.maxItems));
    if (s.minItems !== undefined && value.length < s.minItems) errs.push(invalid(path, value, `${name} in body should have at least ${s.minItems} items`));
    const lt = s['x-kubernetes-list-type'];
    if (lt === 'set' || lt === 'map' || s.uniqueItems) {
      const keys = lt === 'map' ? (s['x-kubernetes-list-map-keys'] ?? []) : undefined;
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const k = keys ? listKey(item, keys) : canonical(item);
        if (seen.has(k)) errs.push(duplicate(childField(path, i), keys && isObject(item) ? Object.fromEntries(keys.map((x) => [x, item[x] ?? null])) : item));
        seen.add(k);
      });
    }
    if (s.items) value.forEach((item, i) => validateNode(item, s.items as SchemaNode, childField(path, i), errs));
  }
  if (isObject(value)) {
    for (const r of s.required ?? []) if (value[r] === undefined) errs.push(required(childField(path, r)));
    const count = Object.keys(value).length;
    if (s.maxProperties !== undefined && count > s.maxProperties) errs.push(tooMany(path, count, s.maxProperties));
    if (s.minProperties !== undefined && count < s.minProperties) errs.push(invalid(path, value, `${name} in body should have at least ${s.minProperties} properties`));
    for (const [k, v] of Object.entries(value)) {
      const prop = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (prop && v !== undefined) validateNode(v, prop, childField(path, k), errs);
    }
  }
  const sub = (schema: SchemaNode): FieldErr[] => {
    const e: FieldErr[] = [];
    validateNode(value, schema, path, e);
    return e;
  };
  if (s.allOf) for (const a of s.allOf) errs.push(...sub(a));
  if (s.anyOf && !s.anyOf.some((a) => sub(a).length === 0)) {
    errs.push(invalid(path, value, `${name} in body must validate at least one schema (anyOf)`));
  }
  if (s.oneOf && s.oneOf.filter((a) => sub(a).length === 0).length !== 1) {
    errs.push(invalid(path, value, `${name} in body must validate one and only one schema (oneOf)`));
  }
  if (s.not && sub(s.not).length === 0) errs.push(invalid(path, value, `${name} in body should not validate the schema (not)`));
}

/**
 * Validates a whole custom resource against its schema (`metadata` is validated separately).
 *
 * @param obj The object, already pruned and defaulted.
 * @param schema The `openAPIV3Schema`.
 * @return Field errors.
 */
export function validateAgainstSchema(obj: JsonObject, schema: SchemaNode): FieldErr[] {
  const errs: FieldErr[] = [];
  const rootSchema: SchemaNode = { ...schema, properties: { ...(schema.properties ?? {}) } };
  delete rootSchema.properties?.metadata;
  rootSchema.required = (schema.required ?? []).filter((r) => r !== 'metadata');
  const { metadata: _metadata, ...rest } = obj;
  validateNode(rest, rootSchema, '', errs);
  return errs;
}
