import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceObject } from '../../../src/backends/backend.js';
import { DEFAULT_CALICO_CRDS } from '../../fake-apiserver/index.js';
import { runCliProcess } from '../support/run-cli.js';
import { keyOf } from '../../../src/cli/migrate/resource-keys.js';
import {
  clusterSpec, etcdTarget, kubeTarget, parseExport, seedEtcdSource, seedKube, V3,
  type EtcdMigrateDatastore, type ExportSections, type KubeMigrateDatastore,
} from './fixtures.js';

// import through the CLI subprocess into the fake Kubernetes API server and etcd.
const dir = mkdtempSync(join(tmpdir(), 'cdctl-migrate-import-'));
const exportPath = join(dir, 'export.txt');
let source: EtcdMigrateDatastore;
let exported: ExportSections;
const started: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  source = await etcdTarget();
  started.push(source);
  await seedEtcdSource(source);
  expect((await runCliProcess(['datastore', 'migrate', 'lock'], { env: source.env })).code).toBe(0);
  const r = await runCliProcess(['datastore', 'migrate', 'export'], { env: source.env });
  expect(r.code).toBe(0);
  writeFileSync(exportPath, r.stdout);
  exported = parseExport(r.stdout);
}, 120_000);
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function startedKube(crds?: readonly string[]): Promise<KubeMigrateDatastore> {
  const kube = await kubeTarget(crds);
  started.push(kube);
  return kube;
}

/** Every custom resource the fake server holds, as `plural/namespace/name`. */
function calicoCustomResources(kube: KubeMigrateDatastore): string[] {
  const kinds = ['IPPool', 'Tier', 'NetworkPolicy', 'GlobalNetworkPolicy', 'ClusterInformation', 'BGPPeer', 'BGPConfiguration', 'FelixConfiguration', 'GlobalNetworkSet', 'NetworkSet', 'HostEndpoint', 'KubeControllersConfiguration'];
  const out: string[] = [];
  for (const kind of kinds) {
    try {
      for (const o of kube.server.store.list('crd.projectcalico.org/v1', kind)) out.push(`${kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);
    } catch {
      // a CRD the server does not serve holds nothing
    }
  }
  return out;
}

const importArgs = (...extra: string[]): string[] => ['datastore', 'migrate', 'import', '-f', exportPath, ...extra];

describe('datastore migrate import into Kubernetes', () => {
  let kube: KubeMigrateDatastore;
  beforeAll(async () => {
    kube = await startedKube();
    // worker-2 has no Kubernetes Node: its Calico Node is skipped with a warning.
    seedKube(kube, ['shop'], ['worker-1']);
  }, 60_000);

  it('refuses a file with IPAM entries without --skip-ipam and writes nothing', async () => {
    const before = kube.server.store.resourceVersion();
    const r = await runCliProcess(importArgs(), { env: kube.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'the file holds 5 IPAM entries, and importing IPAM data is not supported by calico-datastore; nothing was written. Re-run with --skip-ipam to import everything else (pod address allocations are then not migrated)\n',
    );
    expect(kube.server.store.resourceVersion()).toBe(before);
    expect(calicoCustomResources(kube)).toEqual([]);
  });

  it('rejects a file with two sections with calicoctl\'s message and writes nothing', async () => {
    const bad = join(dir, 'two-sections.txt');
    writeFileSync(bad, 'apiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems: []\n---\n===\n{}\n');
    const before = kube.server.store.resourceVersion();
    const r = await runCliProcess(['datastore', 'migrate', 'import', '-f', bad, '--skip-ipam'], { env: kube.env });
    expect(r).toEqual({ code: 1, stdout: '', stderr: `imported file: ${bad} is improperly formatted. Try recreating with 'calicoctl export'\n` });
    expect(kube.server.store.resourceVersion()).toBe(before);
  });

  it('imports with --skip-ipam, skips the node without a Kubernetes Node, verifies, and leaves the target locked', async () => {
    const r = await runCliProcess(importArgs('--skip-ipam'), { env: kube.env });
    expect(r.stderr).toBe(
      '[WARNING] skipping 5 IPAM entries: pod address allocations were not migrated\n' +
        '[WARNING] Attempted to import node worker-2 from the export file that could not be found in the Kubernetes datastore. Skipping that node. Nodes without a Kubernetes Node cannot be stored in the Kubernetes datastore.\n',
    );
    expect(r.code).toBe(0);
    const total = [...exported.items.values()].reduce((n, items) => n + items.length, 0);
    expect(r.stdout).toBe(
      `Verified ${total - 1} resource(s): all match.\nDatastore information successfully imported. Please refer to the datastore migration documentation for next steps.\n`,
    );

    const backend = await kube.backend();
    for (const [listKind, items] of exported.items) {
      for (const item of items) {
        const obj = { ...item, kind: listKind.slice(0, -4) } as ResourceObject;
        if (obj.kind === 'Node' && obj.metadata.name === 'worker-2') {
          expect(kube.server.store.list('v1', 'Node').map((n) => n.metadata?.name)).toEqual(['worker-1']);
          continue;
        }
        const stored = (await backend.get(keyOf(obj))).value;
        expect(stored.spec, `${obj.kind} ${obj.metadata.name}`).toMatchObject(obj.spec ?? {});
        expect(stored.metadata.labels ?? {}).toMatchObject(obj.metadata.labels ?? {});
        expect(stored.metadata.annotations ?? {}).toMatchObject(obj.metadata.annotations ?? {});
      }
    }
    expect((await kube.client.nodes.get({ name: 'worker-1' })).spec?.bgp?.ipv4Address).toBe('10.0.0.11/24');
    expect((await backend.get({ kind: 'BGPPeer', name: 'rack-1' })).value.spec).toEqual({ peerIP: '10.0.0.1', asNumber: 64513 });
    // The CRD schema adds its defaults (nftables fields); everything from the file is there.
    expect((await backend.get({ kind: 'FelixConfiguration', name: 'node.worker-1' })).value.spec).toMatchObject({ logSeverityScreen: 'Debug' });
    expect(await clusterSpec(kube)).toMatchObject({ datastoreReady: false, clusterGUID: (exported.clusterInformation.spec as { clusterGUID: string }).clusterGUID });
  });

  it('refuses a second import into the now non-empty target and writes nothing', async () => {
    const before = kube.server.store.resourceVersion();
    const r = await runCliProcess(importArgs('--skip-ipam'), { env: kube.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^the target datastore already holds Calico resources \(IPPool\(pool-a\), IPPool\(pool-b\), BGPPeer\(rack-1\), Tier\(security\), GlobalNetworkPolicy\(.*\)\); import needs an empty datastore\. Nothing was written\n$/);
    expect(kube.server.store.resourceVersion()).toBe(before);
  });

  it('names the missing CRDs of a cluster that lacks them and writes nothing', async () => {
    const bare = await startedKube(DEFAULT_CALICO_CRDS);
    seedKube(bare, ['shop'], ['worker-1', 'worker-2']);
    const before = bare.server.store.resourceVersion();
    const r = await runCliProcess(importArgs('--skip-ipam'), { env: bare.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'the Kubernetes target is not ready for this file: the CRD bgpconfigurations.crd.projectcalico.org is not installed; the CRD bgppeers.crd.projectcalico.org is not installed; ' +
        'the CRD felixconfigurations.crd.projectcalico.org is not installed; the CRD globalnetworksets.crd.projectcalico.org is not installed; ' +
        'the CRD hostendpoints.crd.projectcalico.org is not installed; the CRD kubecontrollersconfigurations.crd.projectcalico.org is not installed; ' +
        'the CRD networksets.crd.projectcalico.org is not installed. Nothing was written\n',
    );
    expect(bare.server.store.resourceVersion()).toBe(before);
    expect(calicoCustomResources(bare)).toEqual([]);
  });

  it('names a missing namespace and writes nothing', async () => {
    const noShop = await startedKube();
    seedKube(noShop, [], ['worker-1']);
    const before = noShop.server.store.resourceVersion();
    const r = await runCliProcess(importArgs('--skip-ipam'), { env: noShop.env });
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'the Kubernetes target is not ready for this file: the namespace shop does not exist. Nothing was written\n' });
    expect(noShop.server.store.resourceVersion()).toBe(before);
  });
});

describe('datastore migrate import into etcd', () => {
  it('refuses a target that holds Calico resources and writes nothing', async () => {
    const target = await etcdTarget();
    started.push(target);
    await target.client.ipPools.create({ apiVersion: V3, kind: 'IPPool', metadata: { name: 'existing' }, spec: { cidr: '10.99.0.0/16' } });
    const r = await runCliProcess(importArgs('--skip-ipam'), { env: target.env });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'the target datastore already holds Calico resources (IPPool(existing)); import needs an empty datastore. Nothing was written\n',
    });
    expect((await target.client.ipPools.list()).items.map((p) => p.metadata.name)).toEqual(['existing']);
    expect(await clusterSpec(target)).toBeUndefined();
  });

  it('refuses the memory datastore', async () => {
    const r = await runCliProcess(importArgs('--skip-ipam'), { env: { DATASTORE_TYPE: 'memory' } });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'invalid datastore type: memory to import into for datastore migration. Datastore type must be etcdv3 or kubernetes\n',
    });
  });

  it('requires -f', async () => {
    const r = await runCliProcess(['datastore', 'migrate', 'import'], { env: { DATASTORE_TYPE: 'memory' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('filename');
  });
});
