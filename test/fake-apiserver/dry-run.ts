/**
 * `dryRun=All`: a write runs through decoding, defaulting, validation and admission exactly as
 * usual, but nothing is stored, no revision is used and no watch event is sent. The answer is
 * what the write would have produced: a created object without `resourceVersion`, an updated one
 * with the stored `resourceVersion`, a deleted one as it stands.
 *
 * @module
 */
import type { ServerState } from './context.js';
import { notSupported } from './field-errors.js';
import { invalidObject } from './status.js';
import type { JsonObject, JsonValue, KubeObject } from './types.js';

/**
 * Commits a write, or (dry run) returns the object the commit would have stored.
 *
 * @param state Server state.
 * @param dryRun True for `dryRun=All`.
 * @param id Storage identity of the resource.
 * @param key Object key.
 * @param obj The new object, or null for a deletion.
 */
export function commitWrite(state: ServerState, dryRun: boolean | undefined, id: string, key: string, obj: KubeObject | null): { object: KubeObject } {
  if (!dryRun) return state.store.commit(id, key, obj);
  const object = obj ? structuredClone(obj) : state.store.get(id, key);
  if (!object) throw new Error(`dry run: delete of missing key ${id} ${key}`);
  return { object };
}

/**
 * Reads `dryRun` from the query (and a DeleteOptions body); any value but `All` is a 422 on the
 * request's options kind, as the server words it:
 * `CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"x"}: supported values: "All"`.
 *
 * @param query The request query.
 * @param optionsKind `CreateOptions`, `UpdateOptions`, `PatchOptions` or `DeleteOptions`.
 * @param body A decoded DeleteOptions body, when there is one.
 * @return True for a dry run.
 */
export function parseDryRun(query: URLSearchParams, optionsKind: string, body?: JsonObject): boolean {
  const values = query.getAll('dryRun');
  const fromBody = body?.dryRun;
  if (Array.isArray(fromBody)) values.push(...fromBody.map((v: JsonValue) => String(v)));
  if (!values.length) return false;
  if (values.some((v) => v !== 'All')) {
    const raw = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
    throw invalidObject(optionsKind, 'meta.k8s.io', '', [notSupported('dryRun', { raw }, ['All'])]);
  }
  return true;
}
