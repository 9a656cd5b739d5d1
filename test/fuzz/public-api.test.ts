/**
 * The fixed-seed public-API fuzz run of CI: a few thousand generated calls on the memory backend
 * and on a throwaway etcd. Every call succeeds or fails with a library error, a failed call writes
 * nothing, and Object.prototype stays as it was. The big runs are `npm run fuzz`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CalicoClient } from '../../src/index.js';
import { startEtcd, type EtcdHandle } from '../support/etcd-process.js';
import { generatedCalls, newTally, prepareTarget, runCalls, type FuzzTally, type FuzzTarget } from './public-api-calls.js';

const SEED = 17;

function expectClean(tally: FuzzTally, calls: number): void {
  expect(tally.calls).toBe(calls);
  expect(tally.untyped).toEqual([]);
  expect(tally.writesOnFailure).toEqual([]);
  expect(tally.prototypeTouched).toEqual([]);
  // The run exercises both outcomes: valid calls succeed, hostile ones fail with typed errors.
  expect(tally.ok).toBeGreaterThan(calls / 20);
  expect(tally.typed.Validation ?? 0).toBeGreaterThan(calls / 4);
}

describe('public-API fuzz, fixed seed', () => {
  it('memory: 2,000 calls, all typed, nothing written on failure', async () => {
    const client = createClient({ datastoreType: 'memory', ipPoolDeleteDelayMs: 0 });
    const target: FuzzTarget = { name: 'memory', client, settleMs: 1 };
    await prepareTarget(target);
    const tally = newTally();
    await runCalls(target, generatedCalls(SEED, 2000), tally);
    await client.close();
    expectClean(tally, 2000);
  }, 60_000);

  describe('etcd', () => {
    let etcd: EtcdHandle;
    let client: CalicoClient;
    beforeAll(async () => {
      etcd = await startEtcd();
      client = createClient({ datastoreType: 'etcdv3', etcdEndpoints: etcd.endpoints, ipPoolDeleteDelayMs: 0 });
    });
    afterAll(async () => {
      await client?.close();
      await etcd?.stop();
    });

    it('600 calls, all typed, nothing written on failure', async () => {
      const target: FuzzTarget = { name: 'etcd', client, settleMs: 5 };
      await prepareTarget(target);
      const tally = newTally();
      await runCalls(target, generatedCalls(SEED + 1, 600), tally);
      expectClean(tally, 600);
    }, 60_000);
  });
});
