/**
 * HTTP handlers for get and list, with the server's resourceVersion semantics:
 *
 * - get: `resourceVersion` unset or `0` → latest; `N` → not older than N (wait, then 504
 *   `Too large resource version`).
 * - list: unset → latest, paged by `limit`/`continue`; `0` → any (the watch-cache path ignores
 *   `limit`); `N` + `NotOlderThan` → latest once N is reached; `N` + `Exact` → the state at N
 *   (410 when compacted). Continue tokens read the first page's revision; an expired one is a 410
 *   carrying an "inconsistent" token that continues at the latest revision.
 *
 * @module
 */
import type { RequestContext, ServerState } from './context.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { forbidden, notSupported, type FieldErr } from './field-errors.js';
import { parseFieldSelector } from './field-selector.js';
import { parseResourceVersion, queryInt, sendJson } from './http-util.js';
import { parseLabelSelector } from './label-selector.js';
import { objectKey, wireObject } from './object-meta.js';
import { apiVersionOf, resourceId } from './resources.js';
import { badRequest, expired, invalidListOptions, notFound, tooLargeResourceVersion } from './status.js';
import { tableRequest, toTable } from './table.js';
import type { JsonObject, KubeObject, RequestTarget } from './types.js';

/** The 410 message for a continue token whose revision was compacted. */
export const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * Waits until the store reaches `rv`; after the configured wait, a 504 `Too large resource version`.
 *
 * @param state Server state.
 * @param rv The revision needed.
 */
export async function waitForRevision(state: ServerState, rv: number): Promise<void> {
  if (state.store.currentRv() >= rv) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, state.settings.tooLargeResourceVersionWaitMs).unref();
    const unsubscribe = state.store.subscribe(() => {
      if (state.store.currentRv() >= rv) done();
    });
    function done(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
  if (state.store.currentRv() < rv) throw tooLargeResourceVersion(rv, state.store.currentRv());
}

/** GET of one object (or its `/status`). */
export async function handleGet(state: ServerState, ctx: RequestContext, target: RequestTarget): Promise<void> {
  const def = target.resource;
  const rvParam = ctx.query.get('resourceVersion');
  if (rvParam && rvParam !== '0') await waitForRevision(state, parseResourceVersion(rvParam));
  const obj = state.store.get(resourceId(def), objectKey(def, target.namespace, target.name ?? ''));
  if (!obj) throw notFound(def, target.name ?? '');
  const table = tableRequest(ctx);
  const wire = wireObject(def, obj);
  sendJson(ctx.res, 200, table ? toTable(def, table, [wire], { resourceVersion: obj.metadata?.resourceVersion ?? '' }) : wire);
}

function validateListOptions(query: URLSearchParams): void {
  const rv = query.get('resourceVersion') ?? '';
  const match = query.get('resourceVersionMatch') ?? '';
  const errs: FieldErr[] = [];
  if (match) {
    if (!rv) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (query.get('continue')) errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && rv === '0') errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (query.has('sendInitialEvents')) errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  if (errs.length) throw invalidListOptions(errs);
}

/** GET of a collection (not a watch). */
export async function handleList(state: ServerState, ctx: RequestContext, target: RequestTarget): Promise<void> {
  const def = target.resource;
  const q = ctx.query;
  validateListOptions(q);
  const labelText = q.get('labelSelector') ?? '';
  const fieldText = q.get('fieldSelector') ?? '';
  const labels = parseLabelSelector(labelText);
  const fields = parseFieldSelector(fieldText, def);
  const rvParam = q.get('resourceVersion') ?? '';
  const match = q.get('resourceVersionMatch') ?? '';
  const cont = q.get('continue') ?? '';
  let limit = Math.max(0, queryInt(q, 'limit') ?? 0);
  let readRv: number;
  let start = '';
  if (cont) {
    if (rvParam && rvParam !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    const token = decodeContinue(cont);
    if (token.rv !== -1 && (token.rv < state.store.compactedRv() || token.rv < state.continueExpiredBelow)) {
      throw expired(INCONSISTENT_CONTINUE, encodeContinue({ rv: -1, start: token.start }));
    }
    readRv = token.rv === -1 ? state.store.currentRv() : token.rv;
    start = token.start;
  } else if (!rvParam) {
    readRv = state.store.currentRv();
  } else {
    const n = parseResourceVersion(rvParam);
    if (match === 'Exact') {
      await waitForRevision(state, n);
      if (n < state.store.compactedRv()) throw expired('The resourceVersion for the provided list is too old.');
      readRv = n;
    } else {
      if (n !== 0) await waitForRevision(state, n);
      else if (!state.settings.honourLimitForResourceVersion0) limit = 0;
      readRv = state.store.currentRv();
    }
  }
  const prefix = def.namespaced && target.namespace ? `${target.namespace}/` : undefined;
  const candidates = state.store.list(resourceId(def), readRv, prefix, true).filter((e) => e.key >= start);
  const items: KubeObject[] = [];
  let last = -1;
  for (let i = 0; i < candidates.length; i++) {
    const { object } = candidates[i] as { object: KubeObject };
    if (!labels.matches(object.metadata?.labels) || !fields.matches(object)) continue;
    items.push(object);
    last = i;
    if (limit > 0 && items.length === limit) break;
  }
  const more = limit > 0 && items.length === limit && last < candidates.length - 1;
  const metadata: Record<string, unknown> = { resourceVersion: String(readRv) };
  if (more) metadata.continue = encodeContinue({ rv: readRv, start: `${(candidates[last] as { key: string }).key}\u0000` });
  else if (def.custom) metadata.continue = '';
  if (more && !labelText && !fieldText) metadata.remainingItemCount = candidates.length - last - 1;
  const table = tableRequest(ctx);
  if (table) {
    sendJson(ctx.res, 200, toTable(def, table, items.map((o) => wireObject(def, o)), metadata as JsonObject));
    return;
  }
  const body = {
    apiVersion: apiVersionOf(def),
    kind: def.listKind,
    metadata,
    items: items.map((o) => wireObject(def, o, def.listItemsHaveTypeMeta)),
  };
  sendJson(ctx.res, 200, body);
}
