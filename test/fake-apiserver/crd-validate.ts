/**
 * Validation of `apiextensions.k8s.io/v1` CustomResourceDefinition objects, with the paths and
 * wording of the real apiextensions server (`ValidateCustomResourceDefinition` and the
 * structural-schema checks): the name must be `<plural>.<group>`, the group a domain with a dot,
 * the scope `Cluster` or `Namespaced`, exactly one storage version, a schema per version, and
 * every schema structural (a `type` on each specified field, no `type`/`description`/defaults
 * inside `anyOf`/`allOf`/`oneOf`/`not`, `metadata` limited to `name`/`generateName`, ...).
 *
 * @module
 */
import { childField, forbidden, invalid, notSupported, required, type FieldErr, type RawValue } from './field-errors.js';
import type { JsonObject, JsonValue, KubeObject } from './types.js';

const DNS1035_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_FMT =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_FMT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const PRINTER_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
/** Generic keywords that make a schema inside a junctor non-structural. */
const JUNCTOR_FORBIDDEN: [string, string][] = [
  ['type', 'must be empty to be structural'],
  ['additionalProperties', 'must be undefined to be structural'],
  ['default', 'must be undefined to be structural'],
  ['title', 'must be empty to be structural'],
  ['description', 'must be empty to be structural'],
  ['nullable', 'must be false to be structural'],
  ['x-kubernetes-preserve-unknown-fields', 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', 'must be false to be structural'],
  ['x-kubernetes-int-or-string', 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', 'must be empty to be structural'],
  ['x-kubernetes-list-type', 'must be undefined to be structural'],
  ['x-kubernetes-map-type', 'must be undefined to be structural'],
  ['x-kubernetes-validations', 'must be empty to be structural'],
];
const UNSUPPORTED_KEYWORDS: [string, string][] = [
  ['id', 'id is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['definitions', 'definitions is not supported'],
  ['dependencies', 'dependencies is not supported'],
  ['$ref', '$ref is not supported'],
];

const isObj = (v: JsonValue | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
const objs = (v: JsonValue | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObj) : []);

function dns1035(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  return DNS1035_RE.test(value) ? undefined : DNS1035_FMT;
}

/** How Go's `%#v` shows a version list (pointer fields cannot be reproduced; shown as addresses). */
function goVersions(versions: JsonObject[]): RawValue {
  const one = (v: JsonObject): string =>
    `apiextensions.CustomResourceDefinitionVersion{Name:${JSON.stringify(str(v.name))}, Served:${v.served === true}, Storage:${v.storage === true}, Deprecated:${v.deprecated === true}, DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(${v.schema ? '0xc000a1c000' : 'nil'}), Subresources:(*apiextensions.CustomResourceSubresources)(${v.subresources ? '0xc000a1c010' : 'nil'}), AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}`;
  return { raw: `[]apiextensions.CustomResourceDefinitionVersion{${versions.map(one).join(', ')}}` };
}

type Level = 'root' | 'item' | 'field';

function validateSchemaNode(s: JsonObject, lvl: Level, path: string, errs: FieldErr[]): void {
  const type = str(s.type);
  if (type && !OPENAPI_TYPES.includes(type)) errs.push(notSupported(childField(path, 'type'), type, OPENAPI_TYPES));
  for (const [k, why] of UNSUPPORTED_KEYWORDS) if (s[k] !== undefined) errs.push(forbidden(childField(path, k), why));
  if (Array.isArray(s.items)) errs.push(forbidden(childField(path, 'items'), 'items must be a schema object and not an array'));
  if (type === 'array' && !isObj(s.items)) errs.push(required(childField(path, 'items'), 'must be specified'));
  if (isObj(s.properties) && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push(forbidden(childField(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  if (lvl === 'root' && s.additionalProperties !== undefined) errs.push(forbidden(childField(path, 'additionalProperties'), 'must not be used at the root'));
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  if (preserve === false) errs.push(invalid(childField(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (embedded && type !== 'object') {
    errs.push(type ? invalid(childField(path, 'type'), type, 'must be object if x-kubernetes-embedded-resource is true') : required(childField(path, 'type'), 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!type && s['x-kubernetes-int-or-string'] !== true && preserve !== true) {
    const detail = lvl === 'root' ? 'must not be empty at the root' : lvl === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    errs.push(required(childField(path, 'type'), detail));
  }
  if (lvl === 'root' && type && type !== 'object') errs.push(invalid(childField(path, 'type'), type, 'must be object at the root'));
  if (lvl === 'root' && s.nullable === true) errs.push(forbidden(childField(path, 'nullable'), 'nullable cannot be true at the root'));
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (typeof listType !== 'string' || !['atomic', 'set', 'map'].includes(listType)) {
      errs.push(notSupported(childField(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
    } else if (type !== 'array') {
      errs.push(type ? invalid(childField(path, 'type'), type, 'must be array if x-kubernetes-list-type is specified') : required(childField(path, 'type'), 'must be array if x-kubernetes-list-type is specified'));
    } else if (listType === 'map' && !(Array.isArray(s['x-kubernetes-list-map-keys']) && s['x-kubernetes-list-map-keys'].length)) {
      errs.push(required(childField(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    }
  }
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && (typeof mapType !== 'string' || !['atomic', 'granular'].includes(mapType))) {
    errs.push(notSupported(childField(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  }
  objs(s['x-kubernetes-validations']).forEach((rule, i) => {
    if (!str(rule.rule)) errs.push(required(`${childField(path, 'x-kubernetes-validations')}[${i}].rule`, 'rule is not specified'));
  });
  const props = isObj(s.properties) ? s.properties : {};
  const checkMeta = lvl === 'root' || embedded;
  for (const key of ['kind', 'apiVersion']) {
    const p = props[key];
    if (checkMeta && isObj(p) && p.type !== 'string') errs.push(invalid(`${childField(path, 'properties')}[${key}].type`, str(p.type), 'must be string'));
  }
  const meta = props.metadata;
  if (isObj(meta)) {
    const metaPath = `${childField(path, 'properties')}[metadata]`;
    if (checkMeta && meta.type !== 'object') errs.push(invalid(childField(metaPath, 'type'), str(meta.type), 'must be object'));
    if (lvl === 'root') {
      const extra = Object.keys(meta).filter((k) => !['type', 'properties', 'description'].includes(k));
      const metaProps = Object.keys(isObj(meta.properties) ? meta.properties : {}).filter((k) => k !== 'name' && k !== 'generateName');
      if (extra.length || metaProps.length) {
        errs.push(forbidden(metaPath, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
      }
    }
  }
  for (const [k, v] of Object.entries(props)) {
    if (isObj(v) && !(lvl === 'root' && k === 'metadata')) validateSchemaNode(v, 'field', `${childField(path, 'properties')}[${k}]`, errs);
  }
  if (isObj(s.items)) validateSchemaNode(s.items, 'item', childField(path, 'items'), errs);
  if (isObj(s.additionalProperties)) validateSchemaNode(s.additionalProperties, 'field', childField(path, 'additionalProperties'), errs);
  for (const j of ['anyOf', 'allOf', 'oneOf'] as const) {
    objs(s[j]).forEach((sub, i) => validateJunctor(sub, `${childField(path, j)}[${i}]`, errs, isIntOrString(s, j, i)));
  }
  if (isObj(s.not)) validateJunctor(s.not, childField(path, 'not'), errs, false);
}

/** The two int-or-string patterns where `type` inside `anyOf` is allowed. */
function isIntOrString(s: JsonObject, junctor: string, index: number): boolean {
  if (s['x-kubernetes-int-or-string'] !== true) return false;
  if (junctor === 'anyOf') return true;
  return junctor === 'allOf' && index === 0;
}

function validateJunctor(s: JsonObject, path: string, errs: FieldErr[], intOrString: boolean): void {
  for (const [k, why] of JUNCTOR_FORBIDDEN) {
    if (s[k] === undefined || s[k] === false || (Array.isArray(s[k]) && (s[k] as JsonValue[]).length === 0)) continue;
    if (intOrString && k === 'type') continue;
    errs.push(forbidden(childField(path, k), why));
  }
  if (isObj(s.properties)) {
    for (const [k, v] of Object.entries(s.properties)) {
      const p = `${childField(path, 'properties')}[${k}]`;
      if (k === 'metadata') errs.push(forbidden(p, 'must not be specified in a nested context'));
      else if (isObj(v)) validateJunctor(v, p, errs, false);
    }
  }
  if (isObj(s.items)) validateJunctor(s.items, childField(path, 'items'), errs, false);
  for (const j of ['anyOf', 'allOf', 'oneOf'] as const) objs(s[j]).forEach((sub, i) => validateJunctor(sub, `${childField(path, j)}[${i}]`, errs, false));
  if (isObj(s.not)) validateJunctor(s.not, childField(path, 'not'), errs, false);
}

function validateNames(names: JsonObject, path: string, errs: FieldErr[]): void {
  for (const key of ['plural', 'singular']) {
    const v = str(names[key]);
    const why = v ? dns1035(v) : undefined;
    if (why) errs.push(invalid(childField(path, key), v, why));
  }
  for (const key of ['kind', 'listKind']) {
    const v = str(names[key]);
    const why = v ? dns1035(v.toLowerCase()) : undefined;
    if (why) errs.push(invalid(childField(path, key), v, `may have mixed case, but should otherwise match: ${why}`));
  }
  (Array.isArray(names.shortNames) ? names.shortNames : []).forEach((n, i) => {
    const why = dns1035(str(n));
    if (why) errs.push(invalid(`${childField(path, 'shortNames')}[${i}]`, n, why));
  });
  if (str(names.kind) && names.kind === names.listKind) errs.push(invalid(childField(path, 'listKind'), str(names.listKind), 'kind and listKind may not be the same'));
  (Array.isArray(names.categories) ? names.categories : []).forEach((n, i) => {
    const why = dns1035(str(n));
    if (why) errs.push(invalid(`${childField(path, 'categories')}[${i}]`, n, why));
  });
}

function validateVersion(v: JsonObject, path: string, errs: FieldErr[]): void {
  const name = str(v.name);
  const why = dns1035(name);
  if (why) errs.push(invalid(childField(path, 'name'), name, why));
  const schema = isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
  if (!isObj(schema)) {
    errs.push(required(`${path}.schema.openAPIV3Schema`, ''));
  } else {
    const status = isObj(v.subresources) && v.subresources.status !== undefined;
    if (status && schema.type !== undefined && schema.type !== 'object') {
      errs.push(invalid(`${path}.schema.openAPIV3Schema.type`, str(schema.type), 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
    }
    validateSchemaNode(schema, 'root', `${path}.schema.openAPIV3Schema`, errs);
  }
  objs(v.additionalPrinterColumns).forEach((col, i) => {
    const p = `${childField(path, 'additionalPrinterColumns')}[${i}]`;
    if (!str(col.name)) errs.push(required(childField(p, 'name'), ''));
    const type = str(col.type);
    if (!type) errs.push(required(childField(p, 'type'), `must be one of ${PRINTER_TYPES.join(',')}`));
    else if (!PRINTER_TYPES.includes(type)) errs.push(invalid(childField(p, 'type'), type, `must be one of ${PRINTER_TYPES.join(',')}`));
    const format = str(col.format);
    if (format && !PRINTER_FORMATS.includes(format)) errs.push(invalid(childField(p, 'format'), format, `must be one of ${PRINTER_FORMATS.join(',')}`));
    if (!str(col.jsonPath)) errs.push(required(childField(p, 'JSONPath'), ''));
    else if (!str(col.jsonPath).startsWith('.')) errs.push(invalid(childField(p, 'JSONPath'), str(col.jsonPath), 'must be a simple json path starting with .'));
  });
}

/**
 * Validates a CRD about to be stored (create or update), in the real server's order.
 *
 * @param crd The CRD (defaults applied).
 * @return Field errors; empty when the CRD is acceptable.
 */
export function validateCrd(crd: KubeObject): FieldErr[] {
  const errs: FieldErr[] = [];
  const spec = isObj(crd.spec as JsonValue) ? (crd.spec as JsonObject) : {};
  const names = isObj(spec.names) ? spec.names : {};
  const group = str(spec.group);
  const name = crd.metadata?.name ?? '';
  if (name && name !== `${str(names.plural)}.${group}`) errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (!group) errs.push(required('spec.group', ''));
  else if (!DNS1123_SUBDOMAIN_RE.test(group) || group.length > 253) errs.push(invalid('spec.group', group, group.length > 253 ? 'must be no more than 253 characters' : DNS1123_SUBDOMAIN_FMT));
  else if (group.split('.').length < 2) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  const scope = str(spec.scope);
  if (!scope) errs.push(required('spec.scope', ''));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));
  const versions = objs(spec.versions);
  versions.forEach((v, i) => validateVersion(v, `spec.versions[${i}]`, errs));
  if (!versions.length) errs.push(required('spec.versions', ''));
  const seen = new Set<string>();
  if (versions.some((v) => (seen.has(str(v.name)) ? true : (seen.add(str(v.name)), false)))) errs.push(invalid('spec.versions', goVersions(versions), 'must contain unique version names'));
  if (versions.filter((v) => v.storage === true).length !== 1) errs.push(invalid('spec.versions', goVersions(versions), 'must have exactly one version marked as storage version'));
  for (const key of ['plural', 'singular', 'kind', 'listKind']) if (!str(names[key])) errs.push(required(`spec.names.${key}`, ''));
  validateNames(names, 'spec.names', errs);
  return errs;
}

/**
 * Checks that an update keeps what may not change: `spec.scope` and the group.
 *
 * @param next The CRD to store.
 * @param old The stored CRD.
 */
export function validateCrdUpdate(next: KubeObject, old: KubeObject): FieldErr[] {
  const errs: FieldErr[] = [];
  const a = (next.spec ?? {}) as JsonObject;
  const b = (old.spec ?? {}) as JsonObject;
  if (a.scope !== b.scope) errs.push(invalid('spec.scope', str(a.scope), 'field is immutable'));
  if (a.group !== b.group) errs.push(invalid('spec.group', str(a.group), 'field is immutable'));
  const stored = Array.isArray((old.status as JsonObject | undefined)?.storedVersions) ? ((old.status as JsonObject).storedVersions as string[]) : [];
  const served = new Set(objs(a.versions).map((v) => str(v.name)));
  stored.forEach((v, i) => {
    if (!served.has(v)) {
      errs.push(invalid(`status.storedVersions[${i}]`, v, `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`));
    }
  });
  return errs;
}
