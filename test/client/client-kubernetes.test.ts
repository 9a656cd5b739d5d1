import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CalicoClient } from '../../src/client.js';
import { NotSupportedError } from '../../src/errors.js';
import { startFakeApiServer } from '../fake-apiserver/index.js';
import { node, pool } from './fixtures.js';

// The client over the fake Kubernetes API server, configured with an inline kubeconfig as users do.
let server: Awaited<ReturnType<typeof startFakeApiServer>>;
let client: CalicoClient;
beforeAll(async () => {
  server = await startFakeApiServer();
  client = createClient({ datastoreType: 'kubernetes', kubeconfigInline: server.kubeconfigYaml() });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('client on Kubernetes (DATASTORE_TYPE=kubernetes)', () => {
  it('stores IPPools as CRDs and reads them back with defaults', async () => {
    const created = await client.ipPools.create(pool('pool-k', '10.30.0.0/16', { natOutgoing: true }));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const got = await client.ipPools.get({ name: 'pool-k' });
    expect(got.spec).toMatchObject({ cidr: '10.30.0.0/16', blockSize: 26, natOutgoing: true });
    expect(server.store.list('crd.projectcalico.org/v1', 'IPPool').length).toBe(1);
  });

  it('refuses to create or delete a Node: Kubernetes owns nodes', async () => {
    await expect(client.nodes.create(node('worker-9'))).rejects.toBeInstanceOf(NotSupportedError);
    await expect(client.nodes.delete({ name: 'worker-9' })).rejects.toBeInstanceOf(NotSupportedError);
  });

  it('shows Kubernetes NetworkPolicies read-only as Calico policies under their Kubernetes name', async () => {
    server.store.seed({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-all', namespace: 'default' },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    });
    const { items } = await client.kubernetesNetworkPolicies.list({ namespace: 'default' });
    expect(items.map((p) => p.metadata.name)).toEqual(['deny-all']);
    expect(items[0]?.spec.types).toEqual(['Egress']);
  });
});

describe('kubernetesNetworkPolicies elsewhere', () => {
  it('is NotSupported on the memory datastore', async () => {
    const memory = createClient({ datastoreType: 'memory' });
    await expect(memory.kubernetesNetworkPolicies.list()).rejects.toBeInstanceOf(NotSupportedError);
    await memory.close();
  });
});
