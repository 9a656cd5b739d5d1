/**
 * `syncedCache`: Calico's watcher-syncer (backends.md §4) as a shared RxJS stream with a
 * current-state map.
 *
 * @module
 */
import { concat, defer, distinctUntilChanged, EMPTY, filter, finalize, from, map, merge, share, startWith, Subject, takeUntil, timer } from '../rx.js';
import type { KVPair, ResourceObject } from '../backends/backend.js';
import { ValidationError } from '../errors.js';
import type { SyncStatus } from './events.js';
import { flatMapSync } from './flat-map-sync.js';
import { createSourceState, runSource, type SourceState } from './source-cache.js';
import { resolveSyncOptions } from './sync-options.js';
import { keyString, type SyncedCache, type SyncedCacheOptions, type SyncItem, type SyncSource, type SyncUpdate } from './sync-types.js';

export type { SyncedCache, SyncedCacheOptions, SyncItem, SyncSource, SyncUpdate, SyncUpdateType } from './sync-types.js';
export { keyString } from './sync-types.js';

/** One running instance of a cache: exists from the first subscription until teardown. */
interface Run<T extends ResourceObject> {
  readonly states: SourceState<T>[];
  readonly all: Map<string, KVPair<T>>;
  readonly stop$: Subject<void>;
  status: SyncStatus;
  stopped: boolean;
}

const EMPTY_MAP: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * Combines per-source statuses as Calico's syncer does: `in-sync` when every source is,
 * `wait-for-datastore` when every source still waits, `resync` otherwise.
 *
 * @param statuses One status per source.
 * @return The combined status.
 */
export function combineStatuses(statuses: readonly SyncStatus[]): SyncStatus {
  if (statuses.every((s) => s === 'in-sync')) return 'in-sync';
  if (statuses.every((s) => s === 'wait-for-datastore')) return 'wait-for-datastore';
  return 'resync';
}

function snapshotOf<T extends ResourceObject>(run: Run<T>): SyncItem<T>[] {
  const updates: SyncUpdate<T>[] = [];
  for (const kv of run.all.values()) updates.push({ type: 'new', key: kv.key, value: kv.value, revision: kv.revision });
  const items: SyncItem<T>[] = updates.length > 0 ? [{ type: 'updates', updates }] : [];
  items.push({ type: 'status', status: run.status });
  return items;
}

function deletesOf<T extends ResourceObject>(run: Run<T>): SyncItem<T>[] {
  const updates: SyncUpdate<T>[] = [];
  for (const state of run.states) {
    for (const kv of state.cache.values()) {
      updates.push({ type: 'deleted', key: kv.key, value: kv.value, revision: state.revision ?? kv.revision });
    }
  }
  return updates.length > 0 ? [{ type: 'updates', updates }] : [];
}

/**
 * Keeps an in-memory copy of one or more kinds in step with the datastore, the way Calico's
 * syncer does, and reports what changed.
 *
 * For each source it lists, emits `new`/`updated`/`deleted` updates against what it already
 * holds (nothing for an object whose revision is unchanged), announces `in-sync`, then watches
 * from the list revision. A watch that ends or fails transiently is resumed from the last
 * revision without a relist; a watch whose revision is gone (Expired) triggers an immediate
 * relist, whose diff synthesises `deleted` for objects removed in the meantime. Lists that fail
 * are retried every `listRetryDelay`; relists are at least `minResyncInterval` apart.
 *
 * Statuses go `wait-for-datastore` → `resync` → `in-sync` on a healthy start, with every `new`
 * update of the initial lists delivered before `in-sync`; with several sources the status is
 * `in-sync` only when all are.
 *
 * The result is cold and shared: the first subscriber starts the lists and watches, later ones
 * share them (and first receive a snapshot of what is cached), and when the last one
 * unsubscribes (after `keepAlive`, default at once) every watch is closed and the cache is
 * emptied. Fatal errors (for example Unauthorized) error the streams; a new subscription starts
 * afresh.
 *
 * ## Example
 * ```ts
 * const cache = syncedCache<IPPool | NetworkPolicy>([client.ipPools.syncSource(), client.networkPolicies.syncSource({ namespace: 'shop' })]);
 * const sub = cache.events$.subscribe((item) => {
 *   if (item.type === 'updates') for (const u of item.updates) console.log(u.type, keyString(u.key));
 *   if (item.type === 'status' && item.status === 'in-sync') console.log(cache.current().size, 'objects');
 * });
 * // later
 * sub.unsubscribe();
 * ```
 *
 * @param sources One source or several (each usually one kind; their keys must not overlap).
 * @param options See {@link SyncedCacheOptions}.
 * @return The cache; see {@link SyncedCache}.
 * @throws ValidationError (synchronously) for an empty source list or out-of-range options.
 */
export function syncedCache<T extends ResourceObject = ResourceObject>(
  sources: SyncSource<T> | readonly SyncSource<T>[],
  options: SyncedCacheOptions = {},
): SyncedCache<T> {
  const list: readonly SyncSource<T>[] = Array.isArray(sources) ? [...(sources as readonly SyncSource<T>[])] : [sources as SyncSource<T>];
  if (list.length === 0) throw new ValidationError([{ path: 'sources', type: 'required', message: 'at least one source is required' }]);
  const resolved = resolveSyncOptions(options);
  let run: Run<T> | undefined;

  const shared$ = defer(() => {
    const r: Run<T> = { states: list.map((s) => createSourceState(s)), all: new Map(), stop$: new Subject<void>(), status: 'wait-for-datastore', stopped: false };
    run = r;
    // Each source's status as announced so far: items are emitted after the source state has
    // moved on, so the combination must follow the announcements, not the live state.
    const announced: SyncStatus[] = r.states.map(() => 'wait-for-datastore');
    // A source's status item becomes a combined status item, or nothing when the combination is unchanged.
    const combine = (index: number, item: SyncItem<T>): SyncItem<T>[] => {
      if (item.type !== 'status') return [item];
      announced[index] = item.status;
      const status = combineStatuses(announced);
      if (status === r.status) return [];
      r.status = status;
      return [{ type: 'status', status }];
    };
    const main$ = merge(...r.states.map((state, index) => runSource(state, r.all, resolved).pipe(flatMapSync((item: SyncItem<T>) => combine(index, item))))).pipe(
      startWith<SyncItem<T>>({ type: 'status', status: 'wait-for-datastore' }),
      takeUntil(r.stop$),
    );
    const final$ = defer(() => (r.stopped && resolved.emitDeletesOnStop ? from(deletesOf(r)) : EMPTY));
    return concat(main$, final$).pipe(
      finalize(() => {
        if (run === r) run = undefined;
      }),
    );
  }).pipe(share({ resetOnRefCountZero: resolved.keepAlive > 0 ? () => timer(resolved.keepAlive, resolved.scheduler) : true }));

  const events$ = defer(() => {
    const r = run;
    return r ? concat(from(snapshotOf(r)), shared$) : shared$;
  });
  const status$ = events$.pipe(
    filter((item): item is Extract<SyncItem<T>, { type: 'status' }> => item.type === 'status'),
    map((item) => item.status),
    distinctUntilChanged(),
  );

  return {
    events$,
    updates$: events$.pipe(
      filter((item): item is Extract<SyncItem<T>, { type: 'updates' }> => item.type === 'updates'),
      map((item) => item.updates),
    ),
    status$,
    inSync$: status$.pipe(
      map((s) => s === 'in-sync'),
      distinctUntilChanged(),
    ),
    current: () => run?.all ?? EMPTY_MAP,
    get: (key) => run?.all.get(keyString(key)),
    status: () => run?.status ?? 'wait-for-datastore',
    stop() {
      const r = run;
      if (!r || r.stopped) return;
      r.stopped = true;
      r.stop$.next();
    },
  };
}
