/**
 * The backend conformance suite: the invariants every backend (memory, etcd, Kubernetes, or one
 * of your own) must hold — writes and their preconditions, lists and pages, watches and resume
 * points, create guards, and the documented capability differences. Where a backend lacks a
 * capability the suite asserts the NotSupported error or the documented difference instead of
 * skipping.
 *
 * Objects are IPPools, GlobalNetworkPolicies and NetworkPolicies (stored as full objects by every
 * backend), named with a per-test prefix so targets may share one datastore. NetworkPolicies go to
 * the namespaces of {@link CONFORMANCE_NAMESPACES}, which a Kubernetes target must create.
 *
 * @see docs/testing.md#checking-a-backend-of-your-own
 * @module
 */
import { registerCapabilityCases } from './capability-cases.js';
import type { ConformanceTarget, SuiteContext } from './context.js';
import { runId } from './fixtures.js';
import { registerGuardCases } from './guard-cases.js';
import { registerListCases } from './list-cases.js';
import { useTestApi, type ConformanceTestApi } from './test-api.js';
import { registerWatchCases } from './watch-cases.js';
import { registerWriteCases } from './write-cases.js';

/**
 * Registers the conformance suite for one backend, with the caller's test framework.
 *
 * ## Example
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * import { createMemoryBackend, runBackendConformance } from 'calico-datastore/testing';
 *
 * runBackendConformance({ describe, it, expect, beforeEach, afterEach }, 'memory', async () => {
 *   const backend = createMemoryBackend();
 *   return { backend, compact: async () => backend.compact(), cleanup: () => backend.close(), openWatches: async () => backend.openWatchCount() };
 * });
 * ```
 *
 * @param testApi `describe`, `it`, `expect`, `beforeEach` and `afterEach` of your test framework.
 * @param name Backend name shown in the test titles.
 * @param factory Creates a fresh target for each test.
 */
export function runBackendConformance(testApi: ConformanceTestApi, name: string, factory: () => Promise<ConformanceTarget>): void {
  useTestApi(testApi);
  testApi.describe(`backend conformance: ${name}`, () => {
    let current: ConformanceTarget | undefined;
    let run = '';
    testApi.beforeEach(async () => {
      current = await factory();
      run = runId();
    });
    testApi.afterEach(async () => {
      const t = current;
      current = undefined;
      await t?.cleanup();
    });
    const target = (): ConformanceTarget => {
      if (!current) throw new Error('no conformance target: the factory did not run');
      return current;
    };
    const ctx: SuiteContext = { target, backend: () => target().backend, run: () => run };
    testApi.describe('writes', () => registerWriteCases(ctx));
    testApi.describe('list', () => registerListCases(ctx));
    testApi.describe('watch', () => registerWatchCases(ctx));
    testApi.describe('create guards', () => registerGuardCases(ctx));
    testApi.describe('capabilities', () => registerCapabilityCases(ctx));
  });
}
