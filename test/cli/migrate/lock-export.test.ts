import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../support/run-cli.js';
import {
  clusterSpec, EXPORT_LIST_KINDS, etcdTarget, kubeTarget, parseExport, seedEtcdSource, SEED_IPAM, V3,
  type EtcdMigrateDatastore, type KubeMigrateDatastore,
} from './fixtures.js';

// lock / unlock / export through the CLI subprocess, checked through the library.
let source: EtcdMigrateDatastore;
let kube: KubeMigrateDatastore;
beforeAll(async () => {
  [source, kube] = await Promise.all([etcdTarget(), kubeTarget()]);
  await seedEtcdSource(source);
}, 120_000);
afterAll(async () => {
  await Promise.all([source?.stop(), kube?.stop()]);
});

describe('datastore migrate lock / unlock', () => {
  it('locks and unlocks etcd through ClusterInformation', async () => {
    expect(await runCliProcess(['datastore', 'migrate', 'lock'], { env: source.env })).toEqual({ code: 0, stdout: 'Datastore locked.\n', stderr: '' });
    expect(await clusterSpec(source)).toMatchObject({ datastoreReady: false });
    expect(await runCliProcess(['datastore', 'migrate', 'unlock'], { env: source.env })).toEqual({ code: 0, stdout: 'Datastore unlocked.\n', stderr: '' });
    expect(await clusterSpec(source)).toMatchObject({ datastoreReady: true });
  });

  it('initialises an empty Kubernetes datastore before locking it, and unlocks it', async () => {
    expect(await clusterSpec(kube)).toBeUndefined();
    expect(await runCliProcess(['datastore', 'migrate', 'lock'], { env: kube.env })).toEqual({ code: 0, stdout: 'Datastore locked.\n', stderr: '' });
    const locked = await clusterSpec(kube);
    expect(locked).toMatchObject({ datastoreReady: false });
    expect(locked?.clusterGUID).toMatch(/^[0-9a-f]{32}$/);
    expect(await runCliProcess(['datastore', 'migrate', 'unlock'], { env: kube.env })).toEqual({ code: 0, stdout: 'Datastore unlocked.\n', stderr: '' });
    expect(await clusterSpec(kube)).toMatchObject({ datastoreReady: true, clusterGUID: locked?.clusterGUID });
  });

  it('rejects arguments', async () => {
    const r = await runCliProcess(['datastore', 'migrate', 'lock', 'extra'], { env: source.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('extra');
  });
});

describe('datastore migrate export', () => {
  it('refuses an unlocked datastore', async () => {
    const r = await runCliProcess(['datastore', 'migrate', 'export'], { env: source.env });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'datastore is not locked. Run the `calicoctl datastore migrate lock` command in order to begin migration\n',
    });
  });

  it('refuses the memory datastore', async () => {
    const r = await runCliProcess(['datastore', 'migrate', 'export'], { env: { DATASTORE_TYPE: 'memory' } });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'invalid datastore type: memory to export from for datastore migration. Datastore type must be etcdv3 or kubernetes\n',
    });
  });

  it('writes three sections: stripped typed lists, ClusterInformation, renamed IPAM keys', async () => {
    expect((await runCliProcess(['datastore', 'migrate', 'lock'], { env: source.env })).code).toBe(0);
    const r = await runCliProcess(['datastore', 'migrate', 'export'], { env: source.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^===$/gm)).toHaveLength(2);
    const file = parseExport(r.stdout);

    expect(file.listKinds).toEqual(EXPORT_LIST_KINDS);
    expect(file.items.get('IPReservationList')).toEqual([]);
    expect(r.stdout).toMatch(/^apiVersion: projectcalico.org\/v3\nitems:\n(- | {2})/);
    for (const items of file.items.values()) {
      for (const o of items) {
        expect(o.apiVersion).toBe(V3);
        for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) expect(o.metadata).not.toHaveProperty(field);
      }
    }
    const names = (kind: string): string[] => (file.items.get(kind) ?? []).map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!));
    expect(names('IPPoolList')).toEqual(['pool-a', 'pool-b']);
    expect(names('BGPPeerList')).toEqual(['rack-1']);
    expect(names('TierList')).toEqual(expect.arrayContaining(['default', 'security']));
    expect(names('GlobalNetworkPolicyList').sort()).toEqual(['allow-dns', 'security.deny-db']);
    // The source holds a knp.default.* policy too; the export leaves it out.
    const stored = (await (await source.backend()).list({ kind: 'NetworkPolicy' })).items.map((kv) => kv.value.metadata.name);
    expect(stored).toContain('knp.default.from-k8s');
    expect(names('NetworkPolicyList')).toEqual(['default/allow-web', 'shop/allow-web']);
    expect(names('NetworkSetList')).toEqual(['shop/cdn']);
    expect(names('NodeList')).toEqual(['worker-1', 'worker-2']);
    expect(names('BGPConfigurationList')).toEqual(['default', 'node.worker-2']);
    expect(names('FelixConfigurationList')).toEqual(['default', 'node.worker-1']);
    expect(file.items.get('FelixConfigurationList')![0]!.spec).toEqual({ logSeverityScreen: 'Info', defaultEndpointToHostAction: 'Accept', iptablesFilterAllowAction: 'Return' });
    expect(file.items.get('NodeList')![0]!.spec).toMatchObject({ bgp: { ipv4Address: '10.0.0.11/24' }, orchRefs: [{ orchestrator: 'k8s', nodeName: 'worker-1' }] });

    expect(file.clusterInformation).toMatchObject({ kind: 'ClusterInformation', apiVersion: V3, metadata: { name: 'default' }, spec: { datastoreReady: false } });
    expect(file.clusterInformation.spec).toEqual(await clusterSpec(source));
    expect(r.stdout.split(/^===\n/m)[1]).toMatch(/^\{\n {2}"/);

    const keys = (field: string): string[] => (file.ipam[field] ?? []).map((e) => e.Key);
    expect(keys('block_affinities')).toEqual(['/calico/ipam/v2/host/worker-1/ipv4/block/10.40.0.0-26']);
    expect(keys('blocks')).toEqual(['/calico/ipam/v2/assignment/ipv4/block/10.40.0.0-26']);
    expect(keys('handles')).toEqual(['/calico/ipam/v2/handle/ipip-tunnel-addr-worker-1', '/calico/ipam/v2/handle/k8s-pod-network.abc']);
    expect(keys('config')).toEqual(['/calico/ipam/v2/config']);
    expect(file.ipam.blocks![0]).toEqual({
      Key: '/calico/ipam/v2/assignment/ipv4/block/10.40.0.0-26',
      Value: {
        ...(SEED_IPAM['/calico/ipam/v2/assignment/ipv4/block/10.40.0.0-26'] as object),
        affinity: 'host:worker-1',
        attributes: [{ handle_id: 'ipip-tunnel-addr-worker-1', secondary: { node: 'worker-1', type: 'ipipTunnelAddress' } }],
      },
      TTL: 0,
    });
    expect(file.ipam.config![0]!.Value).toEqual(SEED_IPAM['/calico/ipam/v2/config']);
  });

  it('fails, printing nothing on stdout, when a Node has no k8s orchestrator reference', async () => {
    await source.client.nodes.create({ apiVersion: V3, kind: 'Node', metadata: { name: 'bare-metal-9' }, spec: {} });
    try {
      const r = await runCliProcess(['datastore', 'migrate', 'export'], { env: source.env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        "unable to process metadata for export for Node resource: node bare-metal-9 missing a 'k8s' orchestrator reference. Unable to export data unless every node has a 'k8s' orchestrator reference\n",
      );
    } finally {
      await source.client.nodes.delete({ name: 'bare-metal-9' });
    }
  });

  it('exports from a locked Kubernetes datastore with Kubernetes node names and an empty IPAM section', async () => {
    kube.server.store.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'kube-node-a' } } as never);
    expect((await runCliProcess(['datastore', 'migrate', 'lock'], { env: kube.env })).code).toBe(0);
    const r = await runCliProcess(['datastore', 'migrate', 'export'], { env: kube.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = parseExport(r.stdout);
    expect(file.listKinds).toEqual(EXPORT_LIST_KINDS);
    expect(file.items.get('NodeList')!.map((n) => n.metadata.name)).toEqual(['kube-node-a']);
    expect(file.ipam).toEqual({});
    expect(r.stdout.endsWith('===\n{}\n')).toBe(true);
  });
});
