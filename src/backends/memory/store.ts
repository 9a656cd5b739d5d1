/**
 * The revisioned store behind the memory backend: a live map, one global revision counter and a
 * contiguous history of the last changes, from which past states are rebuilt and watches replay.
 *
 * Revisions work as in etcd: a fresh store is at revision 1, every write adds one, and the
 * revision of a stored object is the revision of the write that last touched it.
 *
 * @module
 */
import type { ResourceKey } from '../backend.js';
import type { StoredValue } from './stored-value.js';

/** One stored object. Immutable; replaced as a whole on every write. */
export interface Entry {
  /** Normalised resource key. */
  readonly key: ResourceKey;
  /** etcd-shaped storage key. */
  readonly storageKey: string;
  /** Frozen value without `resourceVersion`. */
  readonly value: StoredValue;
  /** Revision of the write that produced this state. */
  readonly modRevision: number;
  /** Revision of the write that created the object. */
  readonly createRevision: number;
}

/** One write: the state of one key before and after. */
export interface Change {
  /** Revision of this write. */
  readonly revision: number;
  /** Storage key written. */
  readonly storageKey: string;
  /** State before; absent for a create. */
  readonly prev?: Entry;
  /** State after; absent for a delete. */
  readonly next?: Entry;
}

/** The store's operations. Everything is synchronous: one call is one atomic step. */
export interface RevisionStore {
  /** Current revision (1 on a fresh store). */
  current(): number;
  /** Oldest revision that can still be read or watched from. */
  floor(): number;
  /** The live state of a key. */
  live(storageKey: string): Entry | undefined;
  /** The state of a key at a revision in `[floor(), current()]`. */
  at(storageKey: string, revision: number): Entry | undefined;
  /** Every object whose storage key starts with `prefix`, at a revision in `[floor(), current()]`, in storage-key order. */
  snapshot(revision: number, prefix?: string): Entry[];
  /** Changes with revision strictly greater than `revision` (which must be ≥ `floor()`), oldest first. */
  changesAfter(revision: number): readonly Change[];
  /** Writes (`value` given) or deletes (`value` undefined) a key; returns the change. */
  write(key: ResourceKey, storageKey: string, value: StoredValue | undefined): Change;
  /** Makes revisions before `revision` unreadable. */
  compact(revision: number): void;
  /** Every live storage key, sorted. */
  keys(): readonly string[];
}

/**
 * Creates an empty store.
 *
 * @param historyWindow How many recent revisions stay readable.
 * @return The store.
 */
export function createRevisionStore(historyWindow: number): RevisionStore {
  const liveMap = new Map<string, Entry>();
  // history[i].revision === history[0].revision + i: every write is exactly one revision.
  let history: Change[] = [];
  let revision = 1;
  let compactedTo = 1;
  // Every live storage key, kept sorted by binary insertion so lists never re-sort.
  const sortedKeys: string[] = [];

  const lowerBound = (k: string): number => {
    let lo = 0;
    let hi = sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sortedKeys[mid] as string) < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const liveRange = (prefix: string): Entry[] => {
    const out: Entry[] = [];
    for (let i = lowerBound(prefix); i < sortedKeys.length && (sortedKeys[i] as string).startsWith(prefix); i++) {
      out.push(liveMap.get(sortedKeys[i] as string) as Entry);
    }
    return out;
  };

  const floor = (): number => Math.max(compactedTo, revision - historyWindow, 1);

  const trim = (): void => {
    const f = floor();
    let drop = 0;
    while (drop < history.length && (history[drop] as Change).revision <= f) drop++;
    if (drop > 0) history = history.slice(drop);
  };

  const changesAfter = (rev: number): readonly Change[] => {
    const first = history[0];
    if (!first) return [];
    const start = Math.max(0, rev + 1 - first.revision);
    return history.slice(start);
  };

  return {
    current: () => revision,
    floor,
    live: (storageKey) => liveMap.get(storageKey),
    at(storageKey, rev) {
      for (const c of changesAfter(rev)) if (c.storageKey === storageKey) return c.prev;
      return liveMap.get(storageKey);
    },
    snapshot(rev, prefix = '') {
      const current = liveRange(prefix);
      if (rev >= revision) return current;
      const state = new Map(current.map((e) => [e.storageKey, e]));
      const later = changesAfter(rev);
      for (let i = later.length - 1; i >= 0; i--) {
        const c = later[i] as Change;
        if (!c.storageKey.startsWith(prefix)) continue;
        if (c.prev) state.set(c.storageKey, c.prev);
        else state.delete(c.storageKey);
      }
      return [...state.keys()].sort().map((k) => state.get(k) as Entry);
    },
    changesAfter,
    write(key, storageKey, value) {
      const prev = liveMap.get(storageKey);
      revision += 1;
      let next: Entry | undefined;
      if (value === undefined) {
        if (prev) {
          liveMap.delete(storageKey);
          sortedKeys.splice(lowerBound(storageKey), 1);
        }
      } else {
        next = Object.freeze({ key, storageKey, value, modRevision: revision, createRevision: prev?.createRevision ?? revision });
        if (!prev) sortedKeys.splice(lowerBound(storageKey), 0, storageKey);
        liveMap.set(storageKey, next);
      }
      const change: Change = Object.freeze({ revision, storageKey, ...(prev ? { prev } : {}), ...(next ? { next } : {}) });
      history.push(change);
      trim();
      return change;
    },
    compact(rev) {
      compactedTo = Math.max(compactedTo, Math.min(rev, revision));
      trim();
    },
    keys: () => sortedKeys,
  };
}
