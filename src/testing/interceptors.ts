/**
 * `withInterceptors`: fault injection for any {@link Backend}, after controller-runtime's
 * `interceptor.Funcs`. Each hook replaces one operation and receives the wrapped backend, so it
 * can call through, fail, delay, or change the arguments or the result.
 *
 * @module
 */
import { defer, type Observable } from 'rxjs';
import type { Backend, BackendEvent, CreateOptions, DeletePreconditions, KVPair, KVPairList, ListRequest, ResourceKey, ResourceObject, Revision, WatchRequest } from '../backends/backend.js';

/**
 * Per-operation hooks of {@link withInterceptors}. Each receives the wrapped backend first and
 * the operation's own arguments after it; an operation without a hook goes straight through.
 */
export interface BackendInterceptors {
  /** Replaces `create`. */
  create?(backend: Backend, kv: { key: ResourceKey; value: ResourceObject }, options?: CreateOptions): Promise<KVPair>;
  /** Replaces `update`. */
  update?(backend: Backend, kv: KVPair): Promise<KVPair>;
  /** Replaces `updateStatus`. */
  updateStatus?(backend: Backend, kv: KVPair): Promise<KVPair>;
  /** Replaces `delete`. */
  delete?(backend: Backend, key: ResourceKey, preconditions?: DeletePreconditions): Promise<KVPair>;
  /** Replaces `get`. */
  get?(backend: Backend, key: ResourceKey, options?: { revision?: Revision }): Promise<KVPair>;
  /** Replaces `list`. */
  list?(backend: Backend, request: ListRequest): Promise<KVPairList>;
  /** Replaces `watch`; called on each subscription. */
  watch?(backend: Backend, request: WatchRequest): Observable<BackendEvent>;
  /** Replaces `ensureInitialized`. */
  ensureInitialized?(backend: Backend): Promise<void>;
  /** Replaces `close`. */
  close?(backend: Backend): Promise<void>;
}

/**
 * Wraps a backend so that the given hooks run instead of its operations. The result is a
 * {@link Backend} with the same capabilities; pass it to `createClient({ backend })` or to code
 * under test. A hook that throws synchronously rejects, as the operation would.
 *
 * ## Example
 * ```ts
 * import { UnavailableError } from 'calico-datastore';
 * import { createMemoryBackend, withInterceptors } from 'calico-datastore/testing';
 *
 * let writes = 0;
 * const flaky = withInterceptors(createMemoryBackend(), {
 *   // The second write fails; every other call goes through.
 *   create: (backend, kv, options) => (++writes === 2 ? Promise.reject(new UnavailableError('injected')) : backend.create(kv, options)),
 * });
 * ```
 *
 * @param backend Any backend: memory, etcd, Kubernetes or your own.
 * @param hooks The operations to replace.
 * @return The wrapped backend.
 */
export function withInterceptors(backend: Backend, hooks: BackendInterceptors): Backend {
  const run = <R>(call: () => Promise<R>): Promise<R> => {
    try {
      return call();
    } catch (e) {
      return Promise.reject(e as Error);
    }
  };
  return {
    get capabilities() {
      return backend.capabilities;
    },
    create: <T extends ResourceObject>(kv: { key: ResourceKey; value: T }, options?: CreateOptions) =>
      run(() => (hooks.create ? (hooks.create(backend, kv, options) as Promise<KVPair<T>>) : backend.create(kv, options))),
    update: <T extends ResourceObject>(kv: KVPair<T>) => run(() => (hooks.update ? (hooks.update(backend, kv) as Promise<KVPair<T>>) : backend.update(kv))),
    updateStatus: <T extends ResourceObject>(kv: KVPair<T>) => run(() => (hooks.updateStatus ? (hooks.updateStatus(backend, kv) as Promise<KVPair<T>>) : backend.updateStatus(kv))),
    delete: <T extends ResourceObject>(key: ResourceKey, preconditions?: DeletePreconditions) =>
      run(() => (hooks.delete ? (hooks.delete(backend, key, preconditions) as Promise<KVPair<T>>) : backend.delete<T>(key, preconditions))),
    get: <T extends ResourceObject>(key: ResourceKey, options?: { revision?: Revision }) =>
      run(() => (hooks.get ? (hooks.get(backend, key, options) as Promise<KVPair<T>>) : backend.get<T>(key, options))),
    list: <T extends ResourceObject>(request: ListRequest) => run(() => (hooks.list ? (hooks.list(backend, request) as Promise<KVPairList<T>>) : backend.list<T>(request))),
    watch: <T extends ResourceObject>(request: WatchRequest) =>
      hooks.watch ? defer(() => (hooks.watch as NonNullable<BackendInterceptors['watch']>)(backend, request) as Observable<BackendEvent<T>>) : backend.watch<T>(request),
    ensureInitialized: () => run(() => (hooks.ensureInitialized ? hooks.ensureInitialized(backend) : backend.ensureInitialized())),
    close: () => run(() => (hooks.close ? hooks.close(backend) : backend.close())),
  };
}
