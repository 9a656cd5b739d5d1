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
import { retrying, type AttemptInfo } from './call.js';
import { decodeEntry, decodeValue, identifierOf } from './codec.js';
import { parseRevision, type EtcdContext } from './context.js';
import { etcdKey, kindInfo, storedKey, type EtcdKindInfo } from './keys.js';
import { legacyStorageName } from '../policy-storage-names.js';

/**
 * One read of a key: what its attempts and its continuation need, passed to module-level functions
 * rather than closed over (see `retrying`).
 */
class KeyRead {
  readonly request: IRangeRequest;
  constructor(
    readonly ctx: EtcdContext,
    readonly kind: EtcdKindInfo,
    readonly key: ResourceKey,
    readonly rawKey: string,
    readonly revision: bigint | undefined,
  ) {
    this.request = revision === undefined ? { key: Buffer.from(rawKey) } : { key: Buffer.from(rawKey), revision: revision.toString() };
  }

  /** Decodes the entry read at this key, labelled with the key in hand (not parsed back). */
  decode(kv: IKeyValue): KVPair {
    return decodeValue(this.kind, this.rawKey, storedKey(this.kind, this.key), kv.value, kv.mod_revision);
  }
}

function rangeAttempt(_info: AttemptInfo, read: KeyRead): Promise<IRangeResponse> {
  return read.ctx.client.kv.range(read.request);
}

/** One key's range read, retried while failures are transient. */
function rangeOne(read: KeyRead): Promise<IRangeResponse> {
  return retrying(read.ctx.timing, { operation: 'Get', identifier: read.key }, rangeAttempt, read);
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
function locateLegacy<T extends ResourceObject>(ctx: EtcdContext, kind: EtcdKindInfo, key: ResourceKey, revision: string): Promise<Lookup<T>> {
  const legacy = kind.policy ? legacyStorageName(key.name) : undefined;
  if (!legacy) return Promise.resolve({ found: undefined, revision });
  const legacyRaw = etcdKey({ ...key, name: legacy });
  return rangeOne(new KeyRead(ctx, kind, key, legacyRaw, BigInt(revision))).then((res) => {
    const kv = res.kvs[0];
    const pair = kv && decodeEntry<T>(kind, legacyRaw, kv.value, kv.mod_revision);
    return { found: kv && pair && pair.value.metadata.name === key.name ? { pair, kv } : undefined, revision };
  });
}

/** {@link locate}'s continuation: the object at the key, or the legacy lookup when it is absent. */
function located(this: KeyRead, res: IRangeResponse): Lookup | Promise<Lookup> {
  const kv = res.kvs[0];
  if (!kv) return locateLegacy(this.ctx, this.kind, this.key, observed(res, this.revision));
  return { found: { pair: this.decode(kv), kv }, revision: observed(res, this.revision) };
}

/** {@link getResource}'s continuation: the key was read by name, so it decodes with the key in hand. */
function got(this: KeyRead, res: IRangeResponse): KVPair | Promise<KVPair> {
  const kv = res.kvs[0];
  if (kv) return this.decode(kv);
  const key = this.key;
  return locateLegacy(this.ctx, this.kind, key, observed(res, this.revision)).then(({ found }) => {
    if (!found) throw new NotFoundError(identifierOf(key));
    return found.pair;
  });
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
export function locate<T extends ResourceObject>(ctx: EtcdContext, key: ResourceKey, revision?: bigint): Promise<Lookup<T>> {
  try {
    const read = new KeyRead(ctx, kindInfo(key.kind), key, etcdKey(key), revision);
    return rangeOne(read).then(located.bind(read) as (res: IRangeResponse) => Lookup<T> | Promise<Lookup<T>>);
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/**
 * `Backend.get`: one object, optionally as it was at `revision` (a compacted revision is Expired).
 *
 * Written as one promise chain (no async layers): the common read is a single range, decoded.
 *
 * @param ctx Backend context.
 * @param key Resource key.
 * @param options Optional revision.
 * @return The object.
 * @throws NotFoundError, ExpiredError, ParseError, UnavailableError.
 */
export function getResource<T extends ResourceObject>(ctx: EtcdContext, key: ResourceKey, options: { revision?: string } = {}): Promise<KVPair<T>> {
  try {
    if (key && isDefaultAllowProfile(key)) return Promise.resolve(defaultAllowProfile() as KVPair<T>);
    const revision = parseRevision(options?.revision, 'revision');
    const read = new KeyRead(ctx, kindInfo(key.kind), key, etcdKey(key), revision);
    return rangeOne(read).then(got.bind(read) as (res: IRangeResponse) => KVPair<T> | Promise<KVPair<T>>);
  } catch (e) {
    return Promise.reject(e as Error);
  }
}
