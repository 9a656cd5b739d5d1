/**
 * `Backend.watch` on Kubernetes (backends spec §1.5, §3.10): one logical server stream, as a
 * cold Observable.
 *
 * - Without a revision it lists first and emits the current objects as ADDED (carrying the list
 *   revision), then watches from that revision; with one it watches from it.
 * - Every event carries the revision of its change; a DELETED event's `previous` carries the
 *   last revision this watch saw of the object (Kubernetes reports only the deletion's).
 * - Filters the server cannot apply exactly (names, labels kept only in Calico's metadata
 *   annotation) are applied here; an object that starts or stops matching becomes ADDED or
 *   DELETED, as on the server.
 * - An in-stream `ERROR` ends the stream (client-node leaves the connection open); 410 Gone and
 *   "too large resource version" become an ERROR event with `Expired`, then completion.
 * - A connection that breaks (reset, refused, silent past the idle timeout) is reopened from the
 *   last revision seen, a few times with backoff; a clean end by the server completes.
 * - Unsubscribing aborts the request; `close()` completes every open watch.
 *
 * @module
 */
import type { Subscriber } from 'rxjs';
import { Observable } from '../../rx.js';
import { ExpiredError, ParseError, UnavailableError, isCalicoError, isExpired, type CalicoError } from '../../errors.js';
import type { BackendEvent, KVPair, ResourceObject, WatchRequest } from '../backend.js';
import { keyText, type K8sContext, type OpenWatch, type QueryPlan, type ResourceView } from './context.js';
import { errorFromStatus, errorFromTransport, isExpiredStatus, type ErrorContext } from './errors.js';
import type { KubeObject, KubeStatus } from './kube-types.js';
import { listAll } from './list.js';
import { isRecord } from '../../model/plain-object.js';

/** HTTP statuses a failed watch request reports through client-node (`statusCode` on the error). */
function httpStatusOf(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function withRevision(pair: KVPair, revision: string): KVPair {
  return { ...pair, revision, value: { ...pair.value, metadata: { ...pair.value.metadata, resourceVersion: revision } } };
}

/** Per-watch state of client-side filtering. */
interface Tracker {
  /** Keys currently inside the selection (only tracked when the client filters labels). */
  readonly inside: Set<string> | undefined;
  /** Last revision emitted per key (for DELETED `previous`). */
  readonly lastRevision: Map<string, string>;
}

/**
 * Turns one served frame into the events to emit.
 *
 * @return The events (possibly none) and the revision the frame moves the watch to.
 */
function frameToEvents(view: ResourceView, plan: QueryPlan, tracker: Tracker, type: string, object: KubeObject): BackendEvent[] {
  const revision = object.metadata?.resourceVersion ?? '';
  let pair: KVPair | undefined;
  try {
    pair = view.convert(object);
  } catch (e) {
    if (e instanceof ParseError) return [{ type: 'ERROR', error: e }];
    throw e;
  }
  if (!pair || !plan.matchesName(pair)) return [];
  const k = keyText(pair.key);
  const matches = !plan.clientLabels || plan.clientLabels.matches(pair.value.metadata.labels);
  const wasInside = tracker.inside ? tracker.inside.has(k) : true;
  const deleted = (): BackendEvent[] => {
    const last = tracker.lastRevision.get(k);
    tracker.lastRevision.delete(k);
    tracker.inside?.delete(k);
    return [{ type: 'DELETED', previous: last ? withRevision(pair, last) : pair, revision }];
  };
  if (type === 'DELETED') return wasInside ? deleted() : [];
  if (!matches) return wasInside && tracker.inside ? deleted() : [];
  const eventType = tracker.inside ? (wasInside ? 'MODIFIED' : 'ADDED') : (type as 'ADDED' | 'MODIFIED');
  tracker.inside?.add(k);
  tracker.lastRevision.set(k, revision);
  return [{ type: eventType, object: pair, revision }];
}

function statusError(status: KubeStatus, ctx: ErrorContext): CalicoError {
  const code = typeof status.code === 'number' ? status.code : 500;
  return errorFromStatus(code, status, ctx);
}

/**
 * Watches one kind.
 *
 * @param ctx Backend context.
 * @param view The kind.
 * @param request Filters, start revision, bookmarks.
 * @return The cold event stream.
 */
export function watchView<T extends ResourceObject>(ctx: K8sContext, view: ResourceView, request: WatchRequest): Observable<BackendEvent<T>> {
  return new Observable<BackendEvent<T>>((subscriber: Subscriber<BackendEvent<T>>) => {
    let finished = false;
    let abortStream: (() => void) | undefined;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** The current stream attempt; callbacks and late answers of older attempts are ignored. */
    let current: object | undefined;
    const errorCtx: ErrorContext = { operation: 'Watch', identifier: { kind: view.kind, ...(request.namespace ? { namespace: request.namespace } : {}), name: request.name ?? '' } };

    const cleanup = (): void => {
      clearTimeout(idleTimer);
      clearTimeout(retryTimer);
      abortStream?.();
      abortStream = undefined;
      ctx.watches.delete(handle);
    };
    const finish = (end: { error?: unknown; event?: BackendEvent }): void => {
      if (finished) return;
      finished = true;
      cleanup();
      if (end.event) subscriber.next(end.event as BackendEvent<T>);
      if (end.error !== undefined) subscriber.error(end.error);
      else subscriber.complete();
    };
    const handle: OpenWatch = { stop: () => finish({}) };
    if (ctx.closed()) {
      subscriber.complete();
      return undefined;
    }
    ctx.watches.add(handle);

    const run = async (): Promise<void> => {
      const plan = await view.plan(request);
      const tracker: Tracker = { inside: plan.clientLabels ? new Set() : undefined, lastRevision: new Map() };
      let revision = request.revision && request.revision !== '0' ? request.revision : undefined;
      if (revision === undefined) {
        const listed = await listAll(ctx, view, plan);
        if (finished) return;
        revision = listed.revision;
        for (const pair of listed.items) {
          const k = keyText(pair.key);
          tracker.inside?.add(k);
          tracker.lastRevision.set(k, pair.revision);
          subscriber.next({ type: 'ADDED', object: pair as KVPair<T>, revision });
          if (finished) return;
        }
      } else if (tracker.inside) {
        // Which objects were inside the selection at the start revision, so that leaving it is seen.
        const seeded = await listAll(ctx, view, plan, { revision, exact: true });
        for (const pair of seeded.items) tracker.inside.add(keyText(pair.key));
      }
      const path = await view.collectionPath(plan.namespace);
      if (finished) return;
      open(path, plan, tracker, revision, 0);
    };

    const open = (path: string, plan: QueryPlan, tracker: Tracker, from: string, failures: number): void => {
      const attempt = {};
      current = attempt;
      let last = from;
      let sawFrame = false;
      const [minT, maxT] = ctx.options.watchTimeoutSeconds;
      const query = {
        resourceVersion: from || undefined,
        allowWatchBookmarks: true,
        fieldSelector: plan.fieldSelector,
        labelSelector: plan.labelSelector,
        timeoutSeconds: Math.floor(minT + Math.random() * Math.max(0, maxT - minT)),
      };
      const armIdle = (): void => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => broken(new UnavailableError(`the watch of ${view.kind} received nothing for ${ctx.options.watchIdleTimeoutMs} ms`)), ctx.options.watchIdleTimeoutMs);
        idleTimer.unref?.();
      };
      const broken = (cause: unknown): void => {
        if (finished || current !== attempt) return;
        abortStream?.();
        abortStream = undefined;
        clearTimeout(idleTimer);
        const failed = sawFrame ? 1 : failures + 1;
        if (failed > ctx.options.watchReconnectAttempts) {
          finish({ error: errorFromTransport(cause, { ...errorCtx, server: ctx.transport.server }) });
          return;
        }
        retryTimer = setTimeout(() => open(path, plan, tracker, last, failed), ctx.options.watchReconnectDelayMs * 2 ** (failed - 1));
      };
      const onEvent = (type: string, object: unknown): void => {
        if (finished || current !== attempt) return;
        sawFrame = true;
        armIdle();
        const obj = (isRecord(object) ? object : {}) as KubeObject;
        if (type === 'ERROR') {
          const status = obj as KubeStatus;
          const code = typeof status.code === 'number' ? status.code : 0;
          finish({ event: { type: 'ERROR', error: isExpiredStatus(code, status) ? new ExpiredError(`the watch revision of ${view.kind} is too old: relist`) : statusError(status, errorCtx) } });
          return;
        }
        if (type === 'BOOKMARK') {
          const rv = obj.metadata?.resourceVersion;
          if (rv) {
            last = rv;
            if (request.allowBookmarks) subscriber.next({ type: 'BOOKMARK', revision: rv });
          }
          return;
        }
        if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
        let events: BackendEvent[];
        try {
          events = frameToEvents(view, plan, tracker, type, obj);
        } catch (e) {
          finish({ error: isCalicoError(e) ? e : errorFromTransport(e, errorCtx) });
          return;
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv) last = rv;
        for (const e of events) {
          if (finished) return;
          subscriber.next(e as BackendEvent<T>);
        }
      };
      const onDone = (err: unknown): void => {
        if (finished || current !== attempt) return;
        if (err === null || err === undefined) {
          finish({});
          return;
        }
        const code = httpStatusOf(err);
        if (code === undefined) {
          broken(err);
          return;
        }
        if (code === 410 || code === 504) {
          finish({ event: { type: 'ERROR', error: new ExpiredError(`the watch revision of ${view.kind} is no longer available (${code}): relist`) } });
          return;
        }
        if (code === 429 || code >= 500) {
          broken(err);
          return;
        }
        finish({ error: errorFromStatus(code, {}, errorCtx) });
      };
      armIdle();
      ctx.transport
        .watch(path, query, { onEvent, onDone })
        .then((abort) => {
          if (finished || current !== attempt) abort();
          else abortStream = abort;
        })
        .catch((e: unknown) => {
          if (current === attempt) finish({ error: errorFromTransport(e, errorCtx) });
        });
    };

    run().catch((e: unknown) => finish(isExpired(e) ? { event: { type: 'ERROR', error: e as CalicoError } } : { error: isCalicoError(e) ? e : errorFromTransport(e, errorCtx) }));
    return () => {
      finished = true;
      cleanup();
    };
  });
}
