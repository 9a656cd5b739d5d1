/**
 * Documents for comparing two CRDs of one kind, made from a CRD's own `openAPIV3Schema` with
 * fast-check, so nothing here knows a kind:
 *
 * - {@link generatedDocument}: a random custom resource that follows the schema's shape (types,
 *   enums, required keys, set lists unique), with values drawn from pools that include every
 *   string and number the schema's CEL rules compare against, so the rules' edges get hit;
 * - {@link variedDocument}: a seed with one field replaced by a generated value;
 * - {@link mutatedDocument}: a document with one schema-guided defect (wrong type, null, out of
 *   range, too long, too many items, bad enum, broken format, missing required key, duplicate
 *   list item, unknown field); {@link everyDefect} lists all of them for one document, and
 *   {@link everyAlternative} every other enum value and boolean at every place.
 *
 * @module
 */
import fc from 'fast-check';
import type { JsonObject, JsonValue, SchemaNode } from '../../fake-apiserver/types.js';

/** The values generated leaves are drawn from. */
export interface ValuePools {
  /** Plain strings (selectors, names, protocols, ports, the rules' string literals). */
  strings: string[];
  /** Numbers (bounds' neighbours, protocol numbers, the rules' numeric literals). */
  numbers: number[];
  /** Values for `format: cidr` (masked, unmasked, link-local, tiny, IPv4 and IPv6). */
  cidrs: string[];
  /** Object names (`metadata.name`), including the rules' name literals. */
  names: string[];
}

const BASE_STRINGS = ['', 'x', 'all()', "app == 'web'", 'has(role)', 'global()', "global() && app == 'x'", 'TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', '80', '8080:8090', 'http', 'GET', '/api'];
const BASE_NUMBERS = [-1, 0, 1, 4, 6, 8, 20, 26, 32, 58, 64, 100, 116, 122, 128, 255, 256, 1000, 65535, 1.5];
const BASE_CIDRS = ['10.0.0.0/16', '10.1.0.0/24', '10.0.0.1/16', '192.168.0.0/30', '10.0.0.0/8', '0.0.0.0/0', '169.254.0.0/16', '169.0.0.0/8', 'fd00::/48', 'fd00:1::/120', 'fd00::1/64', 'fe80::/64', 'fe00::/7'];
const DATE = '2025-03-01T09:00:00Z';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Every string and number literal in the schema's `x-kubernetes-validations` rules. */
export function ruleLiterals(schema: SchemaNode): { strings: string[]; numbers: number[] } {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const walk = (s: SchemaNode | undefined): void => {
    if (!s) return;
    for (const r of s['x-kubernetes-validations'] ?? []) {
      for (const m of r.rule.matchAll(/'([^']*)'/g)) strings.add(m[1] as string);
      for (const m of r.rule.replace(/'[^']*'/g, '').matchAll(/\b\d+(\.\d+)?\b/g)) numbers.add(Number(m[0]));
    }
    Object.values(s.properties ?? {}).forEach(walk);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties);
    walk(s.items);
  };
  walk(schema);
  return { strings: [...strings], numbers: [...numbers] };
}

/** Pools with the literals of all the given schemas' rules added to the generic values. */
export function poolsFor(schemas: readonly SchemaNode[]): ValuePools {
  const lits = schemas.map(ruleLiterals);
  const strings = [...new Set([...BASE_STRINGS, ...lits.flatMap((l) => l.strings)])];
  const numbers = [...new Set([...BASE_NUMBERS, ...lits.flatMap((l) => l.numbers)])];
  const cidrs = [...new Set([...BASE_CIDRS, ...strings.filter((s) => s.includes('/') && /^[0-9a-f.:]+\/\d+$/.test(s))])];
  const names = [...new Set(['sample-a', ...strings.filter((s) => DNS_LABEL.test(s))])];
  return { strings, numbers, cidrs, names };
}

/** The values a node allows when it is an enum, also when written as an `allOf` of enums. */
function enumOf(s: SchemaNode): JsonValue[] | undefined {
  const lists = [s.enum, ...(s.allOf ?? []).map((a) => a.enum)].filter((e): e is JsonValue[] => Array.isArray(e));
  if (!lists.length) return undefined;
  return (lists[0] as JsonValue[]).filter((v) => lists.every((l) => l.some((x) => JSON.stringify(x) === JSON.stringify(v))));
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

function stringArb(s: SchemaNode, pools: ValuePools): fc.Arbitrary<string> {
  if (s.format === 'cidr') return fc.constantFrom(...pools.cidrs);
  if (s.format === 'date-time') return fc.constant(DATE);
  return fc.constantFrom(...pools.strings);
}

function numberArb(s: SchemaNode, pools: ValuePools): fc.Arbitrary<number> {
  const around = [s.minimum, s.maximum].filter((v): v is number => v !== undefined);
  const values = [...new Set([...pools.numbers, ...around])];
  return fc.constantFrom(...(s.type === 'integer' ? values.filter(Number.isInteger) : values));
}

/**
 * An arbitrary for values of one schema node.
 *
 * @param s The node.
 * @param pools Leaf values.
 * @param depth Nesting left: at 0 objects get only their required keys and lists stay empty.
 */
export function valueArb(s: SchemaNode, pools: ValuePools, depth: number): fc.Arbitrary<JsonValue> {
  const values = enumOf(s);
  if (values?.length) return fc.constantFrom(...values);
  if (s['x-kubernetes-int-or-string']) return fc.oneof(numberArb({ type: 'integer' }, pools), stringArb({}, pools));
  switch (s.type) {
    case 'string':
      return stringArb(s, pools);
    case 'integer':
    case 'number':
      return numberArb(s, pools);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = s.items ?? {};
      const maxLength = depth <= 0 ? 0 : depth > 3 ? 2 : 1;
      const unique = s['x-kubernetes-list-type'] === 'set' || s['x-kubernetes-list-type'] === 'map';
      const item = valueArb(items, pools, depth - 1);
      return unique ? fc.uniqueArray(item, { maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(item, { maxLength });
    }
    case 'object': {
      if (s.properties) {
        const required = s.required ?? [];
        const keys = Object.keys(s.properties).filter((k) => depth > 0 || required.includes(k));
        const model = Object.fromEntries(keys.map((k) => [k, valueArb(s.properties?.[k] as SchemaNode, pools, depth - 1)]));
        return fc.record(model, { requiredKeys: required.filter((k) => keys.includes(k)) }) as fc.Arbitrary<JsonValue>;
      }
      if (typeof s.additionalProperties === 'object') {
        return fc.dictionary(fc.constantFrom('a', 'b', 'example.com/c'), valueArb(s.additionalProperties, pools, depth - 1), { maxKeys: depth > 0 ? 2 : 0 });
      }
      return fc.constant({});
    }
    default:
      return fc.constant({});
  }
}

/** A custom resource's skeleton: apiVersion, kind and metadata (with a namespace when namespaced). */
export interface ResourceShape {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
}

function metadataArb(shape: ResourceShape, pools: ValuePools): fc.Arbitrary<JsonObject> {
  return fc.constantFrom(...pools.names).map((name): JsonObject => (shape.namespaced ? { name, namespace: 'shop' } : { name }));
}

/**
 * A whole random custom resource.
 *
 * @param schema The CRD's `openAPIV3Schema`.
 * @param shape Type and scope.
 * @param pools Leaf values.
 */
export function generatedDocument(schema: SchemaNode, shape: ResourceShape, pools: ValuePools): fc.Arbitrary<JsonObject> {
  const body = Object.entries(schema.properties ?? {}).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k));
  const model = Object.fromEntries(body.map(([k, v]) => [k, valueArb(v, pools, 6)]));
  return fc.tuple(metadataArb(shape, pools), fc.record(model)).map(([metadata, rest]) => plain({ apiVersion: shape.apiVersion, kind: shape.kind, metadata, ...rest }));
}

/** A JSON-only copy (fast-check records may be exotic objects). */
function plain(v: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(v)) as JsonObject;
}

type Segment = string | number;

/** A place in a document: its path, the value there and the schema node describing it. */
interface Place {
  path: Segment[];
  value: JsonValue | undefined;
  schema: SchemaNode;
}

function childSchema(s: SchemaNode, seg: Segment): SchemaNode | undefined {
  if (typeof seg === 'number') return s.items;
  return s.properties?.[seg] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
}

/**
 * Places to change in `doc`: every value present below the root (outside `metadata`, which the
 * API server checks the same way for every CRD), and every declared property that is absent from
 * an object that is present.
 */
function places(doc: JsonObject, schema: SchemaNode): Place[] {
  const out: Place[] = [];
  const walk = (value: JsonValue | undefined, s: SchemaNode, path: Segment[]): void => {
    if (path.length) out.push({ path, value, schema: s });
    if (Array.isArray(value)) value.forEach((v, i) => s.items && walk(v, s.items, [...path, i]));
    else if (isObject(value)) {
      const keys = new Set([...Object.keys(value), ...Object.keys(s.properties ?? {})]);
      for (const k of keys) {
        if (path.length === 0 && ['apiVersion', 'kind', 'metadata'].includes(k)) continue;
        const cs = childSchema(s, k);
        if (!cs) continue;
        if (k in value) walk(value[k], cs, [...path, k]);
        else out.push({ path: [...path, k], value: undefined, schema: cs });
      }
    }
  };
  walk(doc, schema, []);
  return out;
}

function setAt(doc: JsonObject, path: Segment[], value: JsonValue | undefined): JsonObject {
  const copy = structuredClone(doc);
  let cur: JsonValue = copy;
  for (const seg of path.slice(0, -1)) cur = (cur as Record<Segment, JsonValue>)[seg] as JsonValue;
  const last = path[path.length - 1] as Segment;
  if (value === undefined && !Array.isArray(cur)) delete (cur as JsonObject)[last as string];
  else (cur as Record<Segment, JsonValue | undefined>)[last] = value;
  return copy;
}

/**
 * A seed with one present or absent field set to a generated value.
 *
 * @param seed A document.
 * @param schema The schema that guides the generation.
 * @param pools Leaf values.
 */
export function variedDocument(seed: JsonObject, schema: SchemaNode, pools: ValuePools): fc.Arbitrary<JsonObject> {
  const spots = places(seed, schema);
  return fc.constantFrom(...spots).chain((p) => valueArb(p.schema, pools, 3).map((v) => plain(setAt(seed, p.path, v))));
}

/** The defects one place can get, judged from its schema node. */
function defects(p: Place): JsonValue[] {
  const s = p.schema;
  const out: JsonValue[] = [null];
  const wrong: JsonValue[] = s['x-kubernetes-int-or-string'] ? [true, [], 1.5] : s.type === 'string' ? [42, false] : s.type === 'array' ? ['x', {}] : s.type === 'object' ? ['x', []] : s.type === 'boolean' ? ['true', 1] : ['7', 1.5];
  out.push(...wrong);
  if (enumOf(s)) out.push('Bogus');
  if (s.format) out.push(`not-a-${s.format}`, '10.0.0.0');
  if (s.maximum !== undefined) out.push(s.maximum + 1);
  if (s.minimum !== undefined) out.push(s.minimum - 1);
  if (s.maxLength !== undefined) out.push('a'.repeat(s.maxLength + 1));
  if (Array.isArray(p.value)) {
    if (p.value.length) out.push([...p.value, p.value[0] as JsonValue]);
    if (s.maxItems !== undefined) out.push(Array.from({ length: s.maxItems + 1 }, (_, i) => (p.value as JsonValue[])[i % Math.max(1, (p.value as JsonValue[]).length)] ?? 'x'));
    if (s.minItems) out.push([]);
  }
  if (isObject(p.value)) {
    out.push({ ...p.value, bogusField: 1 });
    for (const r of s.required ?? []) if (r in p.value) out.push(Object.fromEntries(Object.entries(p.value).filter(([k]) => k !== r)));
  }
  return out;
}

/**
 * Every one-defect variant of a document: each defect at each place, and an unknown root field.
 *
 * @param doc A document.
 * @param schema The schema that guides the choice of defects.
 */
export function everyDefect(doc: JsonObject, schema: SchemaNode): JsonObject[] {
  const spots = places(doc, schema).filter((p) => p.value !== undefined);
  return [plain({ ...doc, bogusField: { a: 1 } }), ...spots.flatMap((p) => defects(p).map((v) => plain(setAt(doc, p.path, v))))];
}

/**
 * Every variant of a document with one enum or boolean field (present or absent) set to another
 * of its values, or removed.
 *
 * @param doc A document.
 * @param schema The schema that lists the values.
 */
export function everyAlternative(doc: JsonObject, schema: SchemaNode): JsonObject[] {
  return places(doc, schema).flatMap((p) => {
    const values = enumOf(p.schema) ?? (p.schema.type === 'boolean' ? [true, false] : []);
    const others: (JsonValue | undefined)[] = values.filter((v) => v !== p.value);
    if (values.length && p.value !== undefined) others.push(undefined);
    return others.map((v) => plain(setAt(doc, p.path, v)));
  });
}

/**
 * A document with one defect at one place (or an unknown field at its root).
 *
 * @param doc A document.
 * @param schema The schema that guides the choice of defect.
 */
export function mutatedDocument(doc: JsonObject, schema: SchemaNode): fc.Arbitrary<JsonObject> {
  const spots = places(doc, schema).filter((p) => p.value !== undefined);
  const root = fc.constant(plain({ ...doc, bogusField: { a: 1 } }));
  if (!spots.length) return root;
  return fc.oneof(
    { weight: 1, arbitrary: root },
    { weight: 9, arbitrary: fc.constantFrom(...spots).chain((p) => fc.constantFrom(...defects(p)).map((v) => plain(setAt(doc, p.path, v)))) },
  );
}
