/**
 * Lists on Kubernetes (backends spec §3.10): pages of `limit` items followed through
 * `continue` tokens, all at the first page's `resourceVersion`; a whole list repeated once
 * (without `limit`) when its continue token expires mid-way; caller-driven paging with our own
 * continue tokens, which also work when names or labels are filtered on the client.
 *
 * @module
 */
import { ExpiredError, ParseError, ValidationError, isExpired } from '../../errors.js';
import type { KVPair, KVPairList, ListRequest, ResourceObject } from '../backend.js';
import type { K8sContext, QueryPlan, ResourceView } from './context.js';
import { errorFromStatus, isMissingResourceType, type ErrorContext } from './errors.js';
import type { KubeList, KubeObject } from './kube-types.js';
import { decodeContinueToken, encodeContinueToken } from '../continue-token.js';

/** Where a caller-driven list continues: the server page to (re-)read and how many of its items were consumed. */
interface Token {
  /** Server continue token of the page; `''` for the first page (read at `r` exactly). */
  c: string;
  /** List revision. */
  r: string;
  /** Items of that page already handed out. */
  s: number;
  /** Scope check: kind and namespace. */
  k: string;
}

function encodeToken(t: Token): string {
  return encodeContinueToken({ v: 1, ...t });
}

function decodeToken(text: string, scope: string): Token {
  const o = decodeContinueToken(text) as (Partial<Token> & { v?: unknown }) | undefined;
  if (!o || o.v !== 1 || typeof o.c !== 'string' || typeof o.r !== 'string' || typeof o.s !== 'number' || !Number.isSafeInteger(o.s) || o.s < 0 || o.k !== scope) {
    throw new ValidationError([{ path: 'continue', type: 'invalid', message: 'not a continue token of this list' }]);
  }
  return { c: o.c, r: o.r, s: o.s, k: o.k };
}

function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined || limit === null || limit === 0) return undefined;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) throw new ValidationError([{ path: 'limit', type: 'invalid', message: 'must be a non-negative integer' }]);
  return limit;
}

interface PageQuery {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

/** Reads one server page; a resource type the server does not serve reads as an empty page. */
async function readPage(ctx: K8sContext, view: ResourceView, plan: QueryPlan, q: PageQuery): Promise<KubeList> {
  const errorCtx: ErrorContext = { operation: 'List', identifier: { kind: view.kind, ...(plan.namespace ? { namespace: plan.namespace } : {}), name: '' } };
  const res = await ctx.transport.request<KubeList>(
    {
      method: 'GET',
      path: await view.collectionPath(plan.namespace),
      query: { fieldSelector: plan.fieldSelector, labelSelector: plan.labelSelector, limit: q.limit, continue: q.continue, resourceVersion: q.resourceVersion, resourceVersionMatch: q.resourceVersionMatch },
    },
    errorCtx,
  );
  if (res.ok) return res.body ?? {};
  if (isMissingResourceType(res.code, res.status)) {
    ctx.options.onWarning(`the Kubernetes API server does not serve ${view.kind} objects (is the Calico CRD installed?); listing them as empty`);
    return { metadata: { resourceVersion: '' }, items: [] };
  }
  throw errorFromStatus(res.code, res.status, { operation: 'List', ...(errorCtx.identifier?.namespace ? { identifier: errorCtx.identifier } : {}) });
}

/**
 * Converts and filters the items of a page. Objects that do not decode are reported and skipped.
 *
 * @return The pairs that pass the plan's filters, with the index of each in the page.
 */
export function acceptItems(ctx: K8sContext, view: ResourceView, plan: QueryPlan, items: readonly KubeObject[]): { pair: KVPair; index: number }[] {
  const out: { pair: KVPair; index: number }[] = [];
  items.forEach((raw, index) => {
    let pair: KVPair | undefined;
    try {
      pair = view.convert(raw);
    } catch (e) {
      if (e instanceof ParseError) {
        ctx.options.onParseError(e);
        return;
      }
      throw e;
    }
    if (pair && plan.matchesName(pair) && (!plan.clientLabels || plan.clientLabels.matches(pair.value.metadata.labels))) out.push({ pair, index });
  });
  return out;
}

/** Reads every page of a list at one revision. */
async function readAll(ctx: K8sContext, view: ResourceView, plan: QueryPlan, first: PageQuery): Promise<{ items: KVPair[]; revision: string }> {
  const items: KVPair[] = [];
  let page = await readPage(ctx, view, plan, { ...first, limit: ctx.options.pageSize });
  const revision = page.metadata?.resourceVersion ?? '';
  for (let guard = 0; ; guard++) {
    for (const { pair } of acceptItems(ctx, view, plan, page.items ?? [])) items.push(pair);
    const next = page.metadata?.continue;
    if (!next) return { items, revision };
    if (guard > 1_000_000) throw new ExpiredError('the list did not end');
    page = await readPage(ctx, view, plan, { limit: ctx.options.pageSize, continue: next });
  }
}

/**
 * Lists every matching object (no caller paging), following Calico's pager: pages of
 * `pageSize`, and once more without `limit` when a continue token expires between pages.
 *
 * @param ctx Backend context.
 * @param view The kind.
 * @param plan The filters.
 * @param at Read "not older than" this revision, or exactly this revision.
 * @return The items and the list revision.
 */
export async function listAll(ctx: K8sContext, view: ResourceView, plan: QueryPlan, at?: { revision: string; exact?: boolean }): Promise<{ items: KVPair[]; revision: string }> {
  const first: PageQuery = at?.revision ? { resourceVersion: at.revision, resourceVersionMatch: at.exact ? 'Exact' : 'NotOlderThan' } : {};
  try {
    return await readAll(ctx, view, plan, first);
  } catch (e) {
    if (!isExpired(e) || at?.exact) throw e;
  }
  const page = await readPage(ctx, view, plan, first);
  return { items: acceptItems(ctx, view, plan, page.items ?? []).map((a) => a.pair), revision: page.metadata?.resourceVersion ?? '' };
}

/**
 * `Backend.list` for one kind: every matching item, or with `limit` one page and a token.
 *
 * @param ctx Backend context.
 * @param view The kind.
 * @param request The caller's request.
 * @return The list.
 */
export async function listView<T extends ResourceObject>(ctx: K8sContext, view: ResourceView, request: ListRequest): Promise<KVPairList<T>> {
  const limit = checkLimit(request.limit);
  const plan = await view.plan(request);
  const scope = `${view.kind}/${plan.namespace ?? ''}`;
  if (limit === undefined && !request.continue) {
    const all = await listAll(ctx, view, plan, request.revision ? { revision: request.revision } : undefined);
    return { items: all.items as KVPair<T>[], revision: all.revision };
  }
  const token = request.continue ? decodeToken(request.continue, scope) : undefined;
  const want = limit ?? ctx.options.pageSize;
  // Pages exactly `want` long line up with ours when nothing is filtered here; otherwise read big pages.
  const serverLimit = plan.serverExact ? want : Math.max(want, ctx.options.pageSize);
  const items: KVPair<T>[] = [];
  let pageToken = token?.c ?? '';
  let skip = token?.s ?? 0;
  let revision = token?.r;
  for (;;) {
    const q: PageQuery = { limit: serverLimit };
    if (pageToken) q.continue = pageToken;
    else if (revision) Object.assign(q, { resourceVersion: revision, resourceVersionMatch: 'Exact' });
    else if (request.revision) Object.assign(q, { resourceVersion: request.revision, resourceVersionMatch: 'NotOlderThan' });
    const page = await readPage(ctx, view, plan, q);
    revision ??= page.metadata?.resourceVersion ?? '';
    const rawItems = page.items ?? [];
    for (const { pair, index } of acceptItems(ctx, view, plan, rawItems)) {
      if (index < skip) continue;
      items.push(pair as KVPair<T>);
      if (items.length === want) {
        const consumed = index + 1;
        if (consumed < rawItems.length) return { items, revision, continue: encodeToken({ c: pageToken, r: revision, s: consumed, k: scope }) };
        const next = page.metadata?.continue;
        return next ? { items, revision, continue: encodeToken({ c: next, r: revision, s: 0, k: scope }) } : { items, revision };
      }
    }
    const next = page.metadata?.continue;
    if (!next) return { items, revision };
    pageToken = next;
    skip = 0;
  }
}
