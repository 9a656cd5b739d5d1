/**
 * The typed accessor for one kind (`client.ipPools`, `client.networkPolicies`, …): every write goes
 * defaults → validation → datastore checks → backend, and every read gets the kind's read-defaults.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { defer, filter, map, switchMap } from '../rx.js';
import type { Backend, BackendEvent, KVPair, ResourceKey, ResourceObject, WatchRequest } from '../backends/backend.js';
import { ValidationError, isConflict, isParseError, type FieldError, type ParseError, type ResourceIdentifier } from '../errors.js';
import { applyDefaultsUnguarded as applyDefaults } from '../model/defaults.js';
import { documentShapeError, plainDataError, readOptions } from '../model/input-guard.js';
import { validateUnguarded as validate } from '../model/validate.js';
import { serializeResourceUnguarded as serializeResource } from '../model/serialize.js';
import type { KindBehaviour, KindContext } from './kind-behaviour.js';
import { assignCreateMetadata, checkCreateMetadata, checkUpdateMetadata } from './write-metadata.js';
import { resumableWatch } from '../watch/resumable-watch.js';
import { toWatchEvents, type WatchEvent } from '../watch/events.js';
import type { SyncSource } from '../watch/sync-types.js';

/** Names one object. `namespace` is required for namespaced kinds. */
export interface ObjectRef {
  /** `metadata.name`. */
  name: string;
  /** `metadata.namespace` (namespaced kinds only). */
  namespace?: string;
}

/** A delete: the object and optional preconditions. */
export interface DeleteOptions extends ObjectRef {
  /** Delete only if the stored `resourceVersion` still equals this one (else ConflictError). */
  resourceVersion?: string;
  /** Delete only if the stored `uid` equals this one (else ConflictError, reason `UIDMismatch`). */
  uid?: string;
}

/** Options of `list`. */
export interface ListResourcesOptions {
  /** Only this namespace (namespaced kinds); absent means all namespaces. */
  namespace?: string;
  /** Kubernetes label-selector syntax, for example `app=web,tier in (a,b)`. */
  labelSelector?: string;
  /** Page size. Absent: every item. */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
}

/** A page of objects and the revision it is consistent with. */
export interface ResourceList<T> {
  /** The objects, each with its `metadata.resourceVersion`. */
  items: T[];
  /** The store revision of this list; pass it to `watch` to get exactly the later changes. */
  resourceVersion: string;
  /** Present when more items remain. */
  continue?: string;
}

/** Options of `watch`. */
export interface WatchResourcesOptions {
  /** Only this namespace (namespaced kinds). */
  namespace?: string;
  /** Only the object with this name. */
  name?: string;
  /** Changes strictly after this revision; absent: current objects as `added`, then changes. */
  resourceVersion?: string;
  /** Kubernetes label-selector syntax. */
  labelSelector?: string;
  /**
   * Called for a stored value that cannot be decoded; the watch goes on. Without it, such a value
   * errors the stream with the ParseError (it is never dropped silently).
   */
  onParseError?: (error: ParseError) => void;
}

/**
 * Typed access to one kind.
 *
 * Every method checks its input first (see `model/input-guard.ts`): a document that is not plain
 * JSON data within the input limits, or an option of the wrong type, is refused with a
 * ValidationError naming its path (`spec.ingress[0]`, `metadata.name`, `options.limit`) before
 * anything is read or written.
 *
 * ## Example
 * ```ts
 * const pool = await client.ipPools.create({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16' } });
 * await client.ipPools.update({ ...pool, spec: { ...pool.spec, natOutgoing: true } });
 * ```
 */
export interface ResourceClient<T extends ResourceObject> {
  /** Stores a new object; rejects ValidationError, AlreadyExistsError, NotFoundError (missing tier), NotSupportedError. */
  create(obj: T): Promise<T>;
  /** Replaces an object; `metadata.resourceVersion` is required and must be current (else ConflictError). */
  update(obj: T): Promise<T>;
  /** Reads one object; rejects NotFoundError. */
  get(ref: ObjectRef): Promise<T>;
  /** Deletes one object and returns it as it was just before. */
  delete(options: DeleteOptions): Promise<T>;
  /** Lists objects. */
  list(options?: ListResourcesOptions): Promise<ResourceList<T>>;
  /**
   * Streams changes as a cold Observable. It resumes by itself after a dropped connection and errors
   * with ExpiredError when the revision it needs is gone (relist, or use `syncedCache`). Options of
   * the wrong type throw a ValidationError (`options.labelSelector: must be a string`) at once.
   */
  watch(options?: WatchResourcesOptions): Observable<WatchEvent<T>>;
  /** A list + watch source for `syncedCache`, with this kind's read-defaulting applied. */
  syncSource(options?: { namespace?: string; labelSelector?: string }): SyncSource<T>;
}

/** A {@link ResourceClient} for kinds with a `status` (IPPool, Node, Tier). */
export interface StatusResourceClient<T extends ResourceObject> extends ResourceClient<T> {
  /** Replaces only `status`; spec and metadata stay as stored. */
  updateStatus(obj: T): Promise<T>;
}

/** How often a create refused by its guard is checked and tried again. */
const GUARDED_CREATE_ATTEMPTS = 5;

/** Page size used when a sync source lists a kind. */
const SYNC_PAGE_SIZE = 500;

/** The options each call reads, and their types: anything else given is not read. */
const REF_OPTIONS = { name: 'string', namespace: 'string' } as const;
const DELETE_OPTIONS = { ...REF_OPTIONS, resourceVersion: 'string', uid: 'string' } as const;
const LIST_OPTIONS = { namespace: 'string', labelSelector: 'string', limit: 'integer', continue: 'string' } as const;
const WATCH_OPTIONS = { namespace: 'string', name: 'string', resourceVersion: 'string', labelSelector: 'string', onParseError: 'function' } as const;
const SYNC_OPTIONS = { namespace: 'string', labelSelector: 'string' } as const;

/**
 * Refuses a document that is not plain JSON data within the input limits, or whose envelope the
 * accessor cannot read (see `model/input-guard.ts`), before anything else looks at it.
 */
function guardDocument(input: unknown): void {
  const error = plainDataError(input) ?? documentShapeError(input);
  if (error !== undefined) throw new ValidationError([error]);
}

/** Applies `present` to the objects an event carries. */
function presentEvent<T extends ResourceObject>(e: BackendEvent<T>, present: (kv: KVPair<T>) => T): BackendEvent<T> {
  const wrap = (kv: KVPair<T>): KVPair<T> => ({ ...kv, value: present(kv) });
  switch (e.type) {
    case 'ADDED':
    case 'MODIFIED':
      return e.previous ? { ...e, object: wrap(e.object), previous: wrap(e.previous) } : { ...e, object: wrap(e.object) };
    case 'DELETED':
      return { ...e, previous: wrap(e.previous) };
    default:
      return e;
  }
}

function copy<T>(v: T): T {
  return structuredClone(v);
}

/**
 * Builds the accessor of one kind over a backend.
 *
 * Reads and deletes use `getBackend`; create, update and updateStatus use `writableBackend`
 * (which may initialise the datastore) only once their input passed every offline check.
 *
 * @param behaviour The kind's hooks.
 * @param getBackend Resolves the (lazily created) backend.
 * @param contextFor Builds the hook context over that backend.
 * @param writableBackend Resolves the backend for a write, initialising the datastore first when the client does.
 */
export function createResourceClient<T extends ResourceObject>(
  behaviour: KindBehaviour<T>,
  getBackend: () => Promise<Backend>,
  contextFor: (backend: Backend) => KindContext,
  writableBackend: () => Promise<Backend> = getBackend,
): StatusResourceClient<T> {
  const { descriptor } = behaviour;
  const kind = descriptor.kind;

  const identify = (name: string, namespace?: string): ResourceIdentifier =>
    descriptor.namespaced ? { kind, namespace: namespace ?? '', name } : { kind, name };

  const keyOf = (ref: ObjectRef): ResourceKey => {
    const errors: FieldError[] = [];
    if (!ref?.name) errors.push({ path: 'name', type: 'required', message: `a ${kind} name is required` });
    if (descriptor.namespaced && !ref?.namespace) errors.push({ path: 'namespace', type: 'required', message: `${kind} is namespaced: a namespace is required` });
    if (!descriptor.namespaced && ref?.namespace) errors.push({ path: 'namespace', type: 'forbidden', message: `${kind} is cluster-scoped: it has no namespace` });
    if (errors.length > 0) throw new ValidationError(errors, { identifier: identify(ref?.name ?? '', ref?.namespace) });
    return descriptor.namespaced ? { kind, namespace: ref.namespace as string, name: ref.name } : { kind, name: ref.name };
  };

  /** A stored pair as the caller sees it: resourceVersion set, read-defaults applied. */
  const present = (kv: KVPair<T>): T => {
    const value = copy(kv.value);
    value.metadata = { ...value.metadata, resourceVersion: kv.revision };
    return behaviour.readDefaults ? behaviour.readDefaults(value) : value;
  };

  /** defaults → validate, throwing ValidationError with every failing field. */
  const prepare = (input: T, preErrors: FieldError[]): T => {
    // Validating an object of another kind would check the wrong rules: refuse it first.
    if (input?.kind !== undefined && input.kind !== kind) {
      throw new ValidationError([{ path: 'kind', type: 'invalid', message: `must be ${kind}` }], { identifier: identify(input.metadata?.name ?? '', input.metadata?.namespace) });
    }
    const defaulted = applyDefaults(copy(input));
    const result = validate(defaulted);
    const errors = [...preErrors, ...result.errors];
    if (errors.length > 0) throw new ValidationError(errors, { identifier: identify(defaulted.metadata?.name ?? input.metadata?.name ?? '', defaulted.metadata?.namespace) });
    return defaulted;
  };

  /** Opens one backend watch once the backend exists; unsubscribing closes it. */
  const backendWatch = (request: WatchRequest): Observable<BackendEvent<T>> => defer(() => getBackend()).pipe(switchMap((b) => b.watch<T>(request)));

  const fail = (obj: T, errors: FieldError[]): void => {
    if (errors.length > 0) throw new ValidationError(errors, { identifier: identify(obj.metadata.name ?? '', obj.metadata.namespace) });
  };

  const client: StatusResourceClient<T> = {
    async create(input) {
      guardDocument(input);
      behaviour.assertWritable?.(input, 'Create');
      const obj = prepare(input, checkCreateMetadata(input, behaviour.nameComputed ?? false));
      assignCreateMetadata(obj);
      const kv = { key: keyOf(obj.metadata as ObjectRef), value: serializeResource(obj) };
      const backend = await writableBackend();
      const ctx = contextFor(backend);
      // A create whose guard saw a conflicting create land first is checked again: the check then
      // normally refuses it, as it would have done had the other create come first.
      for (let attempt = 1; ; attempt++) {
        const check = await behaviour.checkCreate?.(obj, ctx);
        fail(obj, check?.errors ?? []);
        try {
          return present(await backend.create(kv, check?.guard ? { guard: check.guard } : undefined));
        } catch (e) {
          if (!(isConflict(e) && e.reason === 'ConcurrentCreate') || attempt >= GUARDED_CREATE_ATTEMPTS) throw e;
        }
      }
    },

    async update(input) {
      guardDocument(input);
      behaviour.assertWritable?.(input, 'Update');
      const obj = prepare(input, checkUpdateMetadata(input));
      const key = keyOf(obj.metadata as ObjectRef);
      const backend = await writableBackend();
      const ctx = contextFor(backend);
      const stored = await backend.get<T>(key);
      if (obj.metadata.uid && stored.value.metadata.uid && obj.metadata.uid !== stored.value.metadata.uid) {
        fail(obj, [{ path: 'metadata.uid', type: 'immutable', message: 'uid cannot be changed', value: obj.metadata.uid }]);
      }
      fail(obj, (await behaviour.checkUpdate?.(obj, present(stored), ctx)) ?? []);
      const revision = obj.metadata.resourceVersion as string;
      obj.metadata.uid = stored.value.metadata.uid ?? obj.metadata.uid;
      obj.metadata.creationTimestamp = stored.value.metadata.creationTimestamp ?? obj.metadata.creationTimestamp;
      delete obj.metadata.resourceVersion;
      delete obj.metadata.selfLink;
      // A spec update never changes status: keep exactly what is stored (updateStatus changes it).
      delete obj.status;
      const value = serializeResource(obj);
      if (stored.value.status !== undefined) value.status = copy(stored.value.status);
      const updated = await backend.update({ key: stored.key, value, revision });
      return present(updated);
    },

    async updateStatus(input) {
      guardDocument(input);
      const errors = checkUpdateMetadata(input);
      fail(input, errors);
      const key = keyOf(input.metadata as ObjectRef);
      const backend = await writableBackend();
      const stored = await backend.get<T>(key);
      const value = copy(stored.value);
      if (input.status === undefined) delete value.status;
      else value.status = copy(input.status);
      const updated = await backend.updateStatus({ key: stored.key, value, revision: input.metadata.resourceVersion as string });
      return present(updated);
    },

    async get(ref) {
      const key = keyOf(readOptions(ref, '', REF_OPTIONS) as ObjectRef);
      const backend = await getBackend();
      return present(await backend.get<T>(key));
    },

    async delete(given) {
      const options = readOptions(given, '', DELETE_OPTIONS) as DeleteOptions;
      const key = keyOf(options);
      behaviour.assertWritable?.({ metadata: { name: options.name, namespace: options.namespace } }, 'Delete');
      const backend = await getBackend();
      const request = { key, revision: options.resourceVersion, uid: options.uid };
      if (behaviour.delete) return present(await behaviour.delete(request, contextFor(backend)));
      return present(await backend.delete<T>(key, { revision: options.resourceVersion, uid: options.uid }));
    },

    async list(given) {
      const options = readOptions(given, 'options', LIST_OPTIONS) as ListResourcesOptions;
      if (!descriptor.namespaced && options.namespace) keyOf({ name: '-', namespace: options.namespace });
      const backend = await getBackend();
      const page = await backend.list<T>({
        kind,
        namespace: descriptor.namespaced ? options.namespace : undefined,
        labelSelector: options.labelSelector,
        limit: options.limit,
        continue: options.continue,
      });
      const result: ResourceList<T> = { items: page.items.map(present), resourceVersion: page.revision };
      if (page.continue) result.continue = page.continue;
      return result;
    },

    watch(given) {
      const options = readOptions(given, 'options', WATCH_OPTIONS) as WatchResourcesOptions;
      const request = { kind, namespace: descriptor.namespaced ? options.namespace : undefined, name: options.name, labelSelector: options.labelSelector };
      const onParseError = options.onParseError;
      return resumableWatch<T>((revision) => backendWatch({ ...request, revision }), { revision: options.resourceVersion }).pipe(
        filter((e) => {
          if (e.type === 'ERROR' && onParseError && isParseError(e.error)) {
            onParseError(e.error);
            return false;
          }
          return true;
        }),
        map((e) => presentEvent(e, present)),
        toWatchEvents<T>(),
      );
    },

    syncSource(given) {
      const options = readOptions(given, 'options', SYNC_OPTIONS) as { namespace?: string; labelSelector?: string };
      const filters = { kind, namespace: descriptor.namespaced ? options.namespace : undefined, labelSelector: options.labelSelector };
      return {
        kind,
        list: async () => {
          const backend = await getBackend();
          const items: KVPair<T>[] = [];
          let cont: string | undefined;
          let revision: string | undefined;
          do {
            const page = await backend.list<T>({ ...filters, limit: SYNC_PAGE_SIZE, continue: cont });
            for (const kv of page.items) items.push({ ...kv, value: present(kv) });
            revision ??= page.revision;
            cont = page.continue;
          } while (cont);
          return { items, revision: revision ?? '' };
        },
        watch: (revision: string) => backendWatch({ ...filters, revision, allowBookmarks: true }).pipe(map((e) => presentEvent(e, present))),
      };
    },
  };
  return client;
}
