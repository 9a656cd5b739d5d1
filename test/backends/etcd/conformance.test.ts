/** The shared backend conformance suite, run on the etcd backend against a throwaway etcd. */
import { afterAll, beforeAll } from 'vitest';
import { Etcd3 } from 'etcd3';
import { createEtcdBackend } from '../../../src/backends/etcdv2/index.js';
import { runBackendConformance } from '../../conformance/backend-suite.js';
import { startEtcd, type EtcdHandle } from '../../support/etcd-process.js';
import { compactNow, serverWatcherCount } from '../../support/etcd-admin.js';

let etcd: EtcdHandle;
let admin: Etcd3;

beforeAll(async () => {
  etcd = await startEtcd();
  admin = new Etcd3({ hosts: etcd.endpoints });
});
afterAll(async () => {
  admin?.close();
  await etcd?.stop();
});

// Pages of 3 keys, so every list and initial watch state spans several range reads.
runBackendConformance('etcd (pages of 3)', async () => {
  const backend = await createEtcdBackend({ endpoints: etcd.endpoints, pageSize: 3 });
  return {
    backend,
    compact: async () => {
      await compactNow(admin);
    },
    cleanup: () => backend.close(),
    openWatches: () => serverWatcherCount(etcd.endpoints[0] as string),
  };
});

runBackendConformance('etcd (default page size)', async () => {
  const backend = await createEtcdBackend({ endpoints: etcd.endpoints });
  return {
    backend,
    compact: async () => {
      await compactNow(admin);
    },
    cleanup: () => backend.close(),
    openWatches: () => serverWatcherCount(etcd.endpoints[0] as string),
  };
});
