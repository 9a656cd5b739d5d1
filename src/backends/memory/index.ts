/**
 * The in-memory backend: etcd semantics without etcd, for tests and examples.
 *
 * @module
 */
export { createMemoryBackend, MEMORY_CAPABILITIES } from './memory-backend.js';
export { MEMORY_OPERATIONS } from './faults.js';
export type { FailNextOptions, MemoryOperation } from './faults.js';
export type { MemoryBackend, MemoryBackendOptions, SeedInput } from './types.js';
export { storageKeyOf, pluralOf, keyOfObject, RESOURCE_KEY_PREFIX } from './keys.js';
export { DEFAULT_ALLOW_PROFILE } from '../builtins.js';
