/**
 * The per-source engine of the synced cache: Calico's watcher-cache algorithm (backends.md §4.1)
 * for one {@link SyncSource}, as an RxJS pipeline.
 *
 * One cycle is: a full resync (list, diff against the cache, synthesise `deleted` for keys that
 * are gone), then a resumable watch from the list revision. The watch resumes by itself after
 * ends and transient errors; when it reports Expired (or fails `watchFailuresBeforeResync` times
 * in a row) the cycle starts again with a relist, at least `minResyncInterval` after the last.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { catchError, concat, defer, EMPTY, from, ignoreElements, map, of, repeat, takeWhile, throwError, timer } from '../rx.js';
import type { BackendEvent, KVPair, ResourceObject, Revision } from '../backends/backend.js';
import { isExpired, isNotSupported, UnavailableError } from '../errors.js';
import type { SyncStatus } from './events.js';
import { flatMapSync } from './flat-map-sync.js';
import { resumableWatch } from './resumable-watch.js';
import type { ResolvedSyncOptions } from './sync-options.js';
import { keyString, type SyncItem, type SyncSource, type SyncUpdate } from './sync-types.js';

/** The mutable state of one source while its cache runs. */
export interface SourceState<T extends ResourceObject> {
  /** The source. */
  readonly source: SyncSource<T>;
  /** This source's own status (the cache combines them). */
  status: SyncStatus;
  /** Revision of the last list or event; `undefined` when a full resync is needed. */
  revision: Revision | undefined;
  /** This source's objects by {@link keyString}. */
  cache: Map<string, KVPair<T>>;
  /** A list has succeeded at least once. */
  connected: boolean;
  /** The backend cannot watch this source: relist every `pollInterval` instead. */
  polling: boolean;
  /** Scheduler time at which the last list started. */
  lastResyncAt: number | undefined;
  /** Scheduler time of the first list failure since the last success. */
  failingSince: number | undefined;
  /** The connection-loss report of the current outage has been emitted. */
  lossReported: boolean;
}

/**
 * Creates the initial state of a source: waiting for the datastore, empty.
 *
 * @param source The source.
 * @return Its state.
 */
export function createSourceState<T extends ResourceObject>(source: SyncSource<T>): SourceState<T> {
  return {
    source,
    status: 'wait-for-datastore',
    revision: undefined,
    cache: new Map(),
    connected: false,
    polling: false,
    lastResyncAt: undefined,
    failingSince: undefined,
    lossReported: false,
  };
}

type ListAttempt<T extends ResourceObject> = { ok: true; result: { items: KVPair<T>[]; revision: Revision } } | { ok: false; error: unknown };

/**
 * Runs one source: emits its own status changes, its update batches and its non-fatal errors.
 *
 * Every update is applied to `state.cache` and mirrored into `all` before the item carrying it is
 * emitted. The Observable never completes by itself; it errors on a fatal list or watch error.
 *
 * @param state The source's state (mutated).
 * @param all The combined map of every source (mutated).
 * @param options Resolved options.
 * @return The items of this source.
 */
export function runSource<T extends ResourceObject>(state: SourceState<T>, all: Map<string, KVPair<T>>, options: ResolvedSyncOptions): Observable<SyncItem<T>> {
  const { scheduler } = options;
  const kind = state.source.kind;

  const setStatus = (status: SyncStatus): SyncItem<T>[] => {
    if (state.status === status) return [];
    state.status = status;
    return [{ type: 'status', status }];
  };

  const applyList = (result: { items: KVPair<T>[]; revision: Revision }): SyncItem<T>[] => {
    const old = state.cache;
    const next = new Map<string, KVPair<T>>();
    const updates: SyncUpdate<T>[] = [];
    for (const kv of result.items) {
      const k = keyString(kv.key);
      const prev = old.get(k);
      old.delete(k);
      if (prev && prev.revision === kv.revision) {
        next.set(k, prev);
        continue;
      }
      next.set(k, kv);
      all.set(k, kv);
      updates.push(prev ? { type: 'updated', key: kv.key, value: kv.value, revision: kv.revision, previous: prev.value } : { type: 'new', key: kv.key, value: kv.value, revision: kv.revision });
    }
    for (const [k, prev] of old) {
      all.delete(k);
      updates.push({ type: 'deleted', key: prev.key, value: prev.value, revision: result.revision });
    }
    state.cache = next;
    state.revision = result.revision;
    state.connected = true;
    state.failingSince = undefined;
    state.lossReported = false;
    const items: SyncItem<T>[] = state.polling ? [] : setStatus('resync');
    if (updates.length > 0) items.push({ type: 'updates', updates });
    items.push(...setStatus('in-sync'));
    return items;
  };

  const listFailure = (error: unknown): SyncItem<T>[] => {
    const now = scheduler.now();
    state.failingSince ??= now;
    if (state.lossReported || now - state.failingSince < options.connectionLossThreshold) return [];
    state.lossReported = true;
    const seconds = Math.round((now - state.failingSince) / 1000);
    return [{ type: 'error', kind, error: new UnavailableError(`no list of ${kind} has succeeded for ${seconds} s; still retrying`, { cause: error }) }];
  };

  const handleEvent = (event: BackendEvent<T>): SyncItem<T>[] => {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED': {
        state.revision = event.revision;
        const kv = event.object;
        const k = keyString(kv.key);
        const prev = state.cache.get(k);
        if (prev && prev.revision === kv.revision) return [];
        state.cache.set(k, kv);
        all.set(k, kv);
        const update: SyncUpdate<T> = prev
          ? { type: 'updated', key: kv.key, value: kv.value, revision: kv.revision, previous: prev.value }
          : { type: 'new', key: kv.key, value: kv.value, revision: kv.revision };
        return [{ type: 'updates', updates: [update] }];
      }
      case 'DELETED': {
        state.revision = event.revision;
        const k = keyString(event.previous.key);
        if (!state.cache.delete(k)) return [];
        all.delete(k);
        return [{ type: 'updates', updates: [{ type: 'deleted', key: event.previous.key, value: event.previous.value, revision: event.revision }] }];
      }
      case 'BOOKMARK':
        state.revision = event.revision;
        return [];
      case 'ERROR':
        if (isExpired(event.error)) {
          state.revision = undefined;
          return [];
        }
        return [{ type: 'error', kind, error: event.error }];
    }
  };

  const attempt$ = defer(() => state.source.list()).pipe(
    map((result): ListAttempt<T> => ({ ok: true, result })),
    catchError((error: unknown) => (options.isTransient(error) || isExpired(error) ? of<ListAttempt<T>>({ ok: false, error }) : throwError(() => error))),
  );

  const list$ = attempt$.pipe(
    repeat({ delay: () => timer(options.listRetryDelay, scheduler) }),
    takeWhile((attempt) => !attempt.ok, true),
    flatMapSync((attempt: ListAttempt<T>) => (attempt.ok ? applyList(attempt.result) : listFailure(attempt.error))),
  );

  const resync$ = defer(() => {
    const announce = state.connected && !state.polling ? setStatus('resync') : [];
    const wait = state.lastResyncAt === undefined ? 0 : Math.max(0, state.lastResyncAt + options.minResyncInterval - scheduler.now());
    const start$ = defer(() => {
      state.lastResyncAt = scheduler.now();
      return list$;
    });
    return concat(from(announce), wait > 0 ? timer(wait, scheduler).pipe(ignoreElements()) : EMPTY, start$);
  });

  const pollWait$ = defer(() => timer(options.pollInterval, scheduler).pipe(ignoreElements()));

  const watch$ = defer(() => {
    if (state.polling) return pollWait$;
    return resumableWatch<T>((fromRevision) => state.source.watch(fromRevision ?? state.revision ?? ''), {
      revision: state.revision,
      backoff: options.backoff,
      scheduler,
      isTransient: options.isTransient,
      maxFailuresPerRevision: options.watchFailuresBeforeResync,
    }).pipe(
      flatMapSync(handleEvent),
      catchError((error: unknown) => {
        if (!isNotSupported(error)) return throwError(() => error);
        state.polling = true;
        return pollWait$;
      }),
    );
  });

  return concat(resync$, watch$).pipe(repeat());
}
