/**
 * System-owned object fields: keys, `uid`, `creationTimestamp`, `generation`, `managedFields`,
 * the wire shape (`apiVersion`/`kind` first) and the comparisons the server makes between an
 * old and a new object (no-op updates, generation bumps).
 *
 * @module
 */
import { randomInt, randomUUID } from 'node:crypto';
import { apiVersionOf } from './resources.js';
import type { KubeMetadata, KubeObject, ResourceDefinition } from './types.js';

/** Storage key of an object: `name` (cluster-scoped) or `namespace/name`. */
export function objectKey(def: Pick<ResourceDefinition, 'namespaced'>, namespace: string | undefined, name: string): string {
  return def.namespaced ? `${namespace ?? ''}/${name}` : name;
}

/** A random RFC 4122 v4 uid. */
export function newUid(): string {
  return randomUUID();
}

/** The current time as the server writes timestamps (RFC 3339, whole seconds, UTC). */
export function nowTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` + 5 random characters from the server's alphabet. */
export function generatedName(prefix: string): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_SUFFIX_ALPHABET[randomInt(NAME_SUFFIX_ALPHABET.length)];
  return base + s;
}

const META_ORDER = [
  'name',
  'generateName',
  'namespace',
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
];

function orderedMeta(meta: KubeMetadata): KubeMetadata {
  const out: KubeMetadata = {};
  for (const k of META_ORDER) if (meta[k] !== undefined) out[k] = meta[k];
  for (const [k, v] of Object.entries(meta)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

/**
 * The object as the server sends it: `apiVersion` and `kind` of the served version first, then
 * `metadata` (in the server's field order), then everything else.
 *
 * @param def The resource served.
 * @param obj The stored object.
 * @param typeMeta Include `apiVersion`/`kind` (false for items of built-in lists).
 */
export function wireObject(def: ResourceDefinition, obj: KubeObject, typeMeta = true): KubeObject {
  const out: KubeObject = {};
  if (typeMeta) {
    out.apiVersion = apiVersionOf(def);
    out.kind = def.kind;
  }
  out.metadata = orderedMeta(obj.metadata ?? {});
  for (const [k, v] of Object.entries(obj)) {
    if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata' && v !== undefined) out[k] = v;
  }
  return out;
}

/** Canonical JSON (sorted keys) for comparisons. */
export function canonical(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        const val = (x as Record<string, unknown>)[k];
        if (val !== undefined) o[k] = sort(val);
      }
      return o;
    }
    return x;
  };
  return JSON.stringify(sort(v));
}

/** Content that drives `metadata.generation`: everything but metadata (and status when it is a subresource). */
export function generationContent(def: ResourceDefinition, obj: KubeObject): string {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'metadata' || k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && (def.statusSubresource || !def.custom)) continue;
    rest[k] = v;
  }
  return canonical(rest);
}

/** True when two versions differ in anything but `resourceVersion` and `managedFields`. */
export function differs(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => {
    const meta = { ...(o.metadata ?? {}) };
    delete meta.resourceVersion;
    delete meta.managedFields;
    const copy: KubeObject = { ...o, metadata: meta };
    delete copy.apiVersion;
    delete copy.kind;
    return copy;
  };
  return canonical(strip(a)) !== canonical(strip(b));
}

/** The field manager name of a request: `fieldManager`, else the User-Agent up to its first `/`. */
export function managerName(fieldManager: string | null, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const ua = (userAgent ?? '').split('/')[0]?.trim() ?? '';
  return ua ? ua.slice(0, 128) : 'unknown';
}
