/**
 * Public types of the memory backend: its options and the test controls it adds to
 * {@link Backend}.
 *
 * @module
 */
import type { Backend, KVPair, ResourceKey, ResourceObject, Revision } from '../backend.js';
import type { CalicoError } from '../../errors.js';
import type { FailNextOptions, MemoryOperation } from './faults.js';

/** An object to seed: a bare object (stored under its kind, namespace and name) or an explicit key and value. */
export type SeedInput = ResourceObject | { key: ResourceKey; value: ResourceObject };

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /**
   * How many recent revisions stay readable (`get`/`list` at a revision, `watch` from a
   * revision, `continue` tokens). Older revisions fail with Expired, as after etcd compaction.
   * @default 1000
   */
  historyWindow?: number;
  /**
   * Objects to store at start-up, as {@link MemoryBackend.seed} would.
   * @default []
   */
  objects?: readonly SeedInput[];
  /**
   * Source of the `metadata.uid` given to seeded and built-in objects that lack one.
   * @default crypto.randomUUID
   */
  uid?: () => string;
  /**
   * Clock for the `metadata.creationTimestamp` given to seeded and built-in objects that lack one.
   * @default () => new Date()
   */
  now?: () => Date;
}

/**
 * The in-memory datastore: a full {@link Backend} plus controls for tests. The controls are
 * deliberately not part of `Backend`; production code never sees them.
 */
export interface MemoryBackend extends Backend {
  /**
   * The store's current revision (`"1"` on a fresh store; each successful write adds one).
   *
   * @return The revision as a decimal string.
   */
  currentRevision(): Revision;
  /**
   * Makes every revision before `revision` unavailable, as etcd compaction does: reads at it,
   * watches from it and continue tokens pinned to it fail with Expired. Open watches are not
   * affected.
   *
   * @param revision The oldest revision to keep; defaults to the current one.
   */
  compact(revision?: Revision): void;
  /**
   * Makes the next call of `operation` fail with `error` (once, or `options.times` times).
   * A failed `watch` errors its Observable on subscribe. Queued failures are used in order.
   *
   * ## Example
   * ```ts
   * backend.failNext('update', new UnavailableError('etcd timed out'));
   * await expect(client.ipPools.update(pool)).rejects.toThrow(UnavailableError);
   * ```
   *
   * @param operation The operation to fail.
   * @param error The error it rejects with.
   * @param options When and how often.
   */
  failNext(operation: MemoryOperation, error: CalicoError, options?: FailNextOptions): void;
  /** Completes every open watch stream, as a server disconnect would. Consumers should resume from their last event revision. */
  dropWatches(): void;
  /**
   * Stores objects unconditionally (create or replace), one revision each, and notifies watches.
   * An object without `metadata.uid` or `metadata.creationTimestamp` gets one, as the client
   * would have written it. Injected failures do not apply.
   *
   * @param objects Objects, or explicit key/value pairs for storage names that differ from `metadata.name`.
   * @return The stored pairs, in order.
   * @throws ValidationError when an object has no kind or name, or a namespaced kind no namespace.
   */
  seed(objects: readonly SeedInput[]): KVPair[];
  /**
   * How many watch streams are open on the backend side. Drops to zero when every subscriber has
   * unsubscribed or every stream has ended.
   *
   * @return The count.
   */
  openWatchCount(): number;
  /**
   * Every stored key in the etcd layout, sorted (diagnostics).
   *
   * @return Keys such as `/calico/resources/v3/projectcalico.org/ippools/pool-a`.
   */
  storageKeys(): string[];
}
