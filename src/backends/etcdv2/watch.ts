/**
 * `watch` of the etcd backend: a cold Observable over one etcd3 watcher that owns its resume point.
 *
 * - Without a revision it first lists (paged, pinned) and emits every item as ADDED carrying the
 *   list revision, then watches from that revision + 1; with revision R it watches from R + 1.
 * - Each event carries the revision of its change (`kv.mod_revision`; for deletes, the delete).
 * - The backend remembers the first revision not yet delivered. When the stream breaks, etcd3's
 *   watch manager re-establishes it (paced by the backend's `watchBackoff`) and re-attaches the
 *   watcher; the backend sets the watcher's start revision to its own resume point first, so a
 *   reconnect neither loses nor repeats events (etcd3's own resume point is the last *header*
 *   revision, which can skip events while a backlog replays). Progress notifications advance the
 *   point on idle watches. This is the only reconnect loop of an etcd watch (docs/watching.md).
 * - A compacted start revision (etcd cancels the watcher) becomes an ERROR `Expired` event and the
 *   stream completes; a future revision does too. A watch the credentials do not allow errors with
 *   Unauthorized (the stream cannot be opened). A value that does not decode becomes an ERROR
 *   `Parse` event naming the key, and the stream goes on.
 * - With a label selector, a change that makes an object start matching is ADDED and one that makes
 *   it stop matching is DELETED (previous = last matching state), as on Kubernetes and in memory.
 * - Every etcd3 listener is wrapped: nothing thrown in a handler can reach etcd3's re-throw.
 *
 * @module
 */
import type { Subscriber } from 'rxjs';
import { Observable } from '../../rx.js';
import type { IEvent, IWatchResponse, Watcher } from 'etcd3';
import type { BackendEvent, KVPair, ResourceKey, ResourceObject, WatchRequest } from '../backend.js';
import { ExpiredError, ParseError, UnavailableError, isUnauthorized, type CalicoError } from '../../errors.js';
import { decodeValue } from './codec.js';
import { parseRevision, type EtcdContext, type OpenWatch } from './context.js';
import { isAuthFailure, mapEtcdError } from './errors.js';
import { parseEtcdKey, scanPlan, type ScanPlan } from './keys.js';
import { compileItemFilter, prefixEnd, readPage, type ItemFilter } from './list.js';

function decodeOrError<T extends ResourceObject>(plan: ScanPlan, key: ResourceKey, kv: IEvent['kv'], rawKey: string): KVPair<T> | ParseError {
  try {
    return decodeValue<T>(plan.kind, rawKey, key, kv.value, kv.mod_revision);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
}

/** True when a deleted key could belong to the request's name filters (its value is unknown). */
function keyMayMatch(plan: ScanPlan, rawKey: string): boolean {
  const key = parseEtcdKey(plan.kind, rawKey);
  if (!key) return false;
  const want = plan.nameEquals ?? plan.nameStartsWith;
  if (want === undefined) return true;
  const names = [key.name, key.name.startsWith('default.') ? key.name.slice('default.'.length) : key.name];
  return names.some((n) => (plan.nameEquals !== undefined ? n === want : n.startsWith(want)));
}

/**
 * Maps one etcd event to what a watcher with `filter` sees.
 *
 * @param plan The scan plan (kind, name filters).
 * @param filter The compiled filters.
 * @param ev The etcd event.
 * @return The event, or undefined when it is invisible to this watcher.
 */
export function toBackendEvent<T extends ResourceObject>(plan: ScanPlan, filter: ItemFilter, ev: IEvent): BackendEvent<T> | undefined {
  const rawKey = ev.kv.key.toString('utf8');
  const key = parseEtcdKey(plan.kind, rawKey);
  if (!key) return undefined;
  const revision = ev.kv.mod_revision;
  const prev = ev.prev_kv ? decodeOrError<T>(plan, { ...key }, ev.prev_kv, rawKey) : undefined;
  const previous = prev instanceof ParseError ? undefined : prev;
  const prevMatches = previous !== undefined && filter.matches(previous);
  if (ev.type === 'Delete') {
    if (prev instanceof ParseError) return keyMayMatch(plan, rawKey) ? { type: 'ERROR', error: prev } : undefined;
    if (!previous) {
      if (!keyMayMatch(plan, rawKey)) return undefined;
      return { type: 'ERROR', error: new ParseError(rawKey, { reason: 'the deleted value is no longer available (compacted)' }) };
    }
    return prevMatches ? { type: 'DELETED', previous, revision } : undefined;
  }
  const next = decodeOrError<T>(plan, key, ev.kv, rawKey);
  if (next instanceof ParseError) return { type: 'ERROR', error: next };
  const matches = filter.matches(next);
  if (ev.kv.create_revision === revision) return matches ? { type: 'ADDED', object: next, revision } : undefined;
  if (matches) {
    if (previous && !prevMatches) return { type: 'ADDED', object: next, revision };
    return previous ? { type: 'MODIFIED', object: next, previous, revision } : { type: 'MODIFIED', object: next, revision };
  }
  return prevMatches && previous ? { type: 'DELETED', previous, revision } : undefined;
}

function cancelReasonToError(err: unknown): CalicoError {
  const text = err instanceof Error ? err.message : String(err);
  if (isAuthFailure(err)) return mapEtcdError(err, { operation: 'Watch' });
  // etcd cancels a watcher whose start revision was compacted with an empty reason; etcd3 does not
  // pass on the compact revision, so an empty reason (or one that says so) means Expired.
  const reason = text.replace(/^.*Watcher canceled:\s*/s, '').trim();
  if (reason === '' || /compact|future revision/i.test(reason)) return new ExpiredError('the watch revision has been compacted: relist and watch again');
  return new UnavailableError(`etcd cancelled the watch: ${reason.slice(0, 200)}`);
}

/**
 * Creates the cold Observable of one watch request.
 *
 * @param ctx Backend context.
 * @param request Filters and optional start revision.
 * @return The event stream.
 */
export function watchResources<T extends ResourceObject>(ctx: EtcdContext, request: WatchRequest): Observable<BackendEvent<T>> {
  return new Observable<BackendEvent<T>>((sub: Subscriber<BackendEvent<T>>) => {
    let plan: ScanPlan;
    let filter: ItemFilter;
    let from: bigint | undefined;
    try {
      plan = scanPlan(request);
      filter = compileItemFilter(plan, request.labelSelector);
      from = parseRevision(request.revision, 'revision');
    } catch (e) {
      sub.error(e);
      return undefined;
    }
    if (ctx.timing.closed()) {
      sub.error(new UnavailableError('the etcd backend is closed'));
      return undefined;
    }

    let stopped = false;
    let current: Watcher | undefined;
    /** First revision not yet delivered. */
    let next = 0n;
    const rangeStart = Buffer.from(plan.key);
    const range = plan.prefix ? { start: rangeStart, end: prefixEnd(rangeStart) } : undefined;

    const cancel = (w: Watcher | undefined): Promise<void> => {
      if (!w) return Promise.resolve();
      w.removeAllListeners('data');
      // etcd3's cancel can wait for an answer that never comes once the stream is gone: bound it.
      return Promise.race([w.cancel().catch(() => undefined), new Promise<void>((r) => setTimeout(r, 1000).unref())]);
    };
    const stop = (): Promise<void> => {
      stopped = true;
      const w = current;
      current = undefined;
      ctx.watches.delete(handle);
      return cancel(w);
    };
    const handle: OpenWatch = {
      async stop() {
        await stop();
        if (!sub.closed) sub.complete();
      },
    };
    const finish = (event: BackendEvent<T> | undefined, error?: unknown): void => {
      if (stopped) return;
      void stop();
      if (event) sub.next(event);
      if (error !== undefined) sub.error(error);
      else sub.complete();
    };

    const open = (): void => {
      if (stopped) return;
      const builder = ctx.client.watch();
      if (range) builder.inRange(range);
      else builder.key(rangeStart);
      const w = builder.startRevision(next.toString()).withPreviousKV().watcher();
      current = w;
      // Attach 'error' first: without a listener a cancel would be an unhandled 'error' event.
      w.on('error', (err: unknown) => {
        try {
          if (current !== w) return;
          const error = cancelReasonToError(err);
          // Refused credentials mean the stream cannot be opened at all: fail the subscription.
          if (isUnauthorized(error)) finish(undefined, error);
          else finish({ type: 'ERROR', error });
        } catch (e) {
          finish(undefined, e);
        }
      });
      w.on('data', (res: IWatchResponse) => {
        try {
          if (current !== w || stopped) return;
          const events = res.events;
          const lastEvent = events[events.length - 1];
          if (lastEvent) {
            // Events come in revision order: only a response that starts below the resume point
            // (a replay after a reconnect) needs per-event filtering.
            const last = BigInt(lastEvent.kv.mod_revision);
            if (last < next) return;
            const replayed = BigInt((events[0] as IEvent).kv.mod_revision) < next;
            const floor = next;
            next = last + 1n;
            for (const ev of events) {
              if (replayed && BigInt(ev.kv.mod_revision) < floor) continue; // delivered before a reconnect
              const out = toBackendEvent<T>(plan, filter, ev);
              if (out) sub.next(out);
              if (stopped) return;
            }
          } else {
            // A progress notification: every change up to the header revision has been sent.
            const progressed = BigInt(res.header.revision) + 1n;
            if (progressed > next) next = progressed;
          }
        } catch (e) {
          finish(undefined, e);
        }
      });
      w.on('disconnected', () => {
        // etcd3 re-attaches this watcher once the stream is back: from our resume point, not its own.
        if (current === w && !stopped) w.request.start_revision = next.toString();
      });
    };

    const start = async (): Promise<void> => {
      if (from === undefined) {
        // Current state first, page by page at one revision, then changes after it.
        let start: Buffer = rangeStart;
        const end = range ? range.end : Buffer.concat([rangeStart, Buffer.from([0])]);
        let pinned: bigint | undefined;
        for (;;) {
          const page = await readPage(ctx, start, end, ctx.config.pageSize, pinned, 'Watch');
          pinned = page.revision;
          if (stopped) return;
          const revision = pinned.toString();
          for (const kv of page.kvs) {
            const rawKey = kv.key.toString('utf8');
            const key = parseEtcdKey(plan.kind, rawKey);
            if (!key) continue;
            const pair = decodeOrError<T>(plan, key, kv, rawKey);
            if (pair instanceof ParseError) sub.next({ type: 'ERROR', error: pair });
            else if (filter.matches(pair)) sub.next({ type: 'ADDED', object: pair, revision });
            if (stopped) return;
          }
          const last = page.kvs[page.kvs.length - 1];
          if (!page.more || !last) break;
          start = Buffer.concat([last.key, Buffer.from([0])]);
        }
        next = pinned + 1n;
      } else {
        // etcd waits silently on a future revision; report it like a compacted one.
        const head = await readPage(ctx, rangeStart, range ? range.end : Buffer.concat([rangeStart, Buffer.from([0])]), 1, undefined, 'Watch');
        if (from > head.revision) {
          finish({ type: 'ERROR', error: new ExpiredError(`the watch revision ${from} is newer than the datastore (current: ${head.revision})`) });
          return;
        }
        next = from + 1n;
      }
      open();
    };

    ctx.watches.add(handle);
    start().catch((e: unknown) => {
      if (stopped) return;
      const error = mapEtcdError(e, { operation: 'Watch', connection: ctx.timing.connection });
      if (error instanceof ExpiredError) finish({ type: 'ERROR', error });
      else finish(undefined, error);
    });
    return () => {
      void stop();
    };
  });
}
