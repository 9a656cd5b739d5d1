/**
 * Serialisation in the shape Calico's Go types emit (model spec §1, "serialisation"): the
 * `omitempty` normalisation and the canonical JSON form of number-or-string values.
 *
 * The walk is guided by the kind's schema, so it knows which fields are free-form maps (whose
 * entries, even empty strings, are data) and which numbers Go drops at zero (non-pointer integers
 * marked `x-calico-omit-zero`, such as IPPool `blockSize`). Fields the schema does not know —
 * unknown fields of objects read from a datastore — are passed through untouched.
 *
 * @module
 */
import { assertPlainData } from './input-guard.js';
import { isCalicoKind } from './kinds.js';
import { formatPort, parseASNumber, parsePort, parseProtocol } from './numorstring.js';
import { KIND_SCHEMAS, derefSchema, type JsonSchema, type SchemaAt } from './schema-registry.js';

/** Top-level fields Go always writes, even when empty. */
const ALWAYS_KEPT = new Set(['apiVersion', 'kind', 'metadata', 'spec']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty keeps a "__proto__" key a plain data key; plain assignment is faster otherwise.
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

const resolvedCache = new WeakMap<JsonSchema, SchemaAt | null>();

/** {@link derefSchema}, memoised per schema object (a schema object lives in exactly one document). */
function resolve(at: SchemaAt): SchemaAt | undefined {
  let hit = resolvedCache.get(at.schema);
  if (hit === undefined) {
    hit = derefSchema(at) ?? null;
    resolvedCache.set(at.schema, hit);
  }
  return hit ?? undefined;
}

/** Canonical JSON form of a number-or-string value, when the schema names its type and it parses. */
function canonicalScalar(title: string | undefined, value: unknown): unknown {
  switch (title) {
    case 'Protocol': {
      const p = parseProtocol(value);
      return p.ok ? p.value : value;
    }
    case 'Port': {
      const p = parsePort(value);
      return p.ok ? formatPort(p.value) : value;
    }
    case 'ASNumber': {
      const a = parseASNumber(value);
      return a.ok ? a.value : value;
    }
    default:
      return value;
  }
}

/** True when Go's `omitempty` (or `omitzero`) would leave the field out. */
function isOmitted(value: unknown, schema: JsonSchema | undefined, property: JsonSchema): boolean {
  if (value === undefined) return true;
  // A field without omitempty that is present stays, whatever its value.
  if (property['x-calico-no-omitempty'] === true || schema?.['x-calico-no-omitempty'] === true) return false;
  if (value === null || value === '' || value === false) return true;
  if (value === 0) return schema?.['x-calico-omit-zero'] === true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

function copyUnknown(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyUnknown);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) setKey(out, k, copyUnknown(v));
  return out;
}

function normalise(value: unknown, at: SchemaAt | undefined): unknown {
  const resolved = at ? resolve(at) : undefined;
  if (!resolved) return copyUnknown(value);
  const { schema, documentId } = resolved;
  if (Array.isArray(value)) {
    const items = schema.items ? { documentId, schema: schema.items } : undefined;
    return value.map((item) => normalise(item, items));
  }
  if (!isPlainObject(value)) return canonicalScalar(schema.title, value);
  const out: Record<string, unknown> = {};
  if (schema.properties) {
    for (const [key, child] of Object.entries(value)) {
      const childSchema = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      if (!childSchema) {
        setKey(out, key, copyUnknown(child));
        continue;
      }
      const normalised = normalise(child, { documentId, schema: childSchema });
      const resolvedChild = resolve({ documentId, schema: childSchema })?.schema;
      if (!isOmitted(normalised, resolvedChild, childSchema)) setKey(out, key, normalised);
    }
    return out;
  }
  // A free-form map: every entry is data and is kept as it is.
  return copyUnknown(value);
}

/**
 * Normalises a resource to the JSON Calico's Go types would emit for it: empty strings, `false`,
 * empty lists, empty objects (including an empty `source`/`destination` rule) and nulls are
 * dropped, except in fields Go writes even at their zero value (no `omitempty`: a WorkloadEndpoint
 * port's `hostPort: 0` and `hostIP: ""`, `creationTimestamp: null`, a Node's or Tier's empty
 * `status`), which are kept when present; zero numbers are dropped only where Go drops them (non-pointer integers such as IPPool
 * `blockSize`, not policy `order` or ICMP `type`/`code`, where 0 means something); protocols,
 * ports and AS numbers take their canonical form (`"6"` → `6`, `"80:80"` → `80`, `"1.10"` →
 * `65546`). `apiVersion`, `kind`, `metadata` and `spec` are always kept, and label and annotation
 * entries are never dropped. Unknown kinds and unknown fields are copied unchanged.
 *
 * The result is a new object; the input is not modified. Serialising the result again gives the
 * same JSON, byte for byte.
 *
 * ## Example
 * ```ts
 * serializeResource({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy',
 *   metadata: { name: 'a', namespace: 'b', labels: {} },
 *   spec: { order: 0, ingress: [{ action: 'Allow', protocol: '6', source: {}, destination: { ports: ['80:80'] } }] } });
 * // { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'b' },
 * //   spec: { order: 0, ingress: [{ action: 'Allow', protocol: 6, destination: { ports: [80] } }] } }
 * ```
 * @param resource The resource.
 * @return The normalised copy.
 * @throws ValidationError when `resource` is not plain JSON data within the input limits
 *   (`model/input-guard.ts`), naming the offending path.
 */
export function serializeResource<T>(resource: T): T {
  assertPlainData(resource);
  return serializeResourceUnguarded(resource);
}

/**
 * {@link serializeResource} for input that already passed the input guard (the client's own
 * copies, values read from a datastore), without walking it a second time.
 *
 * @param resource Plain JSON data.
 * @return The normalised copy.
 */
export function serializeResourceUnguarded<T>(resource: T): T {
  if (!isPlainObject(resource)) return copyUnknown(resource) as T;
  const kind = resource.kind;
  if (!isCalicoKind(kind)) return copyUnknown(resource) as T;
  const root = KIND_SCHEMAS[kind];
  const documentId = root.$id ?? '';
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(resource)) {
    const childSchema = root.properties && Object.hasOwn(root.properties, key) ? root.properties[key] : undefined;
    if (!childSchema) {
      setKey(out, key, copyUnknown(child));
      continue;
    }
    const normalised = normalise(child, { documentId, schema: childSchema });
    const keep = ALWAYS_KEPT.has(key) ? normalised !== undefined && normalised !== null : !isOmitted(normalised, childSchema, childSchema);
    if (keep) setKey(out, key, normalised);
  }
  return out as T;
}

/**
 * {@link serializeResource} followed by `JSON.stringify`: the bytes a backend stores.
 *
 * @param resource The resource.
 * @return Its JSON text.
 */
export function serializeResourceJSON(resource: unknown): string {
  return JSON.stringify(serializeResourceUnguarded(resource));
}
