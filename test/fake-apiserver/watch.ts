/**
 * Watch streams (`?watch=true`): HTTP 200, chunked, one single-line JSON `{"type","object"}`
 * frame per event, flushed per event.
 *
 * - No `resourceVersion` (or `0`): synthetic ADDED frames for the current objects, then changes.
 * - `resourceVersion=N`: the stored events after N, then changes; N older than the watch cache
 *   window (`watch-cache.ts`) → an in-stream `ERROR` frame with a 410 Expired Status
 *   `too old resource version: N (oldest)`, then the stream closes (the real server also
 *   answers 200 here).
 * - `sendInitialEvents=true` (with `resourceVersionMatch=NotOlderThan`): initial ADDED frames,
 *   then a BOOKMARK annotated `k8s.io/initial-events-end: "true"`.
 * - Label and field selectors filter; an object that stops matching is sent as DELETED, one that
 *   starts matching as ADDED.
 * - `allowWatchBookmarks=true`: BOOKMARK frames (object with only `metadata.resourceVersion`).
 * - `timeoutSeconds`: the stream ends cleanly (default: 30–60 minutes, like the server).
 * - `resourceVersion` ahead of the server: it waits for it (`tooLargeResourceVersionWaitMs`), then
 *   answers 200 with an in-stream `ERROR` 504 `Too large resource version` and closes.
 *
 * @module
 */
import type { RequestContext, ServerState } from './context.js';
import { forbidden, notSupported, type FieldErr } from './field-errors.js';
import { parseFieldSelector } from './field-selector.js';
import { parseResourceVersion, queryFlag, queryInt } from './http-util.js';
import { parseLabelSelector } from './label-selector.js';
import { wireObject } from './object-meta.js';
import { apiVersionOf, resourceId } from './resources.js';
import type { StoreEvent } from './store.js';
import { waitForRevision } from './handlers-read.js';
import { failureStatus, invalidListOptions, isApiFailure, type K8sStatus } from './status.js';
import { tableRequest, toTable } from './table.js';
import type { KubeObject, RequestTarget } from './types.js';

function validateWatchOptions(q: URLSearchParams): void {
  const errs: FieldErr[] = [];
  const match = q.get('resourceVersionMatch') ?? '';
  const sendInitial = q.has('sendInitialEvents');
  if (sendInitial && match !== 'NotOlderThan') {
    errs.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (sendInitial && queryFlag(q, 'allowWatchBookmarks') !== true) {
    errs.push(forbidden('allowWatchBookmarks', 'allowWatchBookmarks must be true if sendInitialEvents = true'));
  }
  if (match) {
    if (!sendInitial) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
  }
  if (errs.length) throw invalidListOptions(errs);
}

/** Handles a watch request; the response stays open until the timeout, a fault, or the client leaves. */
export async function handleWatch(state: ServerState, ctx: RequestContext, target: RequestTarget): Promise<void> {
  const def = target.resource;
  const q = ctx.query;
  validateWatchOptions(q);
  const table = tableRequest(ctx);
  const labels = parseLabelSelector(q.get('labelSelector') ?? '');
  const fields = parseFieldSelector(q.get('fieldSelector') ?? '', def);
  const rvParam = q.get('resourceVersion') ?? '';
  const startRv = rvParam ? parseResourceVersion(rvParam) : 0;
  // The watch cache first waits to reach a future revision; if it does not, the stream carries the 504.
  let tooLarge: K8sStatus | undefined;
  if (startRv > state.store.currentRv()) {
    try {
      await waitForRevision(state, startRv);
    } catch (e) {
      if (!isApiFailure(e)) throw e;
      tooLarge = e.k8sStatus;
    }
  }
  const bookmarks = queryFlag(q, 'allowWatchBookmarks') === true;
  const sendInitial = queryFlag(q, 'sendInitialEvents');
  const timeoutSeconds = queryInt(q, 'timeoutSeconds');
  const prefix = def.namespaced && target.namespace ? `${target.namespace}/` : undefined;
  const id = resourceId(def);
  const { res, req } = ctx;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  req.socket.setNoDelay(true);

  let closed = false;
  let lastRv = startRv;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let tableHeaders = true;
  const write = (type: string, object: unknown): void => {
    if (closed || res.destroyed) return;
    let out = object;
    if (table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      const o = object as KubeObject;
      out = toTable(def, table, [o], { resourceVersion: o.metadata?.resourceVersion ?? '' }, tableHeaders);
      tableHeaders = false;
    }
    res.write(`${JSON.stringify({ type, object: out })}\n`);
  };
  const inScope = (o: KubeObject | undefined): boolean =>
    !!o && (!prefix || (o.metadata?.namespace ?? '') === target.namespace) && labels.matches(o.metadata?.labels) && fields.matches(o);

  let remove: () => void = () => undefined;
  const finish = (mode: 'end' | 'reset'): void => {
    if (closed) return;
    closed = true;
    timers.forEach((t) => clearTimeout(t));
    clearInterval(bookmarkTimer);
    remove();
    if (mode === 'reset') res.destroy();
    else res.end();
  };

  const deliver = (e: StoreEvent): void => {
    if (e.rv <= lastRv) return;
    const now = e.type !== 'DELETED' && inScope(e.object);
    const before = inScope(e.previous);
    let type: string | undefined;
    if (e.type === 'DELETED') type = before ? 'DELETED' : undefined;
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    if (!type) return;
    lastRv = Math.max(lastRv, e.rv);
    write(type, wireObject(def, e.object));
  };

  const bookmarkFrame = (extra?: Record<string, string>): unknown => ({
    apiVersion: apiVersionOf(def),
    kind: def.kind,
    metadata: { resourceVersion: String(state.store.currentRv()), ...(extra ? { annotations: extra } : {}) },
  });

  const watchId = state.nextWatchId++;
  const active = {
    id: watchId,
    resource: def,
    ...(target.namespace ? { namespace: target.namespace } : {}),
    deliver,
    bookmark(force: boolean) {
      if (!bookmarks || closed) return;
      const rv = state.store.currentRv();
      if (!force && rv <= lastRv) return;
      lastRv = Math.max(lastRv, rv);
      write('BOOKMARK', bookmarkFrame());
    },
    end: () => finish('end'),
    reset: () => finish('reset'),
    expire(message?: string) {
      write('ERROR', expiredStatus(message ?? `too old resource version: ${lastRv} (${state.store.historyStart(id)})`));
      finish('end');
    },
  };

  let bookmarkTimer: ReturnType<typeof setInterval> | undefined;
  if (tooLarge) {
    write('ERROR', tooLarge);
    finish('end');
    return;
  }
  // The watch cache answers a start older than its window in-stream (sendInitialEvents starts from the current state instead).
  if (rvParam && rvParam !== '0' && !sendInitial && startRv < state.store.historyStart(id)) {
    write('ERROR', expiredStatus(`too old resource version: ${startRv} (${state.store.historyStart(id)})`));
    finish('end');
    return;
  }
  if (!rvParam || rvParam === '0' || sendInitial) {
    const now = state.store.currentRv();
    for (const { object } of state.store.list(id, now, prefix, true)) if (inScope(object)) write('ADDED', wireObject(def, object));
    lastRv = Math.max(lastRv, now);
    if (sendInitial) write('BOOKMARK', bookmarkFrame({ 'k8s.io/initial-events-end': 'true' }));
  } else {
    for (const e of state.store.eventsSince(id, startRv)) deliver(e);
  }
  remove = state.hub.add(active);
  const timeoutMs = timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
  timers.push(setTimeout(() => finish('end'), timeoutMs).unref());
  if (bookmarks) bookmarkTimer = setInterval(() => active.bookmark(false), state.settings.bookmarkIntervalMs).unref();
  res.on('close', () => finish('end'));
}

function expiredStatus(message: string): K8sStatus {
  return failureStatus(410, 'Expired', message);
}
