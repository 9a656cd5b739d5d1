/**
 * Writes of the etcd backend (backends spec §2.5): every write is one etcd transaction guarded by
 * a precondition, so retrying it after a lost answer can never apply it twice. When an earlier
 * attempt may have been applied (deadline, leader loss) and the retry finds the precondition
 * broken, the stored bytes tell whether the earlier attempt won: identical bytes are our write.
 *
 * @module
 */
import type { CompareResult, CompareTarget, IKeyValue, IRequestOp, ITxnRequest, ITxnResponse } from 'etcd3';
import type { CreateGuard, CreateOptions, DeletePreconditions, KVPair, ResourceKey, ResourceObject } from '../backend.js';
import { AlreadyExistsError, ConflictError, NotFoundError, NotSupportedError, ParseError, ValidationError } from '../../errors.js';
import { isDefaultAllowProfile } from '../builtins.js';
import { retrying } from './call.js';
import { decodeEntry, encodeValue, type EncodedValue } from './codec.js';
import { identifierOf } from '../key-identifier.js';
import { revisionText, type EtcdContext } from './context.js';
import { etcdKey, kindInfo, type EtcdKindInfo } from './keys.js';
import { legacyStorageName, storageNameForCreate, type NamingMode } from '../policy-storage-names.js';
import { locate } from './reads.js';
import { prefixEnd } from './list.js';
import { assertValueFitsKey } from '../value-key.js';

const EQUAL: CompareResult = 0;
const LESS: CompareResult = 2;
const VERSION: CompareTarget = 0;
const CREATE: CompareTarget = 1;
const MOD: CompareTarget = 2;

/** Prefix of NetworkPolicies converted from Kubernetes NetworkPolicies (read-only here). */
const KNP_PREFIX = 'knp.default.';

function rejectReadOnly(key: ResourceKey, operation: string, v3Name?: string): void {
  if (key === null || typeof key !== 'object') throw new ValidationError([{ path: 'key', type: 'required', message: 'a key is required' }]);
  if (isDefaultAllowProfile(key)) {
    throw new NotSupportedError(operation, { identifier: identifierOf(key), reason: 'the default-allow profile is synthesised by the datastore' });
  }
  if (key.kind === 'NetworkPolicy' && (key.name?.startsWith(KNP_PREFIX) || v3Name?.startsWith(KNP_PREFIX))) {
    throw new NotSupportedError(operation, { identifier: identifierOf(key), reason: 'kubernetes network policies must be managed through the kubernetes API' });
  }
}

function tryDecode(kind: EtcdKindInfo, kv: IKeyValue | undefined): KVPair | undefined {
  if (!kv) return undefined;
  try {
    return decodeEntry(kind, kv.key.toString('utf8'), kv.value, kv.mod_revision);
  } catch (e) {
    if (e instanceof ParseError) return undefined;
    throw e;
  }
}

function firstKv(res: ITxnResponse, index: number): IKeyValue | undefined {
  return res.responses[index]?.response_range?.kvs[0];
}

const get = (key: Buffer | string): IRequestOp => ({ request_range: { key: typeof key === 'string' ? Buffer.from(key) : key } });

/**
 * `Backend.create`: `if version(key) == 0 then put else get`. For a dot-less default-tier policy
 * the other spelling of its key (`name` / `default.name`) must be absent too, so one v3 name never
 * exists twice.
 *
 * With a guard, see {@link createGuarded}.
 *
 * @param ctx Backend context.
 * @param kv Key and value.
 * @param options The create's guard, if any.
 * @return The stored object with its new revision.
 * @throws AlreadyExistsError (with `current`), ConflictError (a broken guard), NotSupportedError, ValidationError, UnavailableError.
 */
export async function createResource<T extends ResourceObject>(ctx: EtcdContext, kv: { key: ResourceKey; value: T }, options?: CreateOptions): Promise<KVPair<T>> {
  const key = kv?.key;
  rejectReadOnly(key, 'Create', kv?.value?.metadata?.name);
  assertValueFitsKey(key, kv.value);
  const kind = kindInfo(key.kind);
  let mode: NamingMode = 'current';
  let storageKey = key;
  let other: string | undefined;
  if (kind.policy) {
    mode = await ctx.namingMode();
    const v3Name = kv.value.metadata?.name || key.name;
    if (key.name === v3Name) storageKey = { ...key, name: storageNameForCreate(v3Name, kv.value.spec, mode, identifierOf(key)) };
    const legacy = legacyStorageName(v3Name);
    if (legacy) other = etcdKey({ ...key, name: storageKey.name === v3Name ? legacy : v3Name });
  }
  const enc = encodeValue<T>(kind, storageKey, kv.value, mode);
  const otherKey = other === undefined ? undefined : Buffer.from(other);
  const compare = [{ key: enc.keyBytes, result: EQUAL, target: VERSION, version: 0 }];
  if (otherKey) compare.push({ key: otherKey, result: EQUAL, target: VERSION, version: 0 });
  const request = {
    compare,
    success: [{ request_put: { key: enc.keyBytes, value: enc.bytes } }],
    failure: otherKey ? [get(enc.keyBytes), get(otherKey)] : [get(enc.keyBytes)],
  };
  if (options?.guard) return createGuarded<T>(ctx, kind, key, enc, request, options.guard);
  return transact(ctx, 'Create', key, request, (res, ambiguous) => createAnswer<T>(kind, key, enc, res, ambiguous));
}

/**
 * How often a guarded create runs again after objects were created that its guard does not mind.
 * Every round that runs again saw at least one creation by someone else, so with N creates racing
 * a create needs at most N rounds; the bound only stops a create that never gets a quiet moment.
 */
const GUARD_ROUNDS = 256;

/**
 * A create under a {@link CreateGuard}, in one transaction: the create's own compares and a range
 * compare that no key of the guard's kind was created after the guard's revision. When that
 * compare fails, the same transaction returns the keys created since; if the guard's `conflicts`
 * holds for none of them, the create runs again with the guard moved to that transaction's
 * revision (every creation up to it has been looked at), otherwise it rejects ConflictError.
 */
async function createGuarded<T extends ResourceObject>(ctx: EtcdContext, kind: EtcdKindInfo, key: ResourceKey, enc: EncodedValue<T>, base: ITxnRequest, guard: CreateGuard): Promise<KVPair<T>> {
  const guardKind = kindInfo(guard?.kind);
  let since = revisionText(guard.revision, 'guard.revision');
  if (since === undefined) throw new ValidationError([{ path: 'guard.revision', type: 'required', message: 'a guard needs the revision its check read at' }]);
  const head = Buffer.from(guardKind.head);
  const end = prefixEnd(head);
  for (let round = 0; round < GUARD_ROUNDS; round++) {
    const after = (BigInt(since) + 1n).toString();
    const request: ITxnRequest = {
      compare: [...(base.compare ?? []), { key: head, range_end: end, target: CREATE, result: LESS, create_revision: after }],
      success: base.success,
      failure: [...(base.failure ?? []), { request_range: { key: head, range_end: end, min_create_revision: after } }],
    };
    const out = await transact(ctx, 'Create', key, request, (res, ambiguous) => guardedCreateAnswer<T>(kind, key, enc, request, res, ambiguous));
    if ('ok' in out) return out.ok as KVPair<T>;
    for (const kv of out.created) {
      const pair = tryDecode(guardKind, kv);
      if (pair && (!guard.conflicts || guard.conflicts(pair.value))) throw new ConflictError(identifierOf(key), { reason: 'ConcurrentCreate', current: pair });
    }
    since = out.revision;
  }
  throw new ConflictError(identifierOf(key), { reason: 'ConcurrentCreate' });
}

type GuardedOutcome<T extends ResourceObject> = { ok: KVPair<T> } | { created: IKeyValue[]; revision: string };

/** A guarded create's answer: created, our own earlier attempt, AlreadyExists, or the keys created since the guard's revision. */
function guardedCreateAnswer<T extends ResourceObject>(kind: EtcdKindInfo, key: ResourceKey, enc: EncodedValue<T>, request: ITxnRequest, res: ITxnResponse, ambiguous: boolean): GuardedOutcome<T> {
  // The failure branch reads: the key, the other spelling of a policy key (when there is one), the new keys.
  const reads = request.failure?.length ?? 0;
  const taken = !res.succeeded && (firstKv(res, 0) !== undefined || (reads === 3 && firstKv(res, 1) !== undefined));
  if (res.succeeded || taken) return { ok: createAnswer(kind, key, enc, res, ambiguous) };
  return { created: res.responses[reads - 1]?.response_range?.kvs ?? [], revision: res.header.revision };
}

/**
 * One transactional write, retried while failures are transient; `answer` reads the response,
 * told whether an earlier attempt may have been applied.
 */
function transact<R>(ctx: EtcdContext, operation: string, key: ResourceKey, request: ITxnRequest, answer: (res: ITxnResponse, ambiguous: boolean) => R): Promise<R> {
  return retrying(ctx.timing, { operation, identifier: identifierOf(key) }, async ({ ambiguous }) => answer(await ctx.client.kv.txn(request), ambiguous));
}

/** A create's answer: created, our own earlier attempt, or AlreadyExists. */
function createAnswer<T extends ResourceObject>(kind: EtcdKindInfo, key: ResourceKey, enc: EncodedValue<T>, res: ITxnResponse, ambiguous: boolean): KVPair<T> {
  if (res.succeeded) return enc.result(res.header.revision);
  const mine = firstKv(res, 0);
  if (mine && ambiguous && mine.value.equals(enc.bytes)) return enc.result(mine.mod_revision);
  throw new AlreadyExistsError(identifierOf(key), { current: tryDecode(kind, mine ?? firstKv(res, 1)) });
}

/** A compare-and-swap's answer: written, our own earlier attempt, absent, or Conflict. */
function casAnswer<T extends ResourceObject>(kind: EtcdKindInfo, key: ResourceKey, enc: EncodedValue<T>, res: ITxnResponse, ambiguous: boolean): CasOutcome<T> {
  if (res.succeeded) return { ok: enc.result(res.header.revision) };
  const current = firstKv(res, 0);
  if (!current) return { absent: true };
  if (ambiguous && current.value.equals(enc.bytes)) return { ok: enc.result(current.mod_revision) };
  throw new ConflictError(identifierOf(key), { current: tryDecode(kind, current) });
}

type CasOutcome<T extends ResourceObject> = { ok: KVPair<T> } | { absent: true };

/** `if mod_revision(key) == revision then put else get`, with the "our earlier attempt won" check. */
function compareAndPut<T extends ResourceObject>(ctx: EtcdContext, kind: EtcdKindInfo, key: ResourceKey, enc: EncodedValue<T>, revision: string, operation: string): Promise<CasOutcome<T>> {
  const request = {
    compare: [{ key: enc.keyBytes, result: EQUAL, target: MOD, mod_revision: revision }],
    success: [{ request_put: { key: enc.keyBytes, value: enc.bytes } }],
    failure: [get(enc.keyBytes)],
  };
  return transact(ctx, operation, key, request, (res, ambiguous) => casAnswer<T>(kind, key, enc, res, ambiguous));
}

function requireRevision(revision: string | undefined): string {
  const r = revisionText(revision, 'metadata.resourceVersion');
  if (r === undefined) throw new ValidationError([{ path: 'metadata.resourceVersion', type: 'required', message: 'a revision is required to update' }]);
  return r;
}

/**
 * `Backend.update`: compare-and-swap on the caller's revision. A dot-less default-tier policy
 * name that is absent is tried under its legacy `default.` key as well.
 *
 * @param ctx Backend context.
 * @param kv Key, value and the revision it was read at.
 * @return The stored object with its new revision.
 * @throws NotFoundError, ConflictError (with `current`), ValidationError, NotSupportedError, UnavailableError.
 */
export async function updateResource<T extends ResourceObject>(ctx: EtcdContext, kv: KVPair<T>): Promise<KVPair<T>> {
  const key = kv?.key;
  rejectReadOnly(key, 'Update', kv?.value?.metadata?.name);
  const revision = requireRevision(kv.revision);
  assertValueFitsKey(key, kv.value);
  const kind = kindInfo(key.kind);
  if (kind.policy) return updatePolicy(ctx, kind, kv, revision);
  const out = await compareAndPut<T>(ctx, kind, key, encodeValue<T>(kind, key, kv.value, 'current'), revision, 'Update');
  if ('ok' in out) return out.ok;
  throw new NotFoundError(identifierOf(key));
}

/** {@link updateResource} of a policy: its naming mode, and the legacy `default.` key when its key is absent. */
async function updatePolicy<T extends ResourceObject>(ctx: EtcdContext, kind: EtcdKindInfo, kv: KVPair<T>, revision: string): Promise<KVPair<T>> {
  const key = kv.key;
  const mode = await ctx.namingMode();
  const first = await compareAndPut<T>(ctx, kind, key, encodeValue<T>(kind, key, kv.value, mode), revision, 'Update');
  if ('ok' in first) return first.ok;
  const legacy = legacyStorageName(key.name);
  if (legacy) {
    const legacyKey = { ...key, name: legacy };
    const second = await compareAndPut<T>(ctx, kind, legacyKey, encodeValue<T>(kind, legacyKey, kv.value, mode), revision, 'Update');
    if ('ok' in second) return second.ok;
  }
  throw new NotFoundError(identifierOf(key));
}

/**
 * `Backend.updateStatus`: reads the stored object, replaces only its `status`, and writes it back
 * with a compare-and-swap on the caller's revision.
 *
 * @param ctx Backend context.
 * @param kv Key, value (only `status` is used) and revision.
 * @return The stored object with its new revision.
 * @throws NotFoundError, ConflictError, ValidationError, NotSupportedError, UnavailableError.
 */
export async function updateStatusResource<T extends ResourceObject>(ctx: EtcdContext, kv: KVPair<T>): Promise<KVPair<T>> {
  const key = kv?.key;
  rejectReadOnly(key, 'UpdateStatus');
  const revision = requireRevision(kv.revision);
  assertValueFitsKey(key, kv.value);
  const kind = kindInfo(key.kind);
  const { found } = await locate<T>(ctx, key);
  if (!found) throw new NotFoundError(identifierOf(key));
  if (found.pair.revision !== revision) throw new ConflictError(identifierOf(key), { current: found.pair });
  const value = { ...found.pair.value } as T & { status?: unknown };
  const status = (kv.value as { status?: unknown }).status;
  if (status === undefined) delete value.status;
  else value.status = status;
  const mode: NamingMode = kind.policy ? await ctx.namingMode() : 'current';
  const out = await compareAndPut<T>(ctx, kind, found.pair.key, encodeValue<T>(kind, found.pair.key, value, mode), revision, 'UpdateStatus');
  if ('ok' in out) return out.ok;
  throw new NotFoundError(identifierOf(key));
}

type DeleteOutcome = 'deleted' | 'gone' | 'changed';

/** `if mod_revision(key) == revision then delete else get`. */
function compareAndDelete(ctx: EtcdContext, key: ResourceKey, rawKey: string, revision: string): Promise<{ outcome: DeleteOutcome; res: ITxnResponse; ambiguous: boolean }> {
  return retrying(ctx.timing, { operation: 'Delete', identifier: identifierOf(key) }, async ({ ambiguous }) => {
    const res = await ctx.client.kv.txn({
      compare: [{ key: Buffer.from(rawKey), result: EQUAL, target: MOD, mod_revision: revision }],
      success: [{ request_delete_range: { key: Buffer.from(rawKey), prev_kv: true } }],
      failure: [get(rawKey)],
    });
    if (res.succeeded) return { outcome: 'deleted', res, ambiguous };
    return { outcome: firstKv(res, 0) ? 'changed' : 'gone', res, ambiguous };
  });
}

/**
 * `Backend.delete`: deletes exactly one key and returns the object as it was.
 *
 * The object is read first and deleted with a compare on the `mod_revision` read, so the
 * returned value is exactly what was deleted and a retried attempt cannot delete a newer object.
 * A `revision` precondition that does not match is Conflict; a `uid` precondition that does not
 * match is Conflict with reason `UIDMismatch` (Calico's etcd backend ignores uid; the library
 * enforces it on every backend).
 *
 * @param ctx Backend context.
 * @param key Resource key (`name` may be the v3 name of a legacy-stored policy).
 * @param preconditions Optional revision and uid.
 * @return The deleted object.
 * @throws NotFoundError, ConflictError, ValidationError, NotSupportedError, ParseError, UnavailableError.
 */
export async function deleteResource<T extends ResourceObject>(ctx: EtcdContext, key: ResourceKey, preconditions: DeletePreconditions = {}): Promise<KVPair<T>> {
  rejectReadOnly(key, 'Delete');
  kindInfo(key.kind);
  const revision = revisionText(preconditions?.revision, 'preconditions.revision');
  const uid = preconditions?.uid;
  for (let round = 0; round < 5; round++) {
    const { found } = await locate<T>(ctx, key);
    if (!found) throw new NotFoundError(identifierOf(key));
    if (revision !== undefined && found.pair.revision !== revision) throw new ConflictError(identifierOf(key), { current: found.pair });
    if (uid && found.pair.value.metadata.uid !== uid) throw new ConflictError(identifierOf(key), { reason: 'UIDMismatch', current: found.pair });
    const { outcome, ambiguous } = await compareAndDelete(ctx, key, etcdKey(found.pair.key), found.kv.mod_revision);
    if (outcome === 'deleted') return found.pair;
    // Gone after an attempt that may have gone through: that attempt deleted exactly this object.
    if (outcome === 'gone') {
      if (ambiguous) return found.pair;
      throw new NotFoundError(identifierOf(key));
    }
    // Changed between the read and the delete: read again (a revision precondition then fails).
  }
  throw new ConflictError(identifierOf(key));
}
