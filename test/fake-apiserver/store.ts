/**
 * The fake server's storage: an etcd-like multi-version store with **one global revision counter**
 * across all resources. Every write gets the next revision, which becomes the object's
 * `metadata.resourceVersion`; older versions stay readable (for lists at a revision and continue
 * tokens) until compaction. Each resource keeps a bounded window of events for watch replay, as
 * the API server's watch cache does (see {@link createEventWindow}).
 *
 * Keys are `name` for cluster-scoped and `namespace/name` for namespaced objects and sort like
 * etcd keys, so list order matches a real server.
 *
 * @module
 */
import type { KubeObject } from './types.js';
import { createEventWindow, type EventWindow, type EventWindowOptions } from './watch-cache.js';

/** A stored change, as watches see it. */
export interface StoreEvent {
  /** Revision of the change. */
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** Storage identity of the resource (`group/plural`). */
  resourceId: string;
  /** Object key (`name` or `namespace/name`). */
  key: string;
  /** The object after the change; for DELETED the last state, with `resourceVersion` = the deletion revision. */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  previous?: KubeObject;
}

interface Version {
  rv: number;
  obj: KubeObject | null;
}

/** Options of {@link createStore}. */
export interface StoreOptions {
  /**
   * Revision the counter starts from (the first write gets `initialResourceVersion + 1`).
   * @default 1000
   */
  initialResourceVersion?: number;
  /** The watch cache's window per resource; older watch starts get a 410. See {@link EventWindowOptions}. */
  watchCache?: EventWindowOptions;
  /**
   * Revisions kept before automatic compaction (like etcd's revision auto-compaction). 0 disables it.
   * @default 100000
   */
  retainRevisions?: number;
}

/** The store. All returned objects are copies. */
export interface ObjectStore {
  /** The latest revision. */
  currentRv(): number;
  /** Lowest revision still readable (reads at older revisions are expired). */
  compactedRv(): number;
  /** Lowest revision a watch on this resource may start from (the watch cache window, or compaction). */
  historyStart(resourceId: string): number;
  /** The watch cache window of a resource (for tests of its size). */
  window(resourceId: string): EventWindow<StoreEvent>;
  /** The object at `key` (at revision `atRv`, default latest). */
  get(resourceId: string, key: string, atRv?: number): KubeObject | undefined;
  /**
   * Objects of a resource at a revision, sorted by key; `prefix` limits keys (namespace + `/`).
   * With `shared`, the objects are the stored ones, not copies: the caller must not change them.
   */
  list(resourceId: string, atRv?: number, prefix?: string, shared?: boolean): { key: string; object: KubeObject }[];
  /** Events of a resource with revision greater than `rv`, oldest first. */
  eventsSince(resourceId: string, rv: number): StoreEvent[];
  /**
   * Writes a new version (or a deletion when `obj` is null) with the next revision, sets
   * `metadata.resourceVersion`, records and publishes the event.
   */
  commit(resourceId: string, key: string, obj: KubeObject | null): StoreEvent;
  /** Advances the revision counter without changing anything (other cluster activity). */
  bump(count?: number): number;
  /** Forgets versions and events at or below `rv` (default: the current revision). */
  compact(rv?: number): number;
  /** Subscribes to committed events; returns the unsubscribe function. */
  subscribe(listener: (e: StoreEvent) => void): () => void;
  /** Removes every object of a resource without events (used when a CRD is uninstalled). */
  dropResource(resourceId: string): void;
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * Creates an empty store.
 *
 * @param options See {@link StoreOptions}.
 */
export function createStore(options: StoreOptions = {}): ObjectStore {
  let rv = options.initialResourceVersion ?? 1000;
  const initialRv = rv;
  let compacted = 0;
  let commitsSinceCompaction = 0;
  const retain = options.retainRevisions ?? 100_000;
  const data = new Map<string, Map<string, Version[]>>();
  const windows = new Map<string, EventWindow<StoreEvent>>();
  /** Resources dropped and installed again: their new cache starts at the revision of the reinstall. */
  const restartedAt = new Map<string, number>();
  const listeners = new Set<(e: StoreEvent) => void>();

  const windowOf = (id: string): EventWindow<StoreEvent> => {
    let w = windows.get(id);
    if (!w) windows.set(id, (w = createEventWindow<StoreEvent>(restartedAt.get(id) ?? initialRv, options.watchCache)));
    return w;
  };

  const bucket = (id: string): Map<string, Version[]> => {
    let b = data.get(id);
    if (!b) data.set(id, (b = new Map()));
    return b;
  };

  const versionAt = (versions: Version[] | undefined, at: number): Version | undefined => {
    if (!versions) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i] as Version;
      if (v.rv <= at) return v;
    }
    return undefined;
  };

  const store: ObjectStore = {
    currentRv: () => rv,
    compactedRv: () => compacted,
    historyStart: (id) => Math.max(windowOf(id).startRv(), compacted),
    window: windowOf,
    get(id, key, atRv) {
      const v = versionAt(data.get(id)?.get(key), atRv ?? rv);
      return v?.obj ? clone(v.obj) : undefined;
    },
    list(id, atRv, prefix, shared = false) {
      const at = atRv ?? rv;
      const out: { key: string; object: KubeObject }[] = [];
      for (const [key, versions] of data.get(id) ?? []) {
        if (prefix && !key.startsWith(prefix)) continue;
        const v = versionAt(versions, at);
        if (v?.obj) out.push({ key, object: shared ? v.obj : clone(v.obj) });
      }
      out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return out;
    },
    eventsSince(id, since) {
      return windowOf(id).since(since).map(clone);
    },
    commit(id, key, obj) {
      rv += 1;
      const versions = bucket(id).get(key) ?? [];
      const prev = versions.length ? (versions[versions.length - 1] as Version).obj : null;
      let stored: KubeObject | null = null;
      let type: StoreEvent['type'];
      let object: KubeObject;
      if (obj) {
        stored = clone(obj);
        stored.metadata = { ...(stored.metadata ?? {}), resourceVersion: String(rv) };
        type = prev ? 'MODIFIED' : 'ADDED';
        object = stored;
      } else {
        if (!prev) throw new Error(`store: delete of missing key ${id} ${key}`);
        type = 'DELETED';
        object = clone(prev);
        object.metadata = { ...(object.metadata ?? {}), resourceVersion: String(rv) };
      }
      versions.push({ rv, obj: stored });
      bucket(id).set(key, versions);
      const event: StoreEvent = { rv, type, resourceId: id, key, object: clone(object) };
      if (prev) event.previous = clone(prev);
      windowOf(id).push(clone(event));
      commitsSinceCompaction++;
      if (retain > 0 && commitsSinceCompaction >= 1000 && rv - retain > compacted) store.compact(rv - retain);
      for (const l of [...listeners]) l(clone(event));
      return clone(event);
    },
    bump(count = 1) {
      rv += Math.max(0, Math.floor(count));
      return rv;
    },
    compact(at = rv) {
      const target = Math.min(at, rv);
      if (target <= compacted) return compacted;
      commitsSinceCompaction = 0;
      for (const b of data.values()) {
        for (const [key, versions] of b) {
          let keepFrom = 0;
          for (let i = 0; i < versions.length; i++) if ((versions[i] as Version).rv <= target) keepFrom = i;
          const kept = versions.slice(keepFrom);
          const first = kept[0];
          if (first && first.obj === null && first.rv <= target) kept.shift();
          if (kept.length) b.set(key, kept);
          else b.delete(key);
        }
      }
      for (const w of windows.values()) w.dropThrough(target);
      compacted = target;
      return compacted;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dropResource(id) {
      data.delete(id);
      windows.delete(id);
      restartedAt.set(id, rv);
    },
  };
  return store;
}
