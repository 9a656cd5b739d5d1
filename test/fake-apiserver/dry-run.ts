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
import type { ObjectStore, StoreEvent } from './store.js';
import type { JsonObject, JsonValue, KubeObject } from './types.js';

/**
 * The server state as a dry-run write sees it: reads go to the real store; commits return the
 * event they would have produced (the object exactly as the write prepared it: no
 * `resourceVersion` for a create, the stored one for an update) without storing, counting a
 * revision or telling any watcher. Code with effects beyond the store checks `state.dryRun`.
 *
 * @param state The real server state.
 */
export function dryRunState(state: ServerState): ServerState {
  const real = state.store;
  const store: ObjectStore = {
    ...real,
    commit(id, key, obj) {
      const previous = real.get(id, key);
      if (!obj && !previous) throw new Error(`store: delete of missing key ${id} ${key}`);
      const event: StoreEvent = {
        rv: real.currentRv(),
        type: !obj ? 'DELETED' : previous ? 'MODIFIED' : 'ADDED',
        resourceId: id,
        key,
        object: structuredClone(obj ?? (previous as KubeObject)),
      };
      if (previous) event.previous = previous;
      return event;
    },
    bump: () => real.currentRv(),
    compact: () => real.compactedRv(),
    dropResource: () => undefined,
  };
  return { ...state, store, dryRun: true };
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
