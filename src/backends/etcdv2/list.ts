/**
 * `list` of the etcd backend: paged range reads pinned to one revision (never one unbounded
 * range, which would hit gRPC's 4 MiB message limit), decoded page by page so memory holds the
 * result and one raw page at most.
 *
 * Callers may page too (`limit` / `continue`): a continue token is the base64url of
 * `{"r":"<revision>","k":"<base64 of the next key>"}`, opaque to callers, and reading it after the
 * revision was compacted fails with Expired, like a Kubernetes continue token.
 *
 * Entries whose key does not parse for the kind are skipped; entries whose value does not decode
 * are skipped too and reported to `onParseError` (default: a process warning naming the key), so
 * one corrupt value never hides the rest of the list.
 *
 * @module
 */
import type { IKeyValue } from 'etcd3';
import type { KVPair, KVPairList, ListRequest, ResourceObject } from '../backend.js';
import { ParseError, ValidationError, isExpired } from '../../errors.js';
import { parseLabelSelector, type LabelSelector } from '../label-selector.js';
import { DEFAULT_ALLOW_PROFILE, defaultAllowProfile } from '../builtins.js';
import { retrying } from './call.js';
import { decodeContinueToken, encodeContinueToken } from '../continue-token.js';
import { decodeEntry } from './codec.js';
import { parseRevision, type EtcdContext } from './context.js';
import { scanPlan, type ScanPlan } from './keys.js';
import { locate } from './reads.js';

interface ContinueToken {
  readonly revision: bigint;
  readonly start: Buffer;
}

function encodeToken(t: ContinueToken): string {
  return encodeContinueToken({ r: t.revision.toString(), k: t.start.toString('base64') });
}

function decodeToken(text: string, plan: ScanPlan): ContinueToken {
  const bad = (): never => {
    throw new ValidationError([{ path: 'continue', type: 'invalid', message: 'is not a continue token of this datastore and request' }]);
  };
  const { r, k } = decodeContinueToken(text) ?? {};
  if (typeof r !== 'string' || !/^[1-9][0-9]{0,18}$/.test(r) || typeof k !== 'string') return bad();
  const start = Buffer.from(k, 'base64');
  // The token must continue a range of the same request.
  if (!start.toString('utf8').startsWith(plan.key)) return bad();
  return { revision: BigInt(r), start };
}

/** The first key after every key starting with `prefix` (etcd's prefix range end). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** Compiled client-side filters of a list or watch. */
export interface ItemFilter {
  /** True when a decoded object passes the name and label filters. */
  matches(pair: KVPair): boolean;
}

const MATCH_ALL: ItemFilter = { matches: () => true };

/**
 * Compiles the client-side part of list/watch filters.
 *
 * @param plan The scan plan (name filters).
 * @param labelSelector Kubernetes label selector text.
 * @return The filter.
 * @throws ValidationError naming `labelSelector`.
 */
export function compileItemFilter(plan: ScanPlan, labelSelector: string | undefined): ItemFilter {
  const selector: LabelSelector | undefined = labelSelector?.trim() ? parseLabelSelector(labelSelector) : undefined;
  const { nameEquals, nameStartsWith } = plan;
  if (selector === undefined && nameEquals === undefined && nameStartsWith === undefined) return MATCH_ALL;
  return {
    matches(pair) {
      const name = pair.value.metadata.name ?? pair.key.name;
      if (nameEquals !== undefined && name !== nameEquals) return false;
      if (nameStartsWith !== undefined && !name.startsWith(nameStartsWith)) return false;
      return selector === undefined || selector.matches(pair.value.metadata.labels);
    },
  };
}

/** Decodes a raw entry for a list, reporting (not throwing) values that do not decode. */
export function decodeForList<T extends ResourceObject>(ctx: EtcdContext, plan: ScanPlan, kv: IKeyValue): KVPair<T> | undefined {
  const rawKey = kv.key.toString('utf8');
  try {
    return decodeEntry<T>(plan.kind, rawKey, kv.value, kv.mod_revision);
  } catch (e) {
    if (e instanceof ParseError) {
      ctx.reportParseError(e);
      return undefined;
    }
    throw e;
  }
}

/** One page of a range read. */
export interface Page {
  /** The entries, in key order. */
  readonly kvs: IKeyValue[];
  /** True when the range holds more keys after these. */
  readonly more: boolean;
  /** The revision the page was read at. */
  readonly revision: bigint;
}

/**
 * Reads one page of a range (retrying transient failures).
 *
 * @param ctx Backend context.
 * @param start First key (inclusive).
 * @param end Range end (exclusive).
 * @param limit Keys per page.
 * @param revision Pinned revision, or undefined for the latest (the page's header revision is returned).
 * @param operation For error messages.
 * @return The page.
 */
export function readPage(ctx: EtcdContext, start: Buffer, end: Buffer, limit: number, revision: bigint | undefined, operation: string): Promise<Page> {
  return retrying(ctx.timing, { operation }, async () => {
    const res = await ctx.client.kv.range({ key: start, range_end: end, limit, ...(revision === undefined ? {} : { revision: revision.toString() }) });
    return { kvs: res.kvs, more: res.more, revision: revision ?? BigInt(res.header.revision) };
  });
}

function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined || limit === null || limit === 0) return undefined;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw new ValidationError([{ path: 'limit', type: 'invalid', message: 'must be a non-negative integer' }]);
  }
  return limit;
}

async function scan<T extends ResourceObject>(ctx: EtcdContext, plan: ScanPlan, filter: ItemFilter, limit: number | undefined, from: ContinueToken | undefined, revision: bigint | undefined): Promise<KVPairList<T>> {
  const items: KVPair<T>[] = [];
  const end = prefixEnd(Buffer.from(plan.key));
  let start = from?.start ?? Buffer.from(plan.key);
  let pinned = from?.revision ?? revision;
  for (;;) {
    const want = limit === undefined ? ctx.config.pageSize : Math.min(ctx.config.pageSize, limit - items.length + 1);
    const page = await readPage(ctx, start, end, want, pinned, 'List');
    pinned = page.revision;
    for (const kv of page.kvs) {
      if (limit !== undefined && items.length >= limit) {
        return { items, revision: pinned.toString(), continue: encodeToken({ revision: pinned, start: kv.key }) };
      }
      const pair = decodeForList<T>(ctx, plan, kv);
      if (pair && filter.matches(pair)) items.push(pair);
    }
    const last = page.kvs[page.kvs.length - 1];
    if (!page.more || !last) return { items, revision: pinned.toString() };
    start = Buffer.concat([last.key, Buffer.from([0])]);
    if (limit !== undefined && items.length >= limit) {
      return { items, revision: pinned.toString(), continue: encodeToken({ revision: pinned, start }) };
    }
  }
}

/**
 * `Backend.list`.
 *
 * @param ctx Backend context.
 * @param request Filters, optional revision and paging.
 * @return The items (in key order) and the revision they are consistent with; `continue` when
 *   `limit` cut the result short.
 * @throws ValidationError (bad filters, revision, limit or token), ExpiredError (compacted
 *   revision or token), UnavailableError.
 */
export async function listResources<T extends ResourceObject>(ctx: EtcdContext, request: ListRequest): Promise<KVPairList<T>> {
  if (request === null || typeof request !== 'object') throw new ValidationError([{ path: 'kind', type: 'required', message: 'a kind is required' }]);
  const plan = scanPlan(request);
  const filter = compileItemFilter(plan, request.labelSelector);
  const limit = checkLimit(request.limit);
  const token = request.continue ? decodeToken(request.continue, plan) : undefined;
  const revision = token ? token.revision : parseRevision(request.revision, 'revision');
  let result: KVPairList<T>;
  if (!plan.prefix || (plan.nameEquals !== undefined && plan.kind.policy && (!plan.kind.namespaced || request.namespace))) {
    // One object: a single-key read (with the legacy-name fallback for policies).
    const name = plan.nameEquals ?? request.name ?? '';
    const key = { kind: plan.kind.kind, name, ...(plan.kind.namespaced ? { namespace: request.namespace } : {}) };
    try {
      const { found, revision: at } = await locate<T>(ctx, key, revision);
      result = { items: found && filter.matches(found.pair) ? [found.pair] : [], revision: at };
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      ctx.reportParseError(e);
      const at = revision ?? (await readPage(ctx, Buffer.from(plan.key), prefixEnd(Buffer.from(plan.key)), 1, undefined, 'List')).revision;
      result = { items: [], revision: at.toString() };
    }
  } else {
    // A compaction between pages of an unpinned list: start again at the latest revision.
    for (let attempt = 0; ; attempt++) {
      try {
        result = await scan<T>(ctx, plan, filter, limit, token, revision);
        break;
      } catch (e) {
        if (!isExpired(e) || token || revision !== undefined || attempt >= 2) throw e;
      }
    }
  }
  if (plan.kind.kind === 'Profile' && result.continue === undefined) {
    const name = request.name ?? '';
    const nameOk = name === '' || (request.namePrefix ? DEFAULT_ALLOW_PROFILE.startsWith(name) : DEFAULT_ALLOW_PROFILE === name);
    const profile = defaultAllowProfile() as KVPair<T>;
    if (nameOk && compileItemFilter({ ...plan, nameEquals: undefined, nameStartsWith: undefined }, request.labelSelector).matches(profile)) result.items.push(profile);
  }
  return result;
}

