/**
 * `createMemoryBackend`: the in-memory datastore with etcd semantics, the reference every other
 * backend is checked against by the conformance suite.
 *
 * @module
 */
import { randomUUID } from '../../lazy-builtins.js';
import type { BackendCapabilities, CreateGuard, CreateOptions, DeletePreconditions, KVPair, KVPairList, ListRequest, ResourceKey, ResourceObject } from '../backend.js';
import { AlreadyExistsError, ConflictError, NotFoundError, NotSupportedError, UnavailableError, ValidationError } from '../../errors.js';
import { parseLabelSelector } from '../label-selector.js';
import { defaultAllowProfile, initialObjects, isDefaultAllowProfile, DEFAULT_ALLOW_PROFILE } from '../builtins.js';
import { createFaultQueue, type Fault, type MemoryOperation } from './faults.js';
import { compileFilter, parseRevision } from './filter.js';
import { keyOfObject, normalizeKey, storageKeyOf } from './keys.js';
import { identifierOf } from '../key-identifier.js';
import { assertReadable, entryToKVPair, listEntries } from './list.js';
import { createRevisionStore, type Entry } from './store.js';
import { toStoredValue, withStatus, type StoredValue } from './stored-value.js';
import type { MemoryBackend, MemoryBackendOptions, SeedInput } from './types.js';
import { assertValueFitsKey } from '../value-key.js';
import { createWatch, createWatchRegistry } from './watch.js';
import { formatTimestamp } from '../../model/timestamp.js';

/** What the memory backend supports: everything etcd does, and no bookmarks. */
export const MEMORY_CAPABILITIES: BackendCapabilities = Object.freeze({
  name: 'memory',
  previousOnModified: true,
  exactRevisionReads: true,
  nodeLifecycle: true,
  workloadEndpointWrites: true,
  bookmarks: false,
  atomicCreateGuards: true,
});

const READS: ReadonlySet<MemoryOperation> = new Set(['get', 'list', 'watch']);

function requireRevision(revision: string | undefined, path: string): number {
  const r = parseRevision(revision, path);
  if (r === undefined) throw new ValidationError([{ path, type: 'required', message: 'a revision is required to update' }]);
  return r;
}

function requireObject(value: unknown, key: ResourceKey): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError([{ path: 'value', type: 'required', message: 'an object is required' }], { identifier: identifierOf(key) });
  }
}

/** A caller's value as stored under `key`: checked to fit the key, with the key's name and namespace. */
function valueFor(key: ResourceKey, value: unknown): StoredValue {
  assertValueFitsKey(key, value);
  return toStoredValue(value, key);
}

function rejectSynthetic(key: ResourceKey, operation: string): void {
  if (isDefaultAllowProfile(key)) {
    throw new NotSupportedError(operation, { identifier: identifierOf(key), reason: 'the default-allow profile is synthesised by the datastore' });
  }
}

function isKeyedSeed(input: SeedInput): input is { key: ResourceKey; value: ResourceObject } {
  return 'key' in input && 'value' in input && !('metadata' in input);
}

/**
 * Creates an empty in-memory datastore (plus any `options.objects`).
 *
 * It follows etcd: one global revision (1 when empty, +1 per successful write), an object's
 * revision is the revision of its last write, create/update/delete preconditions as etcd
 * transactions, reads and watches at any revision of the last `historyWindow`, Expired before
 * that. Values are deep-copied in and out. The controls of {@link MemoryBackend} (compact,
 * injected failures, dropped watches, seeding) exist for tests.
 *
 * ## Example
 * ```ts
 * import { createMemoryBackend } from 'calico-datastore/testing';
 * const backend = createMemoryBackend();
 * const created = await backend.create({
 *   key: { kind: 'IPPool', name: 'pool-a' },
 *   value: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-a' }, spec: { cidr: '10.0.0.0/16' } },
 * });
 * created.revision; // '2'
 * ```
 *
 * @param options See {@link MemoryBackendOptions}.
 * @return The backend with its test controls.
 * @throws ValidationError naming `historyWindow` or a seeded object's field.
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): MemoryBackend {
  const historyWindow = options.historyWindow ?? 1000;
  if (!Number.isSafeInteger(historyWindow) || historyWindow < 0) {
    throw new ValidationError([{ path: 'historyWindow', type: 'invalid', message: 'must be a non-negative integer' }]);
  }
  const store = createRevisionStore(historyWindow);
  const registry = createWatchRegistry();
  const faults = createFaultQueue();
  const newUid = options.uid ?? randomUUID;
  const stamp = {
    uid: () => newUid(),
    now: () => formatTimestamp(options.now?.()),
  };
  let closed = false;

  const commit = (key: ResourceKey, value: StoredValue | undefined): Entry | undefined => {
    const change = store.write(key, storageKeyOf(key), value);
    registry.publish(change);
    return change.next;
  };

  /** Checks the backend is open and takes the next injected failure; "before" failures throw here. */
  const begin = (operation: MemoryOperation): Fault | undefined => {
    if (closed) throw new UnavailableError('the memory backend is closed');
    const fault = faults.take(operation);
    if (fault && (fault.when === 'before' || READS.has(operation))) throw fault.error;
    return fault;
  };
  const finish = <R>(fault: Fault | undefined, result: R): R => {
    if (fault) throw fault.error;
    return result;
  };

  const prepareSeed = (input: SeedInput): { key: ResourceKey; value: StoredValue } => {
    const { key, value } = isKeyedSeed(input) ? { key: normalizeKey(input.key), value: input.value } : { key: keyOfObject(input), value: input };
    requireObject(value, key);
    const stored = toStoredValue(value) as ResourceObject;
    const metadata = { ...stored.metadata };
    metadata.uid ||= stamp.uid();
    metadata.creationTimestamp ||= stamp.now();
    return { key, value: toStoredValue({ ...stored, metadata }) };
  };

  /** Throws when an object the guard looks for was created after its revision (the store cannot change meanwhile: this runs in the same step as the write). */
  const checkGuard = (guard: CreateGuard, key: ResourceKey): void => {
    const since = parseRevision(guard.revision, 'guard.revision');
    if (since === undefined) throw new ValidationError([{ path: 'guard.revision', type: 'required', message: 'a guard needs the revision its check read at' }]);
    const filter = compileFilter({ kind: guard.kind });
    for (const entry of store.snapshot(store.current(), filter.prefix)) {
      if (entry.createRevision <= since || !filter.matchesKey(entry)) continue;
      const pair = entryToKVPair(entry);
      if (!guard.conflicts || guard.conflicts(pair.value)) throw new ConflictError(identifierOf(key), { reason: 'ConcurrentCreate', current: pair });
    }
  };

  const backend: MemoryBackend = {
    capabilities: MEMORY_CAPABILITIES,

    async create<T extends ResourceObject>(kv: { key: ResourceKey; value: T }, options: CreateOptions = {}): Promise<KVPair<T>> {
      const fault = begin('create');
      const key = normalizeKey(kv?.key);
      rejectSynthetic(key, 'Create');
      const value = valueFor(key, kv.value);
      const existing = store.live(storageKeyOf(key));
      if (existing) throw new AlreadyExistsError(identifierOf(key), { current: entryToKVPair(existing) });
      if (options?.guard) checkGuard(options.guard, key);
      return finish(fault, entryToKVPair<T>(commit(key, value) as Entry));
    },

    async update<T extends ResourceObject>(kv: KVPair<T>): Promise<KVPair<T>> {
      const fault = begin('update');
      const key = normalizeKey(kv?.key);
      rejectSynthetic(key, 'Update');
      const revision = requireRevision(kv.revision, 'metadata.resourceVersion');
      const value = valueFor(key, kv.value);
      const existing = store.live(storageKeyOf(key));
      if (!existing) throw new NotFoundError(identifierOf(key));
      if (existing.modRevision !== revision) throw new ConflictError(identifierOf(key), { current: entryToKVPair(existing) });
      return finish(fault, entryToKVPair<T>(commit(key, value) as Entry));
    },

    async updateStatus<T extends ResourceObject>(kv: KVPair<T>): Promise<KVPair<T>> {
      const fault = begin('updateStatus');
      const key = normalizeKey(kv?.key);
      rejectSynthetic(key, 'UpdateStatus');
      const revision = requireRevision(kv.revision, 'metadata.resourceVersion');
      assertValueFitsKey(key, kv.value);
      const existing = store.live(storageKeyOf(key));
      if (!existing) throw new NotFoundError(identifierOf(key));
      if (existing.modRevision !== revision) throw new ConflictError(identifierOf(key), { current: entryToKVPair(existing) });
      const value = withStatus(existing.value, (kv.value as { status?: unknown }).status);
      return finish(fault, entryToKVPair<T>(commit(key, value) as Entry));
    },

    async delete<T extends ResourceObject>(rawKey: ResourceKey, preconditions: DeletePreconditions = {}): Promise<KVPair<T>> {
      const fault = begin('delete');
      const key = normalizeKey(rawKey);
      rejectSynthetic(key, 'Delete');
      const revision = parseRevision(preconditions.revision, 'preconditions.revision');
      const existing = store.live(storageKeyOf(key));
      if (!existing) throw new NotFoundError(identifierOf(key));
      if (revision !== undefined && existing.modRevision !== revision) {
        throw new ConflictError(identifierOf(key), { current: entryToKVPair(existing) });
      }
      if (preconditions.uid && existing.value.metadata.uid !== preconditions.uid) {
        throw new ConflictError(identifierOf(key), { reason: 'UIDMismatch', current: entryToKVPair(existing) });
      }
      commit(key, undefined);
      return finish(fault, entryToKVPair<T>(existing));
    },

    async get<T extends ResourceObject>(rawKey: ResourceKey, opts: { revision?: string } = {}): Promise<KVPair<T>> {
      begin('get');
      const key = normalizeKey(rawKey);
      if (isDefaultAllowProfile(key)) return defaultAllowProfile() as KVPair<T>;
      const revision = parseRevision(opts.revision, 'revision');
      if (revision !== undefined) assertReadable(store, revision, 'get');
      const sk = storageKeyOf(key);
      const entry = revision === undefined ? store.live(sk) : store.at(sk, revision);
      if (!entry) throw new NotFoundError(identifierOf(key));
      return entryToKVPair<T>(entry);
    },

    async list<T extends ResourceObject>(request: ListRequest): Promise<KVPairList<T>> {
      begin('list');
      const page = listEntries<T>(store, request);
      if (request.kind === 'Profile' && page.continue === undefined) {
        const name = request.name ?? '';
        const nameOk = name === '' || (request.namePrefix ? DEFAULT_ALLOW_PROFILE.startsWith(name) : DEFAULT_ALLOW_PROFILE === name);
        const labelsOk = !request.labelSelector?.trim() || parseLabelSelector(request.labelSelector).matches({});
        if (nameOk && labelsOk) page.items.push(defaultAllowProfile() as KVPair<T>);
      }
      return page;
    },

    watch(request) {
      return createWatch({
        store,
        registry,
        openError: () => (closed ? new UnavailableError('the memory backend is closed') : faults.take('watch')?.error),
      }, request);
    },

    async ensureInitialized() {
      if (closed) throw new UnavailableError('the memory backend is closed');
      for (const { key, value } of initialObjects(stamp)) {
        if (!store.live(storageKeyOf(key))) commit(key, toStoredValue(value));
      }
    },

    async close() {
      closed = true;
      registry.endAll();
    },

    currentRevision: () => String(store.current()),

    compact(revision) {
      const r = parseRevision(revision, 'revision') ?? store.current();
      if (r > store.current()) {
        throw new ValidationError([{ path: 'revision', type: 'invalid', message: `cannot compact beyond the current revision ${store.current()}` }]);
      }
      store.compact(r);
    },

    failNext: (operation, error, failOptions) => faults.add(operation, error, failOptions),

    dropWatches: () => registry.endAll(),

    seed(objects) {
      if (closed) throw new UnavailableError('the memory backend is closed');
      const prepared = objects.map(prepareSeed);
      return prepared.map(({ key, value }) => entryToKVPair(commit(key, value) as Entry));
    },

    openWatchCount: () => registry.open.size,

    storageKeys: () => [...store.keys()],
  };

  if (options.objects && options.objects.length > 0) backend.seed(options.objects);
  return backend;
}
