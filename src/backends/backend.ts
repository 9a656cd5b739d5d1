/**
 * The storage interface every datastore implements (memory, etcd, Kubernetes).
 *
 * A backend moves whole `projectcalico.org/v3` objects with their revisions. It enforces storage
 * preconditions (exists / does not exist / revision / uid) and nothing else: defaulting,
 * validation, owned labels and tier checks live in the client above it.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import type { CalicoError } from '../errors.js';

/** Opaque revision string. Compare only for equality; never parse. */
export type Revision = string;

/** Storage identity of one resource. `name` is the *storage* name (legacy policies may differ from `metadata.name`). */
export interface ResourceKey {
  /** Kind, for example `IPPool`. */
  kind: string;
  /** Namespace, for namespaced kinds only. */
  namespace?: string;
  /** Storage name (etcd key segment or Kubernetes object name). */
  name: string;
}

/** The minimal shape a backend needs of a stored object. */
export interface ResourceObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string | null;
    generateName?: string;
    selfLink?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: unknown;
  status?: unknown;
}

/** One stored resource with its revision. `value.metadata.resourceVersion` equals `revision` on every read. */
export interface KVPair<T extends ResourceObject = ResourceObject> {
  /** Storage identity. */
  key: ResourceKey;
  /** The full v3 object. */
  value: T;
  /** The backend's version of this object. */
  revision: Revision;
}

/** Result of a list: the items and the store revision they are consistent with. */
export interface KVPairList<T extends ResourceObject = ResourceObject> {
  /** Matching items, in key order. */
  items: KVPair<T>[];
  /** Pass to `watch` to receive exactly the changes after this list. */
  revision: Revision;
  /** Present when more items remain: pass back as `continue` to read the next page. */
  continue?: string;
}

/** Filters shared by `list` and `watch`. */
export interface ListOptions {
  /** Kind to list. */
  kind: string;
  /** Namespace; empty or absent on a namespaced kind means all namespaces. */
  namespace?: string;
  /** Exact storage name, or a prefix when `namePrefix` is true. */
  name?: string;
  /**
   * Treat `name` as a prefix.
   * @default false
   */
  namePrefix?: boolean;
  /** Kubernetes label-selector syntax (`a=b,c in (d),!e`). */
  labelSelector?: string;
}

/** Options of `list`. */
export interface ListRequest extends ListOptions {
  /** Read at this revision (backend-dependent support; see {@link BackendCapabilities}). */
  revision?: Revision;
  /** Page size; absent means all items. */
  limit?: number;
  /** Token from a previous page's `continue`. */
  continue?: string;
}

/** Options of `watch`. */
export interface WatchRequest extends ListOptions {
  /** Deliver changes strictly after this revision. Absent: current state as ADDED first, then changes. */
  revision?: Revision;
  /**
   * Ask for BOOKMARK events where the backend has them.
   * @default false
   */
  allowBookmarks?: boolean;
}

/** An event of a backend watch. `revision` is always the revision at which the change happened. */
export type BackendEvent<T extends ResourceObject = ResourceObject> =
  | { type: 'ADDED' | 'MODIFIED'; object: KVPair<T>; previous?: KVPair<T>; revision: Revision }
  | { type: 'DELETED'; previous: KVPair<T>; revision: Revision }
  | { type: 'BOOKMARK'; revision: Revision }
  | { type: 'ERROR'; error: CalicoError };

/**
 * A precondition of `create` for a check that read other objects first (Calico's rule that IPPool
 * CIDRs do not overlap): the create fails with a ConflictError of reason `ConcurrentCreate` when
 * an object of `kind` for which `conflicts` holds was created after `revision`. A caller that
 * checks a list and then creates with the list's revision here cannot be beaten by a concurrent
 * create that its check would have refused.
 *
 * Only creations count (an update or a delete never breaks the guard): a check that depends on
 * fields that can change needs more than this.
 *
 * ## Example
 * ```ts
 * const pool: IPPool = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-b' }, spec: { cidr: '10.1.0.0/16' } };
 * const pools = await backend.list<IPPool>({ kind: 'IPPool' });
 * // ... check the new pool against pools.items, then write unless a conflicting pool came since:
 * const sameCidr = (other: ResourceObject) => (other as IPPool).spec.cidr === pool.spec.cidr;
 * await backend.create({ key: { kind: 'IPPool', name: 'pool-b' }, value: pool }, { guard: { kind: 'IPPool', revision: pools.revision, conflicts: sameCidr } });
 * ```
 */
export interface CreateGuard {
  /** The kind whose new objects are looked at. */
  kind: string;
  /** The revision the check read at (a list's `revision`). */
  revision: Revision;
  /**
   * Which new objects break the check, given as stored (with `metadata.resourceVersion`).
   * Absent: every new object of the kind. Must not throw.
   */
  conflicts?(value: ResourceObject): boolean;
}

/** Options of `create`. */
export interface CreateOptions {
  /** Fail instead of writing when the datastore changed in a way a check made before the write would refuse. */
  guard?: CreateGuard;
}

/** Preconditions of `delete`. */
export interface DeletePreconditions {
  /** Delete only if the stored revision equals this one (else Conflict). */
  revision?: Revision;
  /** Delete only if the stored uid equals this one (else Conflict with reason `UIDMismatch`). */
  uid?: string;
}

/** What a backend can and cannot do; the conformance suite and the client consult these. */
export interface BackendCapabilities {
  /** Short name, for example `memory`, `etcdv3`, `kubernetes`. */
  readonly name: string;
  /** MODIFIED events carry the prior state (etcd, memory: yes; Kubernetes: no). */
  readonly previousOnModified: boolean;
  /** `get`/`list` with a `revision` read exactly that past revision (etcd, memory) rather than "not older than" (Kubernetes). */
  readonly exactRevisionReads: boolean;
  /** Node objects can be created and deleted (false on Kubernetes, where Node is a view). */
  readonly nodeLifecycle: boolean;
  /** WorkloadEndpoint writes are full writes (false on Kubernetes: they patch the pod). */
  readonly workloadEndpointWrites: boolean;
  /** BOOKMARK events are produced when asked for. */
  readonly bookmarks: boolean;
  /**
   * A create's {@link CreateGuard} is checked in the same atomic step as the write (etcd: one
   * transaction; memory). False on Kubernetes, which has no multi-object transaction: the guard is
   * checked right after the write (from a watch of the kind since the guard's revision), and a
   * create that broke it is deleted again before the call rejects, so watchers can see it appear
   * and go.
   */
  readonly atomicCreateGuards: boolean;
}

/**
 * The datastore interface. Every method rejects with the typed errors of `errors.ts` only.
 *
 * `watch` returns a cold Observable: subscribing opens one server stream, unsubscribing closes it.
 * It completes when the server ends the stream, emits an ERROR event for per-event problems
 * (a value that does not decode, a revision that is gone), and errors only when the stream cannot
 * be opened.
 */
export interface Backend {
  /** What this backend supports. */
  readonly capabilities: BackendCapabilities;
  /** Stores a new object; rejects AlreadyExists when the key is taken, Conflict (`ConcurrentCreate`) when `options.guard` is broken. */
  create<T extends ResourceObject>(kv: { key: ResourceKey; value: T }, options?: CreateOptions): Promise<KVPair<T>>;
  /** Replaces an object if its revision still equals `kv.revision`; rejects NotFound or Conflict. */
  update<T extends ResourceObject>(kv: KVPair<T>): Promise<KVPair<T>>;
  /** Like `update`, but changes only `status` and keeps the stored spec and metadata. */
  updateStatus<T extends ResourceObject>(kv: KVPair<T>): Promise<KVPair<T>>;
  /** Deletes an object and returns it as it was; rejects NotFound or Conflict. */
  delete<T extends ResourceObject>(key: ResourceKey, preconditions?: DeletePreconditions): Promise<KVPair<T>>;
  /** Reads one object; rejects NotFound. */
  get<T extends ResourceObject>(key: ResourceKey, options?: { revision?: Revision }): Promise<KVPair<T>>;
  /** Lists objects; an empty result is not an error. */
  list<T extends ResourceObject>(request: ListRequest): Promise<KVPairList<T>>;
  /** Streams changes; see the interface notes. */
  watch<T extends ResourceObject>(request: WatchRequest): Observable<BackendEvent<T>>;
  /** Creates what a fresh datastore needs (built-in tiers, cluster information). Idempotent. */
  ensureInitialized(): Promise<void>;
  /** Stops every watch and releases connections. */
  close(): Promise<void>;
}
