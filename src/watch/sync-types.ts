/**
 * Public types of the synced cache: its sources, the items it emits and the cache object itself.
 *
 * @module
 */
import type { Observable, SchedulerLike } from 'rxjs';
import type { BackendEvent, KVPair, ResourceKey, ResourceObject, Revision } from '../backends/backend.js';
import { formatIdentifier, type CalicoError } from '../errors.js';
import type { SyncStatus } from './events.js';
import type { BackoffOptions } from './retry-policy.js';

/**
 * What a synced cache reads: one kind (optionally filtered), as a full list plus a watch from
 * the list's revision. The client builds these with read-defaulting applied
 * (`client.ipPools.syncSource()`); {@link sourceFromBackend} builds one straight from a backend.
 */
export interface SyncSource<T extends ResourceObject = ResourceObject> {
  /** The kind, for status reporting and messages. */
  readonly kind: string;
  /**
   * Reads every matching object and the revision the result is consistent with.
   *
   * @return The items and the list revision.
   */
  list(): Promise<{ items: KVPair<T>[]; revision: Revision }>;
  /**
   * Opens one server stream of changes strictly after `revision`.
   *
   * @param revision The revision of the last list or event.
   * @return A cold Observable of backend events.
   */
  watch(revision: Revision): Observable<BackendEvent<T>>;
}

/** Calico's update types: a key appeared, changed, or disappeared. */
export type SyncUpdateType = 'new' | 'updated' | 'deleted';

/**
 * One change to the cache.
 *
 * - `new`: the key was not cached; `value` and `revision` are the object's.
 * - `updated`: the cached revision differed; `previous` is the value it replaced.
 * - `deleted`: the key left the cache; `value` is its last known state and `revision` the revision
 *   of the deletion (for a deletion discovered by a relist, the list's revision).
 */
export interface SyncUpdate<T extends ResourceObject = ResourceObject> {
  /** `new`, `updated` or `deleted`. */
  type: SyncUpdateType;
  /** Storage identity. */
  key: ResourceKey;
  /** The object (for `deleted`: the last known state). */
  value: T;
  /** The object's revision (for `deleted`: the revision of the deletion). */
  revision: Revision;
  /** For `updated`: the value this one replaced. */
  previous?: T;
}

/**
 * One item of a synced cache stream.
 *
 * - `status`: the combined status changed (see {@link SyncStatus}).
 * - `updates`: a batch of changes, already applied to `current()` when it is delivered.
 * - `error`: a problem that does not stop the cache: a stored value that does not decode
 *   (`ParseError`; the object's last good state stays cached), or a report that a source's
 *   datastore has not answered for `connectionLossThreshold` (`UnavailableError`).
 */
export type SyncItem<T extends ResourceObject = ResourceObject> =
  | { type: 'status'; status: SyncStatus }
  | { type: 'updates'; updates: SyncUpdate<T>[] }
  | { type: 'error'; kind: string; error: CalicoError };

/** Options of `syncedCache`. Timers default to Calico's. */
export interface SyncedCacheOptions {
  /**
   * Minimum time between the starts of two full resyncs of one source, in milliseconds.
   * @default 500
   */
  minResyncInterval?: number;
  /**
   * Delay before retrying a failed list, in milliseconds.
   * @default 1000
   */
  listRetryDelay?: number;
  /**
   * Relist period of a source whose backend cannot watch (the watch fails with NotSupported);
   * the status stays `in-sync` between polls.
   * @default 5000
   */
  pollInterval?: number;
  /**
   * After lists of a source have failed for this long without a success, emit one `error` item
   * (an `UnavailableError` whose `cause` is the last failure). Retrying continues.
   * @default 600000
   */
  connectionLossThreshold?: number;
  /**
   * Consecutive transient watch failures at one revision after which the source relists.
   * @default 5
   */
  watchFailuresBeforeResync?: number;
  /**
   * Backoff between watch streams of one source (see `resumableWatch`).
   * @default { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 'full' }
   */
  backoff?: BackoffOptions;
  /**
   * When {@link SyncedCache.stop} is called, emit a `deleted` update for every cached key before
   * completing (Calico does this when a syncer stops).
   * @default false
   */
  emitDeletesOnStop?: boolean;
  /**
   * How long the lists and watches keep running after the last subscriber leaves, in
   * milliseconds. A subscriber that arrives within this time joins the running cache (snapshot
   * first) instead of causing a new list. 0 stops at once.
   * @default 0
   */
  keepAlive?: number;
  /**
   * Decides whether a list or watch error is worth retrying; others error the cache stream.
   * @default isTransientError
   */
  isTransient?: (error: unknown) => boolean;
  /**
   * Scheduler of every timer (inject a `TestScheduler` in tests).
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

/**
 * A list + watch cache of one or more sources, shared by all its subscribers.
 *
 * Nothing runs until something subscribes to {@link SyncedCache.events$} (or a stream derived
 * from it). All subscribers share one list and one watch per source; when the last one
 * unsubscribes the watches are closed and the cache is emptied. A subscriber that joins a running
 * cache first receives a snapshot: one `updates` item with a `new` update per cached object, then
 * the current status.
 */
export interface SyncedCache<T extends ResourceObject = ResourceObject> {
  /** Every item: statuses, update batches and non-fatal errors. Errors with a fatal list or watch error. */
  readonly events$: Observable<SyncItem<T>>;
  /** Only the update batches of {@link events$}. */
  readonly updates$: Observable<SyncUpdate<T>[]>;
  /** The combined status, without repeats. */
  readonly status$: Observable<SyncStatus>;
  /** `true` while the combined status is `in-sync`, without repeats. */
  readonly inSync$: Observable<boolean>;
  /**
   * The cached objects of every source, keyed by {@link keyString}. A live read-only view, updated
   * in place before each `updates` item is delivered: copy it to keep a stable picture. Empty when
   * the cache is not running.
   *
   * @return The view.
   */
  current(): ReadonlyMap<string, KVPair<T>>;
  /**
   * Looks one object up in {@link current}.
   *
   * @param key The storage key.
   * @return The cached pair, or `undefined`.
   */
  get(key: ResourceKey): KVPair<T> | undefined;
  /**
   * The combined status now (`wait-for-datastore` when the cache is not running).
   *
   * @return The status.
   */
  status(): SyncStatus;
  /**
   * Ends the running cache for every subscriber: closes the watches, emits `deleted` for every
   * cached key when `emitDeletesOnStop` is set, and completes the streams. A later subscription
   * starts afresh with a new list. Does nothing when the cache is not running.
   */
  stop(): void;
}

/**
 * The key of an object in {@link SyncedCache.current}: `Kind(name)` or `Kind(namespace/name)`,
 * as Calico prints identifiers.
 *
 * @param key The storage key.
 * @return The map key.
 */
export function keyString(key: ResourceKey): string {
  return formatIdentifier(key);
}
