/**
 * The backend conformance suite: the invariants of backends.md §1.4–1.6, §4.3 and §7 that every
 * backend (memory, etcd, Kubernetes) must hold. Each backend's test file calls
 * {@link runBackendConformance} with a factory; where a backend lacks a capability the suite
 * asserts the NotSupported error or the documented difference instead of skipping.
 *
 * ## Example
 * ```ts
 * runBackendConformance('memory', async () => {
 *   const backend = createMemoryBackend();
 *   return { backend, compact: async () => backend.compact(), cleanup: () => backend.close(), openWatches: async () => backend.openWatchCount() };
 * });
 * ```
 *
 * Objects are IPPools, GlobalNetworkPolicies and NetworkPolicies (stored as full objects by every
 * backend), named with a per-test prefix so targets may share one datastore. NetworkPolicies go to
 * the namespaces of {@link CONFORMANCE_NAMESPACES}, which a Kubernetes target must create.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { registerCapabilityCases } from './capability-cases.js';
import type { ConformanceTarget, SuiteContext } from './context.js';
import { runId } from './fixtures.js';
import { registerGuardCases } from './guard-cases.js';
import { registerListCases } from './list-cases.js';
import { registerWatchCases } from './watch-cases.js';
import { registerWriteCases } from './write-cases.js';

export type { ConformanceTarget } from './context.js';
export { CONFORMANCE_NAMESPACES } from './fixtures.js';

/**
 * Registers the conformance suite for one backend.
 *
 * @param name Backend name shown in the test titles.
 * @param factory Creates a fresh target for each test.
 */
export function runBackendConformance(name: string, factory: () => Promise<ConformanceTarget>): void {
  describe(`backend conformance: ${name}`, () => {
    let current: ConformanceTarget | undefined;
    let run = '';
    beforeEach(async () => {
      current = await factory();
      run = runId();
    });
    afterEach(async () => {
      const t = current;
      current = undefined;
      await t?.cleanup();
    });
    const target = (): ConformanceTarget => {
      if (!current) throw new Error('no conformance target: the factory did not run');
      return current;
    };
    const ctx: SuiteContext = { target, backend: () => target().backend, run: () => run };
    describe('writes', () => registerWriteCases(ctx));
    describe('list', () => registerListCases(ctx));
    describe('watch', () => registerWatchCases(ctx));
    describe('create guards', () => registerGuardCases(ctx));
    describe('capabilities', () => registerCapabilityCases(ctx));
  });
}
