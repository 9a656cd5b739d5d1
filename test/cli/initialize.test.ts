import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CalicoClient } from '../../src/client.js';
import { startEtcd, type EtcdHandle } from '../support/etcd-process.js';
import { runCliProcess } from './support/run-cli.js';
import { poolYaml, tempFile } from './support/files.js';

let etcd: EtcdHandle;
let observer: CalicoClient;
let env: Record<string, string>;
beforeAll(async () => {
  etcd = await startEtcd();
  env = { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: etcd.endpoints.join(',') };
  observer = createClient({ datastoreType: 'etcdv3', etcdEndpoints: etcd.endpoints, initialize: false });
});
afterAll(async () => {
  await observer?.close();
  await etcd?.stop();
});

const tierNames = async (): Promise<string[]> => (await (await observer.backend()).list({ kind: 'Tier' })).items.map((t) => t.key.name).sort();

describe('CLI datastore initialisation', () => {
  it('initialises before a write, never for reads or when every resource is refused offline', async () => {
    expect(await runCliProcess(['get', 'tiers'], { env })).toMatchObject({ code: 0 });
    // Refused offline: an invalid document stops the command; a namespace on a cluster-scoped
    // kind is that resource's own error.
    const invalid = tempFile('bad.yaml', poolYaml('bad', 'not-a-cidr'));
    const namespaced = tempFile('ns.yaml', poolYaml('pool-ns', '10.9.0.0/16').replace('  name: pool-ns\n', '  name: pool-ns\n  namespace: shop\n'));
    for (const verb of ['create', 'apply', 'replace']) {
      for (const file of [invalid, namespaced]) expect((await runCliProcess([verb, '-f', file], { env })).code, `${verb} ${file}`).toBe(1);
    }
    expect(await tierNames()).toEqual([]);
    const valid = tempFile('good.yaml', poolYaml('good', '10.0.0.0/16'));
    expect(await runCliProcess(['apply', '-f', valid], { env })).toMatchObject({ code: 0 });
    expect(await tierNames()).toEqual(['default', 'kube-admin', 'kube-baseline']);
  });
});
