/**
 * The published conformance suite (`calico-datastore/testing`), run under vitest by this
 * project's backend tests.
 *
 * ## Example
 * ```ts
 * runBackendConformance('memory', async () => {
 *   const backend = createMemoryBackend();
 *   return { backend, compact: async () => backend.compact(), cleanup: () => backend.close(), openWatches: async () => backend.openWatchCount() };
 * });
 * ```
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBackendConformance as runUnder, type ConformanceTarget } from '../../src/testing.js';

export type { ConformanceTarget } from '../../src/testing.js';
export { CONFORMANCE_NAMESPACES } from '../../src/testing.js';

/**
 * Registers the conformance suite for one backend under vitest.
 *
 * @param name Backend name shown in the test titles.
 * @param factory Creates a fresh target for each test.
 */
export function runBackendConformance(name: string, factory: () => Promise<ConformanceTarget>): void {
  runUnder({ describe, it, expect, beforeEach, afterEach }, name, factory);
}
