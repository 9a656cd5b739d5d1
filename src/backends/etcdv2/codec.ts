/**
 * Stored value ↔ KVPair (backends spec §2.2): the JSON of the complete v3 object without
 * `resourceVersion` and `selfLink`; on read `resourceVersion` is the key's `mod_revision` and
 * policy names follow §2.4. Unknown fields pass through untouched both ways.
 *
 * @module
 */
import type { KVPair, ResourceKey, ResourceObject } from '../backend.js';
import { ParseError, ValidationError } from '../../errors.js';
import { CALICO_API_VERSION } from '../../model/kinds.js';
import { etcdKey, parseEtcdKey, type EtcdKindInfo } from './keys.js';
import { assertValueFitsKey, storedName } from '../value-key.js';
import { policyAnnotationProblem, readPolicyName, writePolicyName, type NamingMode } from '../policy-storage-names.js';
import { identifierOf } from '../key-identifier.js';
import { isRecord } from '../../model/plain-object.js';

/** etcd's default `--max-request-bytes` (1.5 MiB); a bigger put is refused. */
export const MAX_REQUEST_BYTES = 1_572_864;
/** Room left in a request for the key, the transaction and gRPC framing. */
const REQUEST_OVERHEAD = 4096;

/**
 * Why a parsed stored value cannot be read as a resource of `kind`, or undefined when it can: the
 * rules {@link decodeValue} applies, without changing `parsed` (writes check them before storing).
 */
function decodeProblem(kind: EtcdKindInfo, parsed: unknown): string | undefined {
  if (!isRecord(parsed)) return 'the value is not a JSON object';
  if (parsed.kind !== undefined && parsed.kind !== kind.kind) return `the value's kind does not match the key (expected ${kind.kind})`;
  const meta = parsed.metadata;
  if (meta === undefined) return undefined;
  if (!isRecord(meta)) return 'metadata is not an object';
  const annotations = meta.annotations;
  if (annotations !== undefined && annotations !== null && !isRecord(annotations)) return 'metadata.annotations is not an object';
  return kind.policy ? policyAnnotationProblem(annotations as Record<string, unknown> | null | undefined) : undefined;
}

/** Nesting at which {@link isJsonPlain} stops looking (and says no). */
const PLAIN_DEPTH = 8;

/**
 * True when `value` reads back from JSON exactly as it is: strings, finite numbers, booleans,
 * null, and arrays and plain objects of those, with no `undefined`, no `toJSON` and no other kind
 * of object anywhere. For such a value `JSON.parse(JSON.stringify(value))` is deep-equal to it.
 */
function isJsonPlain(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= PLAIN_DEPTH) return false;
      if (Array.isArray(value)) {
        for (const item of value) if (!isJsonPlain(item, depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      if (Object.hasOwn(record, 'toJSON')) return false;
      for (const k of Object.keys(record)) if (!isJsonPlain(record[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * A stored object as a read returns it, decoded from its stored text when `value` is first read
 * (then kept; assigning `value` replaces it). The text was checked to decode before it was written.
 */
function storedPair<T extends ResourceObject>(kind: EtcdKindInfo, rawKey: string, key: ResourceKey, text: string, revision: string): KVPair<T> {
  let value: T | undefined;
  // Accessors in the literal, not Object.defineProperty: the object keeps a fast shape and costs
  // a fraction of the time (every write returns one).
  return {
    key,
    get value(): T {
      return (value ??= decodeValue<T>(kind, rawKey, key, text, revision).value);
    },
    set value(v: T) {
      value = v;
    },
    revision,
  };
}

/**
 * Decodes one stored entry of `kind`.
 *
 * @param kind The kind the range was read for.
 * @param rawKey The etcd key.
 * @param value The stored bytes.
 * @param modRevision The key's `mod_revision` (decimal).
 * @return The KVPair, or undefined when the key is not a resource of this kind (skipped, §2.1).
 * @throws ParseError naming the key (never the value) when the bytes do not decode.
 */
export function decodeEntry<T extends ResourceObject = ResourceObject>(kind: EtcdKindInfo, rawKey: string, value: Buffer | string, modRevision: string): KVPair<T> | undefined {
  const key = parseEtcdKey(kind, rawKey);
  return key ? decodeValue<T>(kind, rawKey, key, value, modRevision) : undefined;
}

/**
 * Decodes the value of an entry whose key is already parsed (see {@link decodeEntry}).
 *
 * @param kind The kind.
 * @param rawKey The etcd key (named in errors).
 * @param key The parsed resource key.
 * @param value The stored bytes.
 * @param modRevision The key's `mod_revision`.
 * @return The KVPair.
 * @throws ParseError naming the key (never the value).
 */
export function decodeValue<T extends ResourceObject = ResourceObject>(kind: EtcdKindInfo, rawKey: string, key: ResourceKey, value: Buffer | string, modRevision: string): KVPair<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    // JSON.parse messages quote the input: never pass them on.
    throw new ParseError(rawKey, { reason: 'the value is not valid JSON', identifier: identifierOf(key) });
  }
  const problem = decodeProblem(kind, parsed);
  if (problem !== undefined) throw new ParseError(rawKey, { reason: problem, identifier: identifierOf(key) });
  const obj = parsed as ResourceObject;
  if (obj.metadata === undefined) obj.metadata = {};
  if (obj.kind === undefined) obj.kind = kind.kind;
  if (obj.apiVersion === undefined) obj.apiVersion = CALICO_API_VERSION;
  const meta = obj.metadata;
  if (typeof meta.name !== 'string' || meta.name === '') meta.name = key.name;
  if (kind.namespaced && !meta.namespace) meta.namespace = key.namespace;
  if (kind.policy) {
    const name = readPolicyName(meta as { name?: string; annotations?: Record<string, string> }, obj.spec);
    if (typeof name !== 'string') throw new ParseError(rawKey, { reason: name.problem, identifier: identifierOf(key) });
    meta.name = name;
  }
  if (meta.selfLink !== undefined) delete meta.selfLink;
  meta.resourceVersion = modRevision;
  return { key, value: obj as T, revision: modRevision };
}

/** The error of a value that cannot be stored under `key` (built only when a write is refused). */
function unfit(key: ResourceKey, path: string, message: string): ValidationError {
  return new ValidationError([{ path, type: 'invalid', message }], { identifier: identifierOf(key) });
}

/** A value ready to write. */
export interface EncodedValue<T extends ResourceObject = ResourceObject> {
  /** The etcd key. */
  readonly etcdKey: string;
  /** The etcd key as bytes. */
  readonly keyBytes: Buffer;
  /** The JSON text to store. */
  readonly text: string;
  /** The JSON text as bytes. */
  readonly bytes: Buffer;
  /**
   * The stored object as a read will return it, at `revision`. Its `value` is decoded from `text`
   * when first read: a write that ignores its result never parses what it wrote. Before that,
   * {@link encodeValue} checked that the text decodes, so a write never stores what a read would
   * reject.
   */
  result(revision: string): KVPair<T>;
}

/**
 * Encodes a value for storage under `key` (whose `name` is the storage name).
 *
 * Clears `resourceVersion` and `selfLink`, takes `name` and `namespace` from the key (which is
 * authoritative), fills `apiVersion`, applies the policy naming convention, and re-decodes the
 * result so a write can never store something a read would reject (Calico's PartialFailure).
 *
 * @param kind The kind's storage facts.
 * @param key The storage key.
 * @param value The object to store.
 * @param mode Naming mode for policies.
 * @return The etcd key and the JSON text.
 * @throws ValidationError naming `value` or `kind` when the value does not fit the key or is too large.
 */
export function encodeValue<T extends ResourceObject = ResourceObject>(kind: EtcdKindInfo, key: ResourceKey, value: T, mode: NamingMode): EncodedValue<T> {
  assertValueFitsKey(key, value);
  const rawKey = etcdKey(key);
  const metadata: ResourceObject['metadata'] = { ...value.metadata };
  // (Deleting a member that is not there is a slow runtime call: look first.)
  if (metadata.resourceVersion !== undefined) delete metadata.resourceVersion;
  if (metadata.selfLink !== undefined) delete metadata.selfLink;
  // The key is authoritative: a value whose name or namespace disagrees is stored under the key's.
  if (kind.policy) {
    writePolicyName(metadata as { name?: string; annotations?: Record<string, string> }, storedName(key, metadata.name, true), key.name, mode);
  } else {
    metadata.name = key.name;
  }
  if (kind.namespaced) metadata.namespace = key.namespace;
  else if (metadata.namespace !== undefined) delete metadata.namespace;
  // Calico's member order: kind, apiVersion, metadata, then spec, status and anything else.
  const ordered: Record<string, unknown> = { kind: key.kind, apiVersion: value.apiVersion || CALICO_API_VERSION, metadata };
  for (const k in value) {
    if (k === 'kind' || k === 'apiVersion' || k === 'metadata' || !Object.hasOwn(value, k)) continue;
    const v = (value as unknown as Record<string, unknown>)[k];
    // A "__proto__" member (possible in parsed JSON) must stay a plain data member.
    if (k === '__proto__') Object.defineProperty(ordered, k, { value: v, enumerable: true, writable: true, configurable: true });
    else ordered[k] = v;
  }
  let text: string;
  try {
    text = JSON.stringify(ordered);
  } catch {
    throw unfit(key, 'value', 'must be serialisable as JSON');
  }
  const bytes = Buffer.from(text);
  const keyBytes = Buffer.from(rawKey);
  const size = bytes.length + keyBytes.length;
  if (size > MAX_REQUEST_BYTES - REQUEST_OVERHEAD) throw unfit(key, 'value', `the stored object would be ${size} bytes; etcd accepts at most ${MAX_REQUEST_BYTES - REQUEST_OVERHEAD}`);
  // Check that what is stored will decode (Calico's PartialFailure cannot happen). Decoding looks
  // at kind and metadata only, and encoding set the kind: when metadata reads back from JSON
  // exactly as it is, checking it here is checking the text; otherwise parse the text.
  const plain = isJsonPlain(metadata, 0) && !Object.hasOwn(ordered, 'toJSON');
  const problem = decodeProblem(kind, plain ? { kind: ordered.kind, metadata } : JSON.parse(text));
  if (problem !== undefined) throw unfit(key, 'metadata.annotations', 'the stored object would not decode');
  const storageKey = kind.namespaced ? { kind: key.kind, namespace: key.namespace, name: key.name } : { kind: key.kind, name: key.name };
  return new Encoded<T>(kind, rawKey, keyBytes, storageKey, text, bytes);
}

/** The {@link EncodedValue} that {@link encodeValue} returns. */
class Encoded<T extends ResourceObject> implements EncodedValue<T> {
  constructor(
    private readonly kind: EtcdKindInfo,
    readonly etcdKey: string,
    readonly keyBytes: Buffer,
    private readonly storageKey: ResourceKey,
    readonly text: string,
    readonly bytes: Buffer,
  ) {}

  result(revision: string): KVPair<T> {
    return storedPair<T>(this.kind, this.etcdKey, this.storageKey, this.text, revision);
  }
}
