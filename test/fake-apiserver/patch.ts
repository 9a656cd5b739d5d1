/**
 * The patch formats of the API server, as pure functions over JSON:
 *
 * - JSON Patch (RFC 6902, `application/json-patch+json`): `add`, `remove`, `replace`, `move`,
 *   `copy`, `test`. A body that is not an array is a 400; a failing operation (a `test` that does
 *   not hold, a missing path) is the server's generic 422 `the server rejected our request due
 *   to an error in our request`, without the patch library's detail.
 * - JSON Merge Patch (RFC 7386, `application/merge-patch+json`): objects merge, `null` deletes,
 *   everything else replaces. A body that is not an object is a 400 `Invalid JSON Patch`.
 * - Strategic merge patch (`application/strategic-merge-patch+json`, built-in kinds only): like a
 *   merge patch, but lists with a merge key (containers by `name`, conditions by `type`, ...) merge
 *   element-wise, `finalizers` merge as a set, and the `$patch`, `$retainKeys`,
 *   `$deleteFromPrimitiveList/<f>` and `$setElementOrder/<f>` directives apply.
 *
 * @module
 */
import { apiFailure, badRequest, failureStatus } from './status.js';
import type { JsonObject, JsonValue } from './types.js';

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/**
 * A JSON Patch operation that does not apply. The API server answers these with a generic 422
 * whose body drops the patch library's own message (`NewGenericServerResponse` without causes),
 * so `message` only names the failure for debugging here and is not sent.
 */
function patchFailure(message: string): Error {
  const failure = apiFailure(failureStatus(422, 'Invalid', 'the server rejected our request due to an error in our request', {}));
  failure.cause = message;
  return failure;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw patchFailure(`JSON pointer ${JSON.stringify(path)} must start with '/'`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: JsonValue, parts: string[], op: string, path: string): { parent: JsonObject | JsonValue[]; last: string } {
  let cur: JsonValue = doc;
  for (const p of parts.slice(0, -1)) {
    const next: JsonValue | undefined = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
    if (next === undefined || next === null || typeof next !== 'object') throw patchFailure(`${op} operation does not apply: doc is missing path: ${path}`);
    cur = next;
  }
  if (cur === null || typeof cur !== 'object') throw patchFailure(`${op} operation does not apply: doc is missing path: ${path}`);
  return { parent: cur, last: parts[parts.length - 1] as string };
}

function getAt(doc: JsonValue, path: string, op: string): JsonValue {
  let cur: JsonValue | undefined = doc;
  for (const p of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
    if (cur === undefined) throw patchFailure(`${op} operation does not apply: doc is missing path: ${path}`);
  }
  return cur as JsonValue;
}

function arrayIndex(arr: JsonValue[], last: string, allowEnd: boolean, op: string, path: string): number {
  if (last === '-' && allowEnd) return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(last)) throw patchFailure(`${op} operation does not apply: invalid array index ${JSON.stringify(last)} in ${path}`);
  const i = Number(last);
  if (i > arr.length || (!allowEnd && i === arr.length)) throw patchFailure(`${op} operation does not apply: index out of range: ${path}`);
  return i;
}

function remove(doc: JsonValue, path: string, op = 'remove'): JsonValue {
  const parts = pointer(path);
  if (!parts.length) throw patchFailure('cannot remove the document root');
  const { parent, last } = parentOf(doc, parts, op, path);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, false, op, path), 1)[0] as JsonValue;
  if (!(last in parent)) throw patchFailure(`${op} operation does not apply: doc is missing key: ${path}`);
  const v = parent[last] as JsonValue;
  delete parent[last];
  return v;
}

function add(doc: JsonValue, path: string, value: JsonValue, replace: boolean): JsonValue {
  const parts = pointer(path);
  const op = replace ? 'replace' : 'add';
  if (!parts.length) return value;
  const { parent, last } = parentOf(doc, parts, op, path);
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, !replace, op, path);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else {
    if (replace && !(last in parent)) throw patchFailure(`replace operation does not apply: doc is missing key: ${path}`);
    parent[last] = value;
  }
  return doc;
}

/**
 * Applies a JSON Patch.
 *
 * @param doc The current object (not modified).
 * @param patch The decoded patch body.
 * @return The patched copy.
 */
export function applyJsonPatch(doc: JsonValue, patch: JsonValue): JsonValue {
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${isObject(patch) ? 'object' : typeof patch} into Go value of type jsonpatch.Patch`);
  }
  let out = clone(doc);
  for (const raw of patch) {
    if (!isObject(raw)) throw badRequest('json: cannot unmarshal into Go value of type jsonpatch.Operation');
    const op = raw.op;
    const path = typeof raw.path === 'string' ? raw.path : undefined;
    if (path === undefined) throw patchFailure(`${String(op)} operation does not apply: missing path`);
    switch (op) {
      case 'add':
      case 'replace':
        if (!('value' in raw)) throw patchFailure(`${op} operation does not apply: missing value`);
        out = add(out, path, clone(raw.value as JsonValue), op === 'replace');
        break;
      case 'remove':
        remove(out, path);
        break;
      case 'move':
      case 'copy': {
        const from = typeof raw.from === 'string' ? raw.from : '';
        const v = op === 'move' ? remove(out, from, 'move') : clone(getAt(out, from, 'copy'));
        out = add(out, path, v, false);
        break;
      }
      case 'test':
        if (!jsonEqual(getAt(out, path, 'test'), raw.value as JsonValue)) throw patchFailure(`testing value ${path} failed: test failed`);
        break;
      default:
        throw patchFailure(`Unexpected kind: ${String(op)}`);
    }
  }
  return out;
}

function mergeInto(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return clone(patch);
  const base: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = mergeInto(base[k], v);
  }
  return base;
}

/**
 * Applies a JSON Merge Patch.
 *
 * @param doc The current object.
 * @param patch The decoded patch body (must be an object).
 */
export function applyMergePatch(doc: JsonValue, patch: JsonValue): JsonValue {
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  return mergeInto(doc, patch);
}

/** List fields that merge element-wise in strategic merge patches, with their merge keys. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  conditions: 'type',
  addresses: 'type',
  podIPs: 'ip',
  hostIPs: 'ip',
  ownerReferences: 'uid',
  secrets: 'name',
  hostAliases: 'ip',
};

/** Primitive lists that merge as sets. */
const SET_LISTS = new Set(['finalizers', 'podCIDRs']);

function strategicList(field: string, current: JsonValue[] | undefined, patch: JsonValue[]): JsonValue[] {
  const key = MERGE_KEYS[field];
  if (SET_LISTS.has(field)) {
    const out = [...(current ?? [])];
    for (const v of patch) if (!out.some((x) => jsonEqual(x, v))) out.push(clone(v));
    return out;
  }
  if (!key) return clone(patch);
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) return clone(patch.filter((p) => !(isObject(p) && p.$patch === 'replace')));
  const out: JsonValue[] = clone(current ?? []);
  for (const p of patch) {
    if (!isObject(p)) continue;
    const idx = out.findIndex((x) => isObject(x) && jsonEqual(x[key], p[key]));
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = strategicMerge(out[idx], p);
    } else {
      out.push(strategicMerge(undefined, p));
    }
  }
  return out;
}

function strategicMerge(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'delete') return null;
  const base: JsonObject = patch.$patch === 'replace' || !isObject(target) ? {} : clone(target);
  const retain = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = base[field];
      if (Array.isArray(cur) && Array.isArray(v)) base[field] = cur.filter((x) => !v.some((d) => jsonEqual(d, x)));
      continue;
    }
    if (v === null) {
      delete base[k];
    } else if (Array.isArray(v)) {
      base[k] = strategicList(k, Array.isArray(base[k]) ? (base[k] as JsonValue[]) : undefined, v);
    } else {
      const merged = strategicMerge(base[k], v);
      if (merged === null) delete base[k];
      else base[k] = merged;
    }
  }
  if (retain) for (const k of Object.keys(base)) if (!retain.includes(k)) delete base[k];
  return base;
}

/**
 * Applies a strategic merge patch (the basic cases built-in kinds use).
 *
 * @param doc The current object.
 * @param patch The decoded patch body (must be an object).
 */
export function applyStrategicMergePatch(doc: JsonValue, patch: JsonValue): JsonValue {
  if (!isObject(patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return strategicMerge(doc, patch) ?? {};
}
