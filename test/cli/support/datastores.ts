/**
 * The two real datastores the CLI tests run against: a throwaway etcd and the fake Kubernetes API
 * server, each with the environment a user would set and a library client to check results.
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type CalicoClient } from '../../../src/client.js';
import { startEtcd } from '../../support/etcd-process.js';
import { startFakeApiServer } from '../../fake-apiserver/index.js';

/** A running datastore for CLI tests. */
export interface CliDatastore {
  /** `etcdv3` or `kubernetes`. */
  readonly name: 'etcdv3' | 'kubernetes';
  /** Environment that points the CLI at it. */
  readonly env: Record<string, string>;
  /** A library client on the same datastore, for checking what the CLI did. */
  readonly client: CalicoClient;
  /** Seeds a raw Kubernetes object (Kubernetes only). */
  seedKube?(obj: Record<string, unknown>): void;
  /** Stops everything. */
  stop(): Promise<void>;
}

/** Starts a throwaway etcd. */
export async function etcdDatastore(): Promise<CliDatastore> {
  const etcd = await startEtcd();
  const env = { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: etcd.endpoints.join(',') };
  const client = createClient({ datastoreType: 'etcdv3', etcdEndpoints: etcd.endpoints, ipPoolDeleteDelayMs: 0 });
  return {
    name: 'etcdv3',
    env,
    client,
    async stop() {
      await client.close();
      await etcd.stop();
    },
  };
}

/** Plurals of Calico's CRDs that calico-datastore reads or writes. */
export const ALL_CALICO_CRDS = [
  'ippools', 'networkpolicies', 'globalnetworkpolicies', 'tiers', 'clusterinformations', 'bgpconfigurations', 'bgpfilters', 'bgppeers',
  'felixconfigurations', 'globalnetworksets', 'hostendpoints', 'ipreservations', 'kubecontrollersconfigurations', 'networksets',
  'stagedglobalnetworkpolicies', 'stagedkubernetesnetworkpolicies', 'stagednetworkpolicies',
];

/** Starts the fake Kubernetes API server with Calico's CRDs and writes a kubeconfig file for it. */
export async function kubernetesDatastore(): Promise<CliDatastore> {
  // Every Calico CRD a cluster has, so that migrations can write the kinds this library does not model.
  const server = await startFakeApiServer({ calicoCrds: ALL_CALICO_CRDS });
  const dir = mkdtempSync(join(tmpdir(), 'cdctl-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, server.kubeconfigYaml());
  const client = createClient({ datastoreType: 'kubernetes', kubeconfig, ipPoolDeleteDelayMs: 0 });
  return {
    name: 'kubernetes',
    env: { DATASTORE_TYPE: 'kubernetes', KUBECONFIG: kubeconfig },
    client,
    seedKube: (obj) => void server.store.seed(obj as never),
    async stop() {
      await client.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
