/**
 * `calico-datastore/testing`: an in-memory datastore for testing code that uses
 * calico-datastore, with controls to seed data, inject failures, compact history and drop watch
 * streams.
 *
 * ## Example
 * ```ts
 * import { createMemoryBackend } from 'calico-datastore/testing';
 * import { UnavailableError } from 'calico-datastore';
 *
 * const backend = createMemoryBackend({
 *   objects: [{ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-a' }, spec: { cidr: '10.0.0.0/16' } }],
 * });
 * backend.failNext('list', new UnavailableError('etcd is down'));
 * ```
 *
 * @see docs/testing.md
 * @packageDocumentation
 */
import { randomUUID } from './lazy-builtins.js';
import type { Backend, KVPair, ResourceObject } from './backends/backend.js';
import { keyOfObject, normalizeKey } from './backends/memory/keys.js';
import type { SeedInput } from './backends/memory/types.js';
import { formatTimestamp } from './model/timestamp.js';

export { createMemoryBackend, MEMORY_CAPABILITIES, MEMORY_OPERATIONS, storageKeyOf, keyOfObject, DEFAULT_ALLOW_PROFILE } from './backends/memory/index.js';
export type { FailNextOptions, MemoryBackend, MemoryBackendOptions, MemoryOperation, SeedInput } from './backends/memory/index.js';
export { withInterceptors } from './testing/interceptors.js';
export { runBackendConformance } from './testing/conformance/suite.js';
export { CONFORMANCE_NAMESPACES } from './testing/conformance/fixtures.js';
export type { ConformanceTarget } from './testing/conformance/context.js';
export type { ConformanceMatchers, ConformanceTestApi } from './testing/conformance/test-api.js';
export type { BackendInterceptors } from './testing/interceptors.js';

/** Options of {@link seedBackend}. */
export interface SeedBackendOptions {
  /**
   * Give objects without `metadata.uid` / `metadata.creationTimestamp` one, as the client does
   * on create.
   * @default true
   */
  stamp?: boolean;
}

/**
 * Creates objects in any {@link Backend} (memory, etcd, Kubernetes), in order, through
 * `backend.create`. Unlike `MemoryBackend.seed` it fails with AlreadyExists when an object is
 * already stored, and it goes through the backend's own write path (and its injected failures).
 *
 * ## Example
 * ```ts
 * const backend = createMemoryBackend();
 * const [pool] = await seedBackend(backend, [
 *   { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-a' }, spec: { cidr: '10.0.0.0/16' } },
 * ]);
 * pool.revision; // '2'
 * ```
 *
 * @param backend Any backend.
 * @param objects Objects, or explicit key/value pairs for storage names that differ from `metadata.name`.
 * @param options See {@link SeedBackendOptions}.
 * @return The created pairs, in order.
 */
export async function seedBackend(backend: Backend, objects: readonly SeedInput[], options: SeedBackendOptions = {}): Promise<KVPair[]> {
  const out: KVPair[] = [];
  for (const input of objects) {
    const keyed = 'key' in input && 'value' in input && !('metadata' in input);
    const key = keyed ? normalizeKey(input.key) : keyOfObject(input as ResourceObject);
    const source = keyed ? input.value : (input as ResourceObject);
    const value: ResourceObject = options.stamp === false ? source : { ...source, metadata: { ...source.metadata } };
    if (options.stamp !== false) {
      value.metadata.uid ||= randomUUID();
      value.metadata.creationTimestamp ||= formatTimestamp();
    }
    out.push(await backend.create({ key, value }));
  }
  return out;
}
