/**
 * Calico refuses an IPPool whose CIDR overlaps another pool's. The check reads the pools and then
 * writes, so concurrent creates must not all pass it: on every datastore, of many racing creates
 * of overlapping pools exactly one is stored and the others fail the overlap check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CalicoClient } from '../../src/client.js';
import { isValidationError, type ValidationError } from '../../src/errors.js';
import type { IPPool } from '../../src/model/types.generated.js';
import { startFakeApiServer } from '../fake-apiserver/index.js';
import { startEtcd, type EtcdHandle } from '../support/etcd-process.js';
import { pool } from './fixtures.js';

/** Creates racing in each case. */
const RACERS = 20;

interface Outcome {
  created: IPPool[];
  refused: ValidationError[];
}

async function race(clients: readonly CalicoClient[], pools: readonly IPPool[]): Promise<Outcome> {
  const results = await Promise.allSettled(pools.map((p, i) => (clients[i % clients.length] as CalicoClient).ipPools.create(p)));
  const created = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const refused = failures.filter(isValidationError);
  expect(failures.filter((e) => !isValidationError(e))).toEqual([]);
  return { created, refused };
}

async function storedCidrs(client: CalicoClient): Promise<string[]> {
  return (await client.ipPools.list()).items.map((p) => p.spec.cidr).sort();
}

function registerRaces(name: string, open: () => Promise<CalicoClient[]>): void {
  describe(`IPPool overlap under concurrency: ${name}`, () => {
    let clients: CalicoClient[] = [];
    beforeAll(async () => {
      clients = await open();
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close()));
    });
    const clear = async (): Promise<void> => {
      const first = clients[0] as CalicoClient;
      for (const p of (await first.ipPools.list()).items) await first.ipPools.delete({ name: p.metadata.name as string });
    };

    it(`${RACERS} creates of the same CIDR under different names: exactly one is stored`, async () => {
      await clear();
      const { created, refused } = await race(clients, Array.from({ length: RACERS }, (_, i) => pool(`same-${i}`, '192.168.0.0/16')));
      expect(created).toHaveLength(1);
      expect(refused).toHaveLength(RACERS - 1);
      for (const e of refused) {
        expect(e.errors.map((f) => f.path)).toEqual(['spec.cidr']);
        expect(e.errors[0]?.message).toMatch(/^IPPool CIDR overlaps with the CIDR of IPPool\(same-\d+\)$/);
      }
      expect(await storedCidrs(clients[0] as CalicoClient)).toEqual(['192.168.0.0/16']);
    });

    it(`${RACERS} creates of nested CIDRs: exactly one is stored`, async () => {
      await clear();
      const pools = Array.from({ length: RACERS }, (_, i) => pool(`nested-${i}`, `10.0.0.0/${8 + i}`));
      const { created, refused } = await race(clients, pools);
      expect(created).toHaveLength(1);
      expect(refused).toHaveLength(RACERS - 1);
      expect(await storedCidrs(clients[0] as CalicoClient)).toEqual([created[0]?.spec.cidr]);
    });

    it(`${RACERS} creates of disjoint CIDRs: all are stored`, async () => {
      await clear();
      const pools = Array.from({ length: RACERS }, (_, i) => pool(`apart-${i}`, `10.${100 + i}.0.0/16`));
      const { created } = await race(clients, pools);
      expect(created).toHaveLength(RACERS);
      expect(await storedCidrs(clients[0] as CalicoClient)).toEqual(pools.map((p) => p.spec.cidr).sort());
    });
  });
}

let etcd: EtcdHandle | undefined;
let server: Awaited<ReturnType<typeof startFakeApiServer>> | undefined;
afterAll(async () => {
  await etcd?.stop();
  await server?.close();
});

const startedEtcd = async (): Promise<EtcdHandle> => (etcd ??= await startEtcd());
const etcdClient = async (): Promise<CalicoClient> => createClient({ datastoreType: 'etcdv3', etcdEndpoints: (await startedEtcd()).endpoints, ipPoolDeleteDelayMs: 0 });

registerRaces('memory', async () => [createClient({ datastoreType: 'memory', ipPoolDeleteDelayMs: 0 })]);
registerRaces('etcd, one client', async () => [await etcdClient()]);
registerRaces('etcd, five clients', async () => Promise.all([1, 2, 3, 4, 5].map(() => etcdClient())));
registerRaces('Kubernetes (fake API server), two clients', async () => {
  server ??= await startFakeApiServer();
  const kubeconfigInline = server.kubeconfigYaml();
  return [1, 2].map(() => createClient({ datastoreType: 'kubernetes', kubeconfigInline, ipPoolDeleteDelayMs: 0 }));
});
