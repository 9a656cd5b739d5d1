/**
 * Field sets as server-side apply tracks them (structured-merge-diff): the paths of the fields an
 * object sets, in the `FieldsV1` vocabulary — `f:<field>` for object fields, `k:{"name":"x"}` for
 * items of associative lists (by their map keys), `v:<json>` for members of set lists. Atomic
 * lists, atomic maps and scalars are leaves; list items are members themselves (`.` in
 * `FieldsV1` when they also have fields).
 *
 * List semantics come from the CRD schema (`x-kubernetes-list-type`, `-list-map-keys`,
 * `-map-type`; lists are atomic unless declared otherwise) and, for built-in kinds, from the
 * list types the Kubernetes OpenAPI declares for the fields Calico's objects use.
 *
 * @module
 */
import type { JsonObject, JsonValue, KubeObject, SchemaNode } from './types.js';

/** One path: FieldsV1 elements from the object root. */
export type FieldPath = readonly string[];

/** A set of paths, keyed by their encoding. */
export type FieldSet = Map<string, FieldPath>;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Associative lists of built-in kinds and their keys (from the Kubernetes OpenAPI). */
const BUILTIN_MAP_LISTS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  imagePullSecrets: ['name'],
  ports: ['containerPort', 'protocol'],
  conditions: ['type'],
  ownerReferences: ['uid'],
};
/** Set lists of built-in kinds. */
const BUILTIN_SET_LISTS = new Set(['finalizers', 'podCIDRs']);

/** How a list merges. */
type ListKind = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

/** Where a walk is in the schema: the node (CRs) and the field name (built-ins). */
interface Shape {
  node: SchemaNode | undefined;
  /** True for built-in kinds (no schema; list kinds by field name). */
  builtin: boolean;
  field: string;
}

function listKind(shape: Shape): ListKind {
  if (shape.builtin || !shape.node) {
    if (shape.field === 'finalizers' || BUILTIN_SET_LISTS.has(shape.field)) return { type: 'set' };
    const keys = shape.builtin ? BUILTIN_MAP_LISTS[shape.field] : undefined;
    return keys ? { type: 'map', keys } : { type: 'atomic' };
  }
  const t = shape.node['x-kubernetes-list-type'];
  if (t === 'map') return { type: 'map', keys: shape.node['x-kubernetes-list-map-keys'] ?? [] };
  if (t === 'set') return { type: 'set' };
  return { type: 'atomic' };
}

function child(shape: Shape, key: string): Shape {
  // Object metadata has the same list types in every kind (finalizers a set, ownerReferences by uid).
  if (shape.field === '' && key === 'metadata') return { node: undefined, builtin: true, field: 'metadata' };
  const n = shape.node;
  const node = n?.properties?.[key] ?? (isObject(n?.additionalProperties) ? (n?.additionalProperties as SchemaNode) : undefined);
  return { node, builtin: shape.builtin, field: key };
}

const itemShape = (shape: Shape): Shape => ({ node: shape.node?.items, builtin: shape.builtin, field: shape.field });

/** The `k:` element of an associative list item. */
function keyElement(item: JsonObject, keys: string[]): string {
  const picked: JsonObject = {};
  for (const k of keys) if (item[k] !== undefined) picked[k] = item[k] as JsonValue;
  return `k:${JSON.stringify(picked)}`;
}

const encode = (p: FieldPath): string => JSON.stringify(p);

/** Adds a path. */
export function addPath(set: FieldSet, path: FieldPath): void {
  set.set(encode(path), path);
}

function walk(value: JsonValue | undefined, shape: Shape, path: string[], out: FieldSet, member: boolean): void {
  if (member) addPath(out, path);
  if (isObject(value) && shape.node?.['x-kubernetes-map-type'] !== 'atomic') {
    const entries = Object.entries(value);
    if (!entries.length && !member) addPath(out, path);
    for (const [k, v] of entries) walk(v, child(shape, k), [...path, `f:${k}`], out, false);
    return;
  }
  if (Array.isArray(value)) {
    const kind = listKind(shape);
    if (kind.type === 'map') {
      for (const item of value) if (isObject(item)) walk(item, itemShape(shape), [...path, keyElement(item, kind.keys)], out, true);
      return;
    }
    if (kind.type === 'set') {
      for (const item of value) addPath(out, [...path, `v:${JSON.stringify(item)}`]);
      return;
    }
  }
  if (!member) addPath(out, path);
}

/** Metadata fields that are tracked; the rest is the server's. */
const TRACKED_METADATA = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

/**
 * The fields an object sets, as a manager of the main resource or of `/status` owns them.
 *
 * @param obj The object (or an applied configuration).
 * @param schema The CR schema (undefined for built-in kinds).
 * @param part `main`: everything but status (when status is a subresource); `status`: only status.
 */
export function fieldsOf(obj: KubeObject, schema: SchemaNode | undefined, part: 'main' | 'status' | 'all'): FieldSet {
  const out: FieldSet = new Map();
  const root: Shape = { node: schema, builtin: schema === undefined, field: '' };
  const meta = obj.metadata ?? {};
  if (part !== 'status') {
    for (const k of TRACKED_METADATA) {
      if (meta[k] !== undefined) walk(meta[k] as JsonValue, child(child(root, 'metadata'), k), ['f:metadata', `f:${k}`], out, false);
    }
  }
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata' || v === undefined) continue;
    if (part === 'main' && k === 'status') continue;
    if (part === 'status' && k !== 'status') continue;
    walk(v as JsonValue, child(root, k), [`f:${k}`], out, false);
  }
  return out;
}

/** The value at a path (undefined when absent). */
export function valueAt(obj: JsonValue | undefined, path: FieldPath): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const el of path) {
    if (cur === undefined) return undefined;
    const body = el.slice(2);
    if (el.startsWith('f:')) {
      cur = isObject(cur) ? cur[body] : undefined;
    } else if (el.startsWith('k:')) {
      const want = JSON.parse(body) as JsonObject;
      cur = Array.isArray(cur) ? cur.find((i) => isObject(i) && Object.entries(want).every(([k, v]) => JSON.stringify(i[k]) === JSON.stringify(v))) : undefined;
    } else if (el.startsWith('v:')) {
      cur = Array.isArray(cur) && cur.some((i) => JSON.stringify(i) === body) ? (JSON.parse(body) as JsonValue) : undefined;
    } else {
      return undefined;
    }
  }
  return cur;
}

/** True when `path` is `prefix` or lies under it. */
export function under(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((el, i) => path[i] === el);
}

/** The path as the API server prints it in conflicts: `.spec.x`, `[name="a"]`, `[=v]`. */
export function pathText(path: FieldPath): string {
  return path
    .map((el) => {
      const body = el.slice(2);
      if (el.startsWith('f:')) return `.${body}`;
      if (el.startsWith('v:')) return `[=${body}]`;
      const keys = JSON.parse(body) as JsonObject;
      return `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

interface TrieNode {
  self: boolean;
  children: Map<string, TrieNode>;
}

/** The set as a `FieldsV1` object. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: TrieNode = { self: false, children: new Map() };
  for (const path of set.values()) {
    let node = root;
    for (const el of path) {
      let next = node.children.get(el);
      if (!next) node.children.set(el, (next = { self: false, children: new Map() }));
      node = next;
    }
    node.self = true;
  }
  const render = (node: TrieNode): JsonObject => {
    const out: JsonObject = {};
    if (node.self && node.children.size) out['.'] = {};
    for (const [el, c] of [...node.children.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[el] = render(c);
    return out;
  };
  return render(root);
}

/** A `FieldsV1` object as a set. */
export function fromFieldsV1(fields: JsonValue | undefined): FieldSet {
  const out: FieldSet = new Map();
  const visit = (node: JsonValue | undefined, path: string[]): void => {
    if (!isObject(node)) return;
    for (const [el, v] of Object.entries(node)) {
      if (el === '.') addPath(out, path);
      else if (isObject(v) && Object.keys(v).length === 0) addPath(out, [...path, el]);
      else visit(v, [...path, el]);
    }
  };
  visit(fields, []);
  return out;
}

/**
 * Merges an applied configuration into the live object: objects merge field by field,
 * associative lists item by item (live order, new items appended), set lists as sets; atomic
 * lists and scalars take the applied value.
 *
 * @param live The current value.
 * @param applied The applied value.
 * @param schema The CR schema (undefined for built-ins).
 */
export function mergeApplied(live: JsonValue | undefined, applied: JsonValue, schema: SchemaNode | undefined): JsonValue {
  return mergeAt(live, applied, { node: schema, builtin: schema === undefined, field: '' });
}

function mergeAt(live: JsonValue | undefined, applied: JsonValue, shape: Shape): JsonValue {
  if (isObject(applied) && isObject(live) && shape.node?.['x-kubernetes-map-type'] !== 'atomic') {
    const out: JsonObject = structuredClone(live);
    for (const [k, v] of Object.entries(applied)) out[k] = mergeAt(live[k], v, child(shape, k));
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const kind = listKind(shape);
    if (kind.type === 'set') {
      const out = structuredClone(live);
      for (const v of applied) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(v))) out.push(structuredClone(v));
      return out;
    }
    if (kind.type === 'map') {
      const keyOf = (i: JsonValue): string => (isObject(i) ? keyElement(i, kind.keys) : JSON.stringify(i));
      const pending = new Map(applied.map((i) => [keyOf(i), i]));
      const out: JsonValue[] = live.map((i) => {
        const a = pending.get(keyOf(i));
        if (a === undefined) return structuredClone(i);
        pending.delete(keyOf(i));
        return mergeAt(i, a, itemShape(shape));
      });
      for (const a of pending.values()) out.push(structuredClone(a));
      return out;
    }
  }
  return structuredClone(applied);
}

/** Removes the field at `path` from `obj` (in place); empty parents stay. */
export function removeAt(obj: JsonValue, path: FieldPath): void {
  if (!path.length) return;
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1] as string;
  const body = last.slice(2);
  if (last.startsWith('f:') && isObject(parent)) {
    delete parent[body];
  } else if (Array.isArray(parent)) {
    const target = valueAt(obj, path);
    const i = parent.findIndex((x) => x === target || JSON.stringify(x) === JSON.stringify(target));
    if (i >= 0) parent.splice(i, 1);
  }
}
