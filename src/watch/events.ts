/**
 * The client-level vocabulary of watching: {@link WatchEvent}, the mapping from backend events to
 * it, and the {@link SyncStatus} of a synced cache.
 *
 * Backend events ({@link BackendEvent}) carry whole {@link KVPair}s and include BOOKMARK and ERROR
 * events; client events carry the objects themselves and only describe changes.
 *
 * @module
 */
import type { OperatorFunction } from 'rxjs';
import { filter, map } from '../rx.js';
import type { BackendEvent, ResourceObject, Revision } from '../backends/backend.js';

/** What happened to an object. */
export type WatchEventType = 'added' | 'modified' | 'deleted';

/**
 * One change to one object, as a client watch reports it.
 *
 * `revision` is the revision at which the change happened; resume a watch from it. For `deleted`
 * events `object` is the last known state (its `metadata.resourceVersion` is the revision of its
 * last write, which is older than `revision`).
 *
 * ## Example
 * ```ts
 * client.ipPools.watch().subscribe((e) => {
 *   if (e.type === 'deleted') console.log('gone', e.object.metadata.name, 'at', e.revision);
 * });
 * ```
 */
export interface WatchEvent<T extends ResourceObject = ResourceObject> {
  /** `added`, `modified` or `deleted`. */
  type: WatchEventType;
  /** The new state; for `deleted`, the last state before the deletion. */
  object: T;
  /** The prior state of a `modified` object, when the backend knows it (etcd and memory do, Kubernetes does not). */
  previous?: T;
  /** The revision at which the change happened. */
  revision: Revision;
}

/**
 * Where a synced cache stands, in Calico's vocabulary.
 *
 * - `wait-for-datastore`: nothing has been read yet (Calico `WaitForDatastore`).
 * - `resync`: reading a full list; the cache may be incomplete (Calico `ResyncInProgress`).
 * - `in-sync`: the cache reflects the datastore as of its last event (Calico `InSync`).
 */
export type SyncStatus = 'wait-for-datastore' | 'resync' | 'in-sync';

/** Every {@link SyncStatus}, in the order a healthy start goes through them. */
export const SYNC_STATUSES: readonly SyncStatus[] = Object.freeze(['wait-for-datastore', 'resync', 'in-sync']);

/**
 * Maps one backend event to a client event.
 *
 * ADDED, MODIFIED and DELETED become `added`, `modified` and `deleted` (a DELETED event's
 * `previous` becomes the `object`). BOOKMARK events carry no change and map to `undefined`.
 * An ERROR event throws the error it carries, so inside `map` it errors the stream with the typed
 * error (an `ExpiredError` when the revision is gone, a `ParseError` for a value that does not
 * decode).
 *
 * ## Example
 * ```ts
 * backend.watch<IPPool>({ kind: 'IPPool' }).pipe(
 *   map(toWatchEvent),
 *   filter((e): e is WatchEvent<IPPool> => e !== undefined),
 * );
 * ```
 *
 * @param event The backend event.
 * @return The client event, or `undefined` for a bookmark.
 * @throws CalicoError the error of an ERROR event.
 */
export function toWatchEvent<T extends ResourceObject>(event: BackendEvent<T>): WatchEvent<T> | undefined {
  switch (event.type) {
    case 'ADDED':
      return { type: 'added', object: event.object.value, revision: event.revision };
    case 'MODIFIED':
      return event.previous
        ? { type: 'modified', object: event.object.value, previous: event.previous.value, revision: event.revision }
        : { type: 'modified', object: event.object.value, revision: event.revision };
    case 'DELETED':
      return { type: 'deleted', object: event.previous.value, revision: event.revision };
    case 'BOOKMARK':
      return undefined;
    case 'ERROR':
      throw event.error;
  }
}

/**
 * An operator form of {@link toWatchEvent}: drops bookmarks and errors the stream with the error
 * of the first ERROR event.
 *
 * ## Example
 * ```ts
 * const events$ = resumableWatch((rev) => backend.watch({ kind: 'IPPool', revision: rev })).pipe(toWatchEvents());
 * ```
 *
 * @return The operator.
 */
export function toWatchEvents<T extends ResourceObject>(): OperatorFunction<BackendEvent<T>, WatchEvent<T>> {
  return (source) =>
    source.pipe(
      map((event: BackendEvent<T>) => toWatchEvent(event)),
      filter((event): event is WatchEvent<T> => event !== undefined),
    );
}
