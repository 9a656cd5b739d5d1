/**
 * Calico's v3 etcd key layout (backends spec §2.1): which kinds the etcd backend stores, how a
 * {@link ResourceKey} becomes an etcd key, how keys parse back, and which range a list or watch reads.
 *
 * @module
 */
import type { ListOptions, ResourceKey } from '../backend.js';
import { ValidationError } from '../../errors.js';
import { englishPlural, ETCD_RESOURCE_PREFIX, KIND_REGISTRY } from '../../model/kind-registry.js';

/** Prefix of every v3 resource key. */
export const RESOURCE_PREFIX = ETCD_RESOURCE_PREFIX;

/** Storage facts about one kind the etcd backend knows. */
export interface EtcdKindInfo {
  /** Kind name, for example `NetworkPolicy`. */
  readonly kind: string;
  /** Lower-case plural: the key segment after {@link RESOURCE_PREFIX}. */
  readonly plural: string;
  /** True when keys carry a namespace segment. */
  readonly namespaced: boolean;
  /** True for policy kinds, whose storage name and v3 name can differ (§2.4). */
  readonly policy: boolean;
  /** Key prefix of every object of the kind: `<RESOURCE_PREFIX><plural>/`. */
  readonly head: string;
}

function info(kind: string, plural: string, namespaced: boolean, policy = false): EtcdKindInfo {
  return Object.freeze({ kind, plural, namespaced, policy, head: `${RESOURCE_PREFIX}${plural}/` });
}

// Every kind of the registry, as etcd stores it.
const KIND_TABLE: ReadonlyMap<string, EtcdKindInfo> = new Map(KIND_REGISTRY.map((k) => [k.kind, info(k.kind, k.plural, k.namespaced, k.tieredPolicy)]));

const KIND_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The storage facts of `kind`, from the kind registry. Kinds outside it are cluster-scoped and
 * use the English plural of the lower-cased kind, as Calico's key layout does.
 *
 * @param kind Kind name.
 * @return The kind's facts.
 * @throws ValidationError naming `key.kind` when the kind is empty or not a kind name.
 */
export function kindInfo(kind: string): EtcdKindInfo {
  const found = KIND_TABLE.get(kind);
  if (found) return found;
  if (typeof kind !== 'string' || !KIND_NAME.test(kind)) {
    throw new ValidationError([{ path: 'key.kind', type: kind ? 'invalid' : 'required', message: kind ? 'is not a kind name' : 'a kind is required' }], {
      identifier: { kind: String(kind ?? ''), name: '' },
    });
  }
  return info(kind, englishPlural(kind), false);
}

/** Un-escapes one key segment the way Calico does (`%2f` → `/`, `%25` → `%`). */
export function unescapeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  return segment.replace(/%2f/gi, '/').replace(/%25/g, '%');
}

function checkSegment(value: unknown, path: string, key: ResourceKey): void {
  if (typeof value !== 'string' || value === '' || value.includes('/')) {
    const empty = typeof value !== 'string' || value === '';
    throw new ValidationError([{ path, type: empty ? 'required' : 'invalid', message: empty ? 'must not be empty' : 'must not contain "/"' }], {
      identifier: { kind: key.kind, name: String(key.name ?? ''), ...(key.namespace ? { namespace: key.namespace } : {}) },
    });
  }
}

/**
 * The etcd key of one resource.
 *
 * ## Example
 * ```ts
 * etcdKey({ kind: 'NetworkPolicy', namespace: 'shop', name: 'allow-web' });
 * // '/calico/resources/v3/projectcalico.org/networkpolicies/shop/allow-web'
 * ```
 * @param key Resource key (`name` is the storage name).
 * @return The etcd key.
 * @throws ValidationError naming `key.name` or `key.namespace`.
 */
export function etcdKey(key: ResourceKey): string {
  if (key === null || typeof key !== 'object') throw new ValidationError([{ path: 'key', type: 'required', message: 'a key is required' }]);
  const k = kindInfo(key.kind);
  checkSegment(key.name, 'key.name', key);
  if (k.namespaced) {
    checkSegment(key.namespace ?? '', 'key.namespace', key);
    return `${RESOURCE_PREFIX}${k.plural}/${key.namespace}/${key.name}`;
  }
  if (key.namespace) {
    throw new ValidationError([{ path: 'key.namespace', type: 'forbidden', message: `${key.kind} is cluster-scoped: it has no namespace` }], {
      identifier: { kind: key.kind, name: key.name },
    });
  }
  return `${RESOURCE_PREFIX}${k.plural}/${key.name}`;
}

/**
 * The resource key that {@link parseEtcdKey} gives for `etcdKey(key)`, without building and
 * parsing the etcd key: a read of a known key labels its result with it.
 *
 * @param kind The kind of `key`.
 * @param key A key that {@link etcdKey} accepts.
 * @return The key as read back from etcd.
 */
export function storedKey(kind: EtcdKindInfo, key: ResourceKey): ResourceKey {
  const name = unescapeSegment(key.name);
  return kind.namespaced ? { kind: kind.kind, namespace: unescapeSegment(key.namespace as string), name } : { kind: kind.kind, name };
}

/**
 * Parses an etcd key of `kind` back into a resource key; undefined when the key is not a resource
 * of that kind (wrong prefix or wrong number of segments).
 *
 * @param kind The kind the key should belong to.
 * @param key The etcd key.
 * @return The resource key, or undefined.
 */
export function parseEtcdKey(kind: EtcdKindInfo, key: string): ResourceKey | undefined {
  const head = kind.head;
  if (!key.startsWith(head)) return undefined;
  const slash = key.indexOf('/', head.length);
  if (kind.namespaced) {
    if (slash <= head.length || slash === key.length - 1 || key.indexOf('/', slash + 1) !== -1) return undefined;
    return { kind: kind.kind, namespace: unescapeSegment(key.slice(head.length, slash)), name: unescapeSegment(key.slice(slash + 1)) };
  }
  if (slash !== -1 || key.length === head.length) return undefined;
  return { kind: kind.kind, name: unescapeSegment(key.slice(head.length)) };
}

/** What a list or watch reads: one key or a prefix, plus what must still be filtered client-side. */
export interface ScanPlan {
  /** The kind. */
  readonly kind: EtcdKindInfo;
  /** Exact key (when `prefix` is false) or key prefix. */
  readonly key: string;
  /** True when `key` is a prefix. */
  readonly prefix: boolean;
  /** Keep only items whose v3 name equals this (exact-name requests on policy kinds). */
  readonly nameEquals?: string;
  /** Keep only items whose v3 name starts with this. */
  readonly nameStartsWith?: string;
}

/**
 * Chooses the range for list/watch filters (§2.1 "Range reads").
 *
 * A namespace given for a cluster-scoped kind is ignored. Policy kinds are always read by namespace (or kind) prefix and filtered by v3 name, because a
 * legacy entry's key (`default.allow-web`) differs from its v3 name (`allow-web`).
 *
 * @param o List filters.
 * @return The plan.
 */
export function scanPlan(o: ListOptions): ScanPlan {
  const k = kindInfo(o.kind);
  // A namespace on a cluster-scoped kind selects nothing different: it is ignored (as in memory).
  const base = `${RESOURCE_PREFIX}${k.plural}/`;
  const nsBase = k.namespaced && o.namespace ? `${base}${o.namespace}/` : base;
  const name = o.name ?? '';
  if (!name) return { kind: k, key: nsBase, prefix: true };
  if (k.policy) {
    return o.namePrefix ? { kind: k, key: nsBase, prefix: true, nameStartsWith: name } : { kind: k, key: nsBase, prefix: true, nameEquals: name };
  }
  const serverSide = !k.namespaced || Boolean(o.namespace);
  if (!o.namePrefix) {
    return serverSide ? { kind: k, key: `${nsBase}${name}`, prefix: false } : { kind: k, key: base, prefix: true, nameEquals: name };
  }
  return serverSide ? { kind: k, key: `${nsBase}${name}`, prefix: true } : { kind: k, key: base, prefix: true, nameStartsWith: name };
}
