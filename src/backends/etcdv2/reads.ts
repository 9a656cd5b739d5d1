/**
 * Single-object reads: `get` (optionally at a past revision) and the lookups writes need, with the
 * legacy `default.` fallback for default-tier policies (backends spec §2.4).
 *
 * @module
 */
import type { IKeyValue, IRangeRequest, IRangeResponse } from 'etcd3';
import type { KVPair, ResourceKey, ResourceObject } from '../backend.js';
import { NotFoundError } from '../../errors.js';
import { defaultAllowProfile, isDefaultAllowProfile } from '../builtins.js';
import { retrying } from './call.js';
import { decodeEntry, decodeValue } from './codec.js';
import { identifierOf } from '../key-identifier.js';
import { parseRevision, type EtcdContext } from './context.js';
import { etcdKey, kindInfo, storedKey, type EtcdKindInfo } from './keys.js';
import { legacyStorageName } from '../policy-storage-names.js';

/** One key's range read (at `revision`, or at the latest), retried while failures are transient. */
function rangeOne(ctx: EtcdContext, key: ResourceKey, rawKey: string, revision: bigint | undefined): Promise<IRangeResponse> {
  const request: IRangeRequest = revision === undefined ? { key: Buffer.from(rawKey) } : { key: Buffer.from(rawKey), revision: revision.toString() };
  return retrying(ctx.timing, { operation: 'Get', identifier: key }, () => ctx.client.kv.range(request));
}

/** Decodes the entry read at `rawKey`, labelled with the key in hand (not parsed back). */
function decodeAt<T extends ResourceObject>(kind: EtcdKindInfo, key: ResourceKey, rawKey: string, kv: IKeyValue): KVPair<T> {
  return decodeValue<T>(kind, rawKey, storedKey(kind, key), kv.value, kv.mod_revision);
}

/** The revision a read at `revision` (or at the latest, when undefined) observed. */
function observed(res: IRangeResponse, revision: bigint | undefined): string {
  return revision === undefined ? res.header.revision : revision.toString();
}

/** A located object: its decoded KVPair and the raw entry it came from. */
export interface Located<T extends ResourceObject = ResourceObject> {
  /** The decoded object. */
  readonly pair: KVPair<T>;
  /** The raw entry (its `mod_revision` guards a following delete). */
  readonly kv: IKeyValue;
}

/** The result of {@link locate}: the object if found, and the revision the lookup observed. */
export interface Lookup<T extends ResourceObject = ResourceObject> {
  /** The object, when either key holds it. */
  readonly found: Located<T> | undefined;
  /** The revision the lookup read at. */
  readonly revision: string;
}

/**
 * The second half of {@link locate}, for a key found absent at `revision`: the legacy
 * `default.<name>` key of a dot-less default-tier policy name, read at the same revision, when its
 * decoded v3 name equals the request.
 */
async function locateLegacy<T extends ResourceObject>(ctx: EtcdContext, kind: EtcdKindInfo, key: ResourceKey, revision: string): Promise<Lookup<T>> {
  const legacy = kind.policy ? legacyStorageName(key.name) : undefined;
  if (!legacy) return { found: undefined, revision };
  const legacyRaw = etcdKey({ ...key, name: legacy });
  const res = await rangeOne(ctx, key, legacyRaw, BigInt(revision));
  const kv = res.kvs[0];
  const pair = kv && decodeEntry<T>(kind, legacyRaw, kv.value, kv.mod_revision);
  return { found: kv && pair && pair.value.metadata.name === key.name ? { pair, kv } : undefined, revision };
}

/**
 * Finds the stored object for `key`: the key itself, or for a dot-less default-tier policy name
 * that is absent, the legacy `default.<name>` key when its decoded v3 name equals the request.
 * Both reads see the same revision.
 *
 * @param ctx Backend context.
 * @param key The requested key (`name` may be a v3 name).
 * @param revision Revision to read at, or undefined.
 * @return The object (undefined when neither key holds it) and the revision read.
 * @throws ParseError when the stored value does not decode.
 */
export async function locate<T extends ResourceObject>(ctx: EtcdContext, key: ResourceKey, revision?: bigint): Promise<Lookup<T>> {
  const kind = kindInfo(key.kind);
  const rawKey = etcdKey(key);
  const res = await rangeOne(ctx, key, rawKey, revision);
  const kv = res.kvs[0];
  if (!kv) return locateLegacy<T>(ctx, kind, key, observed(res, revision));
  return { found: { pair: decodeAt<T>(kind, key, rawKey, kv), kv }, revision: observed(res, revision) };
}

/**
 * `Backend.get`: one object, optionally as it was at `revision` (a compacted revision is Expired).
 *
 * @param ctx Backend context.
 * @param key Resource key.
 * @param options Optional revision.
 * @return The object.
 * @throws NotFoundError, ExpiredError, ParseError, UnavailableError.
 */
export async function getResource<T extends ResourceObject>(ctx: EtcdContext, key: ResourceKey, options: { revision?: string } = {}): Promise<KVPair<T>> {
  if (key && isDefaultAllowProfile(key)) return defaultAllowProfile() as KVPair<T>;
  const revision = parseRevision(options?.revision, 'revision');
  const kind = kindInfo(key.kind);
  const rawKey = etcdKey(key);
  const res = await rangeOne(ctx, key, rawKey, revision);
  const kv = res.kvs[0];
  if (kv) return decodeAt<T>(kind, key, rawKey, kv);
  const { found } = await locateLegacy<T>(ctx, kind, key, observed(res, revision));
  if (!found) throw new NotFoundError(identifierOf(key));
  return found.pair;
}
