/**
 * Single-object reads: `get` (optionally at a past revision) and the lookups writes need, with the
 * legacy `default.` fallback for default-tier policies (backends spec §2.4).
 *
 * @module
 */
import type { IKeyValue } from 'etcd3';
import type { KVPair, ResourceKey, ResourceObject } from '../backend.js';
import { NotFoundError } from '../../errors.js';
import { defaultAllowProfile, isDefaultAllowProfile } from '../builtins.js';
import { retrying } from './call.js';
import { decodeEntry, identifierOf } from './codec.js';
import { parseRevision, type EtcdContext } from './context.js';
import { etcdKey, kindInfo } from './keys.js';
import { legacyStorageName } from '../policy-storage-names.js';

/** A raw read of one key. */
export interface RawRead {
  /** The stored entry, if present. */
  readonly kv: IKeyValue | undefined;
  /** The revision the read observed. */
  readonly revision: string;
}

/**
 * Reads one etcd key (retrying transient failures), optionally at a past revision.
 *
 * @param ctx Backend context.
 * @param rawKey The etcd key.
 * @param revision Revision to read at, or undefined for the latest.
 * @param key For error messages.
 * @return The entry (if present) and the revision observed.
 */
export function readRaw(ctx: EtcdContext, rawKey: string, revision: bigint | undefined, key: ResourceKey): Promise<RawRead> {
  const request = revision === undefined ? { key: Buffer.from(rawKey) } : { key: Buffer.from(rawKey), revision: revision.toString() };
  return retrying(ctx.timing, { operation: 'Get', identifier: key }, () =>
    ctx.client.kv.range(request).then((res) => ({ kv: res.kvs[0], revision: revision === undefined ? res.header.revision : (request.revision as string) })),
  );
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
  const first = await readRaw(ctx, rawKey, revision, key);
  if (first.kv) {
    const pair = decodeEntry<T>(kind, rawKey, first.kv.value, first.kv.mod_revision);
    return { found: pair ? { pair, kv: first.kv } : undefined, revision: first.revision };
  }
  const legacy = kind.policy ? legacyStorageName(key.name) : undefined;
  if (!legacy) return { found: undefined, revision: first.revision };
  const legacyKey = { ...key, name: legacy };
  const legacyRaw = etcdKey(legacyKey);
  const second = await readRaw(ctx, legacyRaw, BigInt(first.revision), key);
  if (!second.kv) return { found: undefined, revision: first.revision };
  const pair = decodeEntry<T>(kind, legacyRaw, second.kv.value, second.kv.mod_revision);
  if (!pair || pair.value.metadata.name !== key.name) return { found: undefined, revision: first.revision };
  return { found: { pair, kv: second.kv }, revision: first.revision };
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
  const { found } = await locate<T>(ctx, key, revision);
  if (!found) throw new NotFoundError(identifierOf(key));
  return found.pair;
}
