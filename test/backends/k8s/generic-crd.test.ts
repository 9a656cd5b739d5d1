import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backends/backend.js';
import { createKubernetesBackend } from '../../../src/backends/k8s/index.js';
import { DEFAULT_CALICO_CRDS, startFakeApiServer } from '../../fake-apiserver/index.js';

// Unmodelled Calico kinds through the generic CRD mapping, against Calico's real CRD schemas.
let server: Awaited<ReturnType<typeof startFakeApiServer>>;
let backend: Backend;
beforeAll(async () => {
  server = await startFakeApiServer({ calicoCrds: [...DEFAULT_CALICO_CRDS, 'bgppeers', 'networksets'] });
  backend = await createKubernetesBackend({ datastoreType: 'kubernetes', kubeconfigInline: server.kubeconfigYaml() });
});
afterAll(async () => {
  await backend?.close();
  await server?.close();
});

describe('generic CRD kinds on Kubernetes', () => {
  it('creates, reads, lists, updates and deletes a cluster-scoped BGPPeer', async () => {
    const value = { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'rack-1', labels: { rack: '1' } }, spec: { peerIP: '10.0.0.1', asNumber: 64513 } };
    const created = await backend.create({ key: { kind: 'BGPPeer', name: 'rack-1' }, value });
    expect(created.value.spec).toEqual({ peerIP: '10.0.0.1', asNumber: 64513 });
    const stored = server.store.list('crd.projectcalico.org/v1', 'BGPPeer');
    expect(stored).toHaveLength(1);
    expect((stored[0] as { spec: unknown }).spec).toEqual({ peerIP: '10.0.0.1', asNumber: 64513 });
    const got = await backend.get({ kind: 'BGPPeer', name: 'rack-1' });
    expect(got.value.metadata.labels).toEqual({ rack: '1' });
    const updated = await backend.update({ ...got, value: { ...got.value, spec: { peerIP: '10.0.0.2', asNumber: 64513 } } });
    expect((await backend.list({ kind: 'BGPPeer' })).items.map((i) => i.value.spec)).toEqual([{ peerIP: '10.0.0.2', asNumber: 64513 }]);
    await backend.delete({ kind: 'BGPPeer', name: 'rack-1' }, { revision: updated.revision });
    expect((await backend.list({ kind: 'BGPPeer' })).items).toEqual([]);
  });

  it('keeps namespaced NetworkSets in their namespace and rejects what the real CRD schema rejects', async () => {
    server.store.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } as never);
    const value = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet', metadata: { name: 'partners', namespace: 'shop' }, spec: { nets: ['192.0.2.0/24'] } };
    await backend.create({ key: { kind: 'NetworkSet', namespace: 'shop', name: 'partners' }, value });
    expect((await backend.list({ kind: 'NetworkSet', namespace: 'shop' })).items.map((i) => i.key)).toEqual([{ kind: 'NetworkSet', namespace: 'shop', name: 'partners' }]);
    const bad = { ...value, metadata: { name: 'bad', namespace: 'shop' }, spec: { nets: 'not-a-list' } };
    await expect(backend.create({ key: { kind: 'NetworkSet', namespace: 'shop', name: 'bad' }, value: bad })).rejects.toMatchObject({ code: 'Validation' });
  });

  it('still refuses kinds Calico does not store as CRDs', async () => {
    await expect(backend.list({ kind: 'Gadget' })).rejects.toMatchObject({ code: 'NotSupported' });
  });
});
