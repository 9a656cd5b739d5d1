/**
 * `watch` of the memory backend: a cold Observable per subscription that replays the history
 * window (or the current state as ADDED) and then follows live writes.
 *
 * Delivery is asynchronous (a microtask after the write), in revision order, never re-entrant.
 * The event `revision` is the revision of the change; the synthetic ADDED events of a watch
 * without a revision all carry the revision of the snapshot they describe, so resuming from the
 * last of them misses nothing.
 *
 * With a label selector, a change that makes an object start matching is ADDED, one that makes it
 * stop matching is DELETED (with the last matching state as `previous`), as on Kubernetes.
 *
 * @module
 */
import type { Subscriber } from 'rxjs';
import { Observable } from '../../rx.js';
import type { BackendEvent, ResourceObject, WatchRequest } from '../backend.js';
import { ExpiredError, type CalicoError } from '../../errors.js';
import { compileFilter, parseRevision, type EntryFilter } from './filter.js';
import { entryToKVPair } from './list.js';
import type { Change, RevisionStore } from './store.js';

/** One open watch as the backend sees it. */
export interface WatchHandle {
  /** Offers a committed change. */
  onChange(change: Change): void;
  /** Ends the stream (server disconnect or backend close). */
  end(): void;
}

/** The registry of open watches. */
export interface WatchRegistry {
  /** Every open watch. */
  readonly open: Set<WatchHandle>;
  /** Offers a change to every open watch. */
  publish(change: Change): void;
  /** Completes every open watch. */
  endAll(): void;
}

/**
 * Creates an empty registry.
 *
 * @return The registry.
 */
export function createWatchRegistry(): WatchRegistry {
  const open = new Set<WatchHandle>();
  return {
    open,
    publish(change) {
      for (const w of [...open]) w.onChange(change);
    },
    endAll() {
      for (const w of [...open]) w.end();
    },
  };
}

/**
 * Maps one change to the event a watcher with `filter` sees, if any.
 *
 * @param change The change.
 * @param filter The watcher's filter.
 * @return The event, or undefined when the change is invisible to it.
 */
export function changeToEvent<T extends ResourceObject>(change: Change, filter: EntryFilter): BackendEvent<T> | undefined {
  const revision = String(change.revision);
  const prev = change.prev && filter.matches(change.prev) ? change.prev : undefined;
  const next = change.next && filter.matches(change.next) ? change.next : undefined;
  if (next && prev) return { type: 'MODIFIED', object: entryToKVPair<T>(next), previous: entryToKVPair<T>(prev), revision };
  if (next) return { type: 'ADDED', object: entryToKVPair<T>(next), revision };
  if (prev) return { type: 'DELETED', previous: entryToKVPair<T>(prev), revision };
  return undefined;
}

/** What a watch needs from the backend. */
export interface WatchContext {
  /** The store to replay from. */
  readonly store: RevisionStore;
  /** Where the watch registers while open. */
  readonly registry: WatchRegistry;
  /** Returns an error when the stream cannot be opened (closed backend, injected fault). */
  openError(): CalicoError | undefined;
}

/**
 * Creates the cold Observable of one watch request.
 *
 * @param ctx The backend's store, registry and fault check.
 * @param request The caller's request.
 * @return The event stream.
 */
export function createWatch<T extends ResourceObject>(ctx: WatchContext, request: WatchRequest): Observable<BackendEvent<T>> {
  return new Observable<BackendEvent<T>>((subscriber: Subscriber<BackendEvent<T>>) => {
    const failure = ctx.openError();
    if (failure) {
      subscriber.error(failure);
      return undefined;
    }
    let filter: EntryFilter;
    let from: number | undefined;
    try {
      filter = compileFilter(request);
      from = parseRevision(request.revision, 'revision');
    } catch (e) {
      subscriber.error(e);
      return undefined;
    }

    const queue: BackendEvent<T>[] = [];
    let ended = false;
    let scheduled = false;
    const flush = (): void => {
      scheduled = false;
      while (queue.length > 0 && !subscriber.closed) subscriber.next(queue.shift() as BackendEvent<T>);
      if (ended && !subscriber.closed) subscriber.complete();
    };
    const schedule = (): void => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(flush);
    };

    const { store, registry } = ctx;
    if (from === undefined) {
      const revision = String(store.current());
      for (const e of store.snapshot(store.current(), filter.prefix)) {
        if (filter.matches(e)) queue.push({ type: 'ADDED', object: entryToKVPair<T>(e), revision });
      }
    } else if (from < store.floor() || from > store.current()) {
      const why = from < store.floor() ? `has been compacted (oldest available: ${store.floor()})` : `is newer than the datastore (current: ${store.current()})`;
      queue.push({ type: 'ERROR', error: new ExpiredError(`the watch revision ${from} ${why}`) });
      ended = true;
      schedule();
      return undefined;
    } else {
      for (const c of store.changesAfter(from)) {
        const ev = changeToEvent<T>(c, filter);
        if (ev) queue.push(ev);
      }
    }

    const handle: WatchHandle = {
      onChange(change) {
        const ev = changeToEvent<T>(change, filter);
        if (!ev) return;
        queue.push(ev);
        schedule();
      },
      end() {
        registry.open.delete(handle);
        ended = true;
        schedule();
      },
    };
    registry.open.add(handle);
    schedule();
    return () => {
      registry.open.delete(handle);
    };
  });
}
